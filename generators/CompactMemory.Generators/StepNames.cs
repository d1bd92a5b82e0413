namespace CompactMemory.Generators;

/// <summary>Tracking names of the generator's pipeline steps, public so tests can assert each step's caching.</summary>
public static class StepNames
{
    /// <summary>Attributed classes turned into models.</summary>
    public const string Engines = nameof(Engines);

    /// <summary>The registrable engines' catalog entries, collected.</summary>
    public const string CatalogEntries = nameof(CatalogEntries);

    /// <summary>MSBuild properties.</summary>
    public const string ProjectProperties = nameof(ProjectProperties);

    /// <summary>Assembly name, referenced runtime pieces and referenced engine catalogs.</summary>
    public const string CompilationFacts = nameof(CompilationFacts);

    /// <summary>Hand-written manifests from additional files.</summary>
    public const string ManifestFiles = nameof(ManifestFiles);

    /// <summary>Per-engine inputs of the per-engine output.</summary>
    public const string EngineOutputs = nameof(EngineOutputs);

    /// <summary>Whether the assembly needs the shared tool-dispatch helpers, and its name.</summary>
    public const string ToolSupport = nameof(ToolSupport);

    /// <summary>Inputs of the per-assembly catalog output.</summary>
    public const string CatalogOutput = nameof(CatalogOutput);
}
