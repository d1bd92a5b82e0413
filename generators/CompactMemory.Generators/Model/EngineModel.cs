using CompactMemory.Generators.Helpers;

namespace CompactMemory.Generators.Model;

/// <summary>Which contract an attributed class implements.</summary>
internal enum EngineKindModel
{
    /// <summary>Neither: nothing is generated (an analyzer explains).</summary>
    None,

    /// <summary>Derives from <c>CompressionEngine</c>.</summary>
    Compression,

    /// <summary>Implements <c>IContextEngine</c>.</summary>
    Context,
}

/// <summary>How the generated factory creates the engine.</summary>
internal enum ConstructorShape
{
    /// <summary>No usable public constructor: nothing is generated.</summary>
    None,

    /// <summary>A public parameterless constructor.</summary>
    Parameterless,

    /// <summary>A public constructor taking one <c>EngineConfig</c> (possibly optional).</summary>
    Config,

    /// <summary>Both.</summary>
    Both,
}

/// <summary>
/// Everything the emitters need about one <c>[CompressionEngine]</c> class: strings, flags and equatable arrays
/// only, never symbols or syntax, so equal input gives an equal model and the pipeline stays cached.
/// </summary>
internal sealed record EngineModel
{
    public string Id { get; init; } = string.Empty;

    public string? DisplayName { get; init; }

    public string? Description { get; init; }

    public string? Version { get; init; }

    public bool OverridesBuiltIn { get; init; }

    /// <summary>The class's simple name.</summary>
    public string ClassName { get; init; } = string.Empty;

    /// <summary>The namespace, or null for the global namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The C# name with <c>global::</c>, for code: <c>global::Acme.Outer.Engine</c>.</summary>
    public string FullyQualifiedName { get; init; } = string.Empty;

    /// <summary>The runtime name, for the manifest: <c>Acme.Outer+Engine</c>.</summary>
    public string MetadataName { get; init; } = string.Empty;

    /// <summary>Declarations of the enclosing types, outermost first (<c>partial class Outer</c>), for nested engines.</summary>
    public EquatableArray<string> ContainingTypes { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Whether every declaration of the class (and its enclosing types) is partial, so members can be added.</summary>
    public bool IsPartial { get; init; }

    /// <summary>The class's declaration keywords for the partial part: <c>sealed partial class</c> etc. are not repeated; this is <c>partial class</c> or <c>partial record</c>.</summary>
    public string TypeKeyword { get; init; } = "class";

    public EngineKindModel Kind { get; init; }

    /// <summary>Derives from the <c>ContextEngine</c> base class (tool members are then overrides).</summary>
    public bool DerivesFromContextEngineBase { get; init; }

    public ConstructorShape Constructor { get; init; }

    /// <summary>Not abstract, not static, not generic, and visible to the assembly.</summary>
    public bool IsInstantiable { get; init; }

    /// <summary>The engine's tools (context engines only).</summary>
    public EquatableArray<ToolModel> Tools { get; init; } = EquatableArray<ToolModel>.Empty;

    /// <summary>Whether the class itself already declares <c>GetToolSchemas</c> / <c>HandleToolCallAsync</c>.</summary>
    public bool DeclaresToolMembers { get; init; }

    /// <summary>Whether the generator can emit a descriptor for this engine at all.</summary>
    public bool CanRegister => Kind != EngineKindModel.None && IsInstantiable && Constructor != ConstructorShape.None && Id.Length > 0;

    /// <summary>
    /// The part of the model the per-assembly catalog needs, with the descriptive fields as the manifest composes them
    /// (so the catalog and the stamped engine_package.yaml never disagree); tool edits leave it equal.
    /// </summary>
    public CatalogEntry ToCatalogEntry(CompactMemory.Manifest.EngineManifest composed) => new(
        Id,
        composed.DisplayName,
        composed.Description,
        composed.Version,
        composed.Authors is null ? EquatableArray<string>.Empty : System.Linq.Enumerable.Select(composed.Authors, a => a.ToString()).ToEquatableArray(),
        composed.OverridesBuiltIn,
        FullyQualifiedName,
        Kind,
        Constructor);
}

/// <summary>One engine as the catalog lists it.</summary>
internal sealed record CatalogEntry(
    string Id,
    string? DisplayName,
    string? Description,
    string? Version,
    EquatableArray<string> Authors,
    bool OverridesBuiltIn,
    string FullyQualifiedName,
    EngineKindModel Kind,
    ConstructorShape Constructor);
