// Linked source: see ManifestProblem.cs.
using System.Collections.Generic;

namespace CompactMemory.Manifest;

/// <summary>An author of an engine package: a name and, optionally, an e-mail address.</summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
sealed class ManifestAuthor
{
    /// <summary>Creates an author.</summary>
    /// <param name="name">The author's name (or the whole <c>"Name &lt;mail&gt;"</c> string of the list-of-strings form).</param>
    /// <param name="email">The e-mail address, when given separately.</param>
    public ManifestAuthor(string name, string? email)
    {
        Name = name;
        Email = email;
    }

    /// <summary>The author's name.</summary>
    public string Name { get; }

    /// <summary>The e-mail address, when given separately.</summary>
    public string? Email { get; }

    /// <inheritdoc />
    public override string ToString() => Email is null ? Name : Name + " <" + Email + ">";
}

/// <summary>
/// The fields of an <c>engine_package.yaml</c> as read. A field that was missing or invalid is
/// <see langword="null"/>; <see cref="ManifestReadResult.Problems"/> says why.
/// </summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
sealed class EngineManifest
{
    /// <summary><c>package_format_version</c>: always <c>"1.0"</c> for this SDK.</summary>
    public string? PackageFormatVersion { get; set; }

    /// <summary><c>engine_id</c>: the id users select the engine by; must equal the class's declared id.</summary>
    public string? EngineId { get; set; }

    /// <summary><c>engine_class_name</c>: the namespace-qualified name of the engine class.</summary>
    public string? EngineClassName { get; set; }

    /// <summary><c>engine_module</c>: the assembly's name, without <c>.dll</c>, inside the package folder.</summary>
    public string? EngineModule { get; set; }

    /// <summary><c>display_name</c>: the name shown in listings.</summary>
    public string? DisplayName { get; set; }

    /// <summary><c>version</c>: the package version.</summary>
    public string? Version { get; set; }

    /// <summary><c>authors</c>: who wrote the engine.</summary>
    public IReadOnlyList<ManifestAuthor>? Authors { get; set; }

    /// <summary><c>description</c>: what the engine does, in a sentence.</summary>
    public string? Description { get; set; }

    /// <summary><c>dependencies</c> (optional): packages the engine needs.</summary>
    public IReadOnlyList<string>? Dependencies { get; set; }

    /// <summary><c>requirements</c> (optional): further requirements, as written by package templates.</summary>
    public IReadOnlyList<string>? Requirements { get; set; }

    /// <summary><c>overrides_builtin</c> (optional): the package means to replace the built-in engine with the same id.</summary>
    public bool OverridesBuiltIn { get; set; }

    /// <summary>Where each field's value starts, by field name: 1-based line and column.</summary>
    public IDictionary<string, ManifestLocation> Locations { get; } = new Dictionary<string, ManifestLocation>(System.StringComparer.Ordinal);
}

/// <summary>A 1-based line and column in a manifest.</summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
readonly struct ManifestLocation
{
    /// <summary>Creates a location.</summary>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column.</param>
    public ManifestLocation(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>The 1-based line.</summary>
    public int Line { get; }

    /// <summary>The 1-based column.</summary>
    public int Column { get; }
}
