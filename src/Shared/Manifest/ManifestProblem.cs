// Linked source: compiled into the runtime (public) and, later, into the generator and analyzers (internal).
// Keep it netstandard2.0-safe and free of dependencies beyond YamlDotNet.
using System.Globalization;

namespace CompactMemory.Manifest;

/// <summary>How bad a manifest problem is.</summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
enum ManifestSeverity
{
    /// <summary>The package cannot be loaded until it is fixed.</summary>
    Error = 0,

    /// <summary>The package loads, but something is probably not what its author meant.</summary>
    Warning = 1,
}

/// <summary>What kind of problem a manifest has; analyzers map each kind to a diagnostic id.</summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
enum ManifestProblemKind
{
    /// <summary>The file is larger than the reader accepts.</summary>
    TooLarge,

    /// <summary>The text is not valid YAML.</summary>
    InvalidYaml,

    /// <summary>The document's root is not a mapping.</summary>
    RootNotMapping,

    /// <summary>Nesting, node count or alias expansion exceeds the reader's limits.</summary>
    LimitExceeded,

    /// <summary>A required field is absent.</summary>
    MissingField,

    /// <summary>A field is present but empty or null.</summary>
    EmptyField,

    /// <summary>A field has the wrong YAML type.</summary>
    WrongType,

    /// <summary>A field has the right type but a value the SDK cannot use.</summary>
    InvalidValue,

    /// <summary>A field appears twice.</summary>
    DuplicateField,

    /// <summary>A field the SDK does not know; it is ignored.</summary>
    UnknownField,

    /// <summary>An engine id that works but breaks the naming convention.</summary>
    NamingConvention,

    /// <summary>
    /// The last problem of a list cut at <see cref="ManifestSchema.MaxProblems"/>: how many more problems were found
    /// and not listed. It is an error when any problem left out is one.
    /// </summary>
    MoreProblems,
}

/// <summary>One problem found in an <c>engine_package.yaml</c>, with the field and line it concerns.</summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
sealed class ManifestProblem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="severity">Error or warning.</param>
    /// <param name="kind">What kind of problem it is.</param>
    /// <param name="field">The field concerned, or <see langword="null"/> for the whole file.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="line">The 1-based line, or 0 when the problem has no place (a missing field).</param>
    /// <param name="column">The 1-based column, or 0.</param>
    public ManifestProblem(ManifestSeverity severity, ManifestProblemKind kind, string? field, string message, int line, int column)
    {
        Severity = severity;
        Kind = kind;
        Field = field;
        Message = message;
        Line = line;
        Column = column;
    }

    /// <summary>Error or warning.</summary>
    public ManifestSeverity Severity { get; }

    /// <summary>What kind of problem it is.</summary>
    public ManifestProblemKind Kind { get; }

    /// <summary>
    /// The field concerned, or <see langword="null"/> for the whole file. An unknown field's name is quoted like a
    /// value in a message: at most <see cref="ManifestSchema.MaxQuotedCharacters"/> characters, escaped and marked.
    /// </summary>
    public string? Field { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>The 1-based line, or 0 when the problem has no place.</summary>
    public int Line { get; }

    /// <summary>The 1-based column, or 0.</summary>
    public int Column { get; }

    /// <summary>The message, followed by <c>(line N)</c> when the problem has a place.</summary>
    /// <returns>The text shown to people.</returns>
    public override string ToString() =>
        Line > 0 ? string.Format(CultureInfo.InvariantCulture, "{0} (line {1})", Message, Line) : Message;
}
