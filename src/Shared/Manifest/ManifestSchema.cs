// Linked source: see ManifestProblem.cs.
using System.Collections.Generic;

namespace CompactMemory.Manifest;

/// <summary>
/// The one definition of <c>engine_package.yaml</c>: its file name, its fields in declared order and the
/// limits the reader enforces. The runtime loader, <c>dev validate-engine-package</c>, the generator and the
/// analyzers all compile this same source, so their rules cannot drift apart.
/// </summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
static class ManifestSchema
{
    /// <summary>The manifest's file name inside a package folder.</summary>
    public const string FileName = "engine_package.yaml";

    /// <summary>The only <c>package_format_version</c> this SDK reads.</summary>
    public const string SupportedFormatVersion = "1.0";

    /// <summary>The largest manifest accepted, in bytes (1 MiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The deepest nesting of mappings and lists accepted.</summary>
    public const int MaxDepth = 32;

    /// <summary>The most YAML nodes accepted, counting every node an alias expands to (stops alias bombs).</summary>
    public const int MaxNodes = 10000;

    /// <summary>
    /// The most characters of text (scalar values, keys and tags) a manifest may stand for, counting the text of every
    /// alias each time it is used and every tag as its prefix expands it: no larger than the largest file accepted,
    /// so whatever a consumer does with the values (copy them, write them out), it handles at most this much.
    /// </summary>
    public const int MaxCharacters = 1024 * 1024;

    /// <summary>
    /// The most problems reported for one manifest; past it, the last problem says how many more were found.
    /// </summary>
    public const int MaxProblems = 100;

    /// <summary>How many characters of a value a problem message quotes; longer values are cut and marked.</summary>
    public const int MaxQuotedCharacters = 60;

    /// <summary>Field <c>package_format_version</c>.</summary>
    public const string PackageFormatVersion = "package_format_version";

    /// <summary>Field <c>engine_id</c>.</summary>
    public const string EngineId = "engine_id";

    /// <summary>Field <c>engine_class_name</c>.</summary>
    public const string EngineClassName = "engine_class_name";

    /// <summary>Field <c>engine_module</c>.</summary>
    public const string EngineModule = "engine_module";

    /// <summary>Field <c>display_name</c>.</summary>
    public const string DisplayName = "display_name";

    /// <summary>Field <c>version</c>.</summary>
    public const string Version = "version";

    /// <summary>Field <c>authors</c>.</summary>
    public const string Authors = "authors";

    /// <summary>Field <c>description</c>.</summary>
    public const string Description = "description";

    /// <summary>Optional field <c>dependencies</c>.</summary>
    public const string Dependencies = "dependencies";

    /// <summary>Optional field <c>requirements</c>.</summary>
    public const string Requirements = "requirements";

    /// <summary>Optional field <c>overrides_builtin</c>.</summary>
    public const string OverridesBuiltIn = "overrides_builtin";

    /// <summary>The eight required fields, in the declared order problems are reported in.</summary>
    public static IReadOnlyList<string> RequiredFields { get; } = new[]
    {
        PackageFormatVersion, EngineId, EngineClassName, EngineModule, DisplayName, Version, Authors, Description,
    };

    /// <summary>The optional fields, in declared order.</summary>
    public static IReadOnlyList<string> OptionalFields { get; } = new[] { Dependencies, Requirements, OverridesBuiltIn };

    /// <summary>Fields of older formats: accepted, ignored, and reported with a hint.</summary>
    public static IReadOnlyDictionary<string, string> LegacyFields { get; } = new Dictionary<string, string>(System.StringComparer.Ordinal)
    {
        ["default_experiments"] = "experiments were removed; delete the field",
        ["strategy_id"] = "the strategy_package.yaml format is not supported; use engine_id",
        ["strategy_class_name"] = "the strategy_package.yaml format is not supported; use engine_class_name",
        ["strategy_module"] = "the strategy_package.yaml format is not supported; use engine_module",
    };
}
