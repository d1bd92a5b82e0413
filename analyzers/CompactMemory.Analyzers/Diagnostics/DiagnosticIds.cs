namespace CompactMemory.Analyzers.Diagnostics;

/// <summary>
/// The diagnostic IDs, a public contract: stable, never reused. Plain constants so the code-fix assembly (linked
/// source, an older Roslyn) names the same IDs without referencing the analyzers.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>CM0001; see <c>docs/diagnostics/CM0001.md</c>.</summary>
    public const string EngineIdDiffersFromManifest = "CM0001";

    /// <summary>CM0002; see <c>docs/diagnostics/CM0002.md</c>.</summary>
    public const string ManifestClassNameDoesNotNameEngine = "CM0002";

    /// <summary>CM0003; see <c>docs/diagnostics/CM0003.md</c>.</summary>
    public const string ManifestModuleDiffersFromAssembly = "CM0003";

    /// <summary>CM0004; see <c>docs/diagnostics/CM0004.md</c>.</summary>
    public const string ManifestIsNotValidYaml = "CM0004";

    /// <summary>CM0005; see <c>docs/diagnostics/CM0005.md</c>.</summary>
    public const string ManifestFieldInvalid = "CM0005";

    /// <summary>CM0006; see <c>docs/diagnostics/CM0006.md</c>.</summary>
    public const string EngineIdMalformed = "CM0006";

    /// <summary>CM0007; see <c>docs/diagnostics/CM0007.md</c>.</summary>
    public const string DuplicateEngineId = "CM0007";

    /// <summary>CM0008; see <c>docs/diagnostics/CM0008.md</c>.</summary>
    public const string EngineCannotBeInstantiated = "CM0008";

    /// <summary>CM0009; see <c>docs/diagnostics/CM0009.md</c>.</summary>
    public const string AttributedClassIsNotAnEngine = "CM0009";

    /// <summary>CM0010; see <c>docs/diagnostics/CM0010.md</c>.</summary>
    public const string ContextEngineLacksTokenCounter = "CM0010";

    /// <summary>CM0011; see <c>docs/diagnostics/CM0011.md</c>.</summary>
    public const string TokenCounterNeverMaintained = "CM0011";

    /// <summary>CM0012; see <c>docs/diagnostics/CM0012.md</c>.</summary>
    public const string ContextEngineNameDiffersFromId = "CM0012";

    /// <summary>CM0013; see <c>docs/diagnostics/CM0013.md</c>.</summary>
    public const string EngineWithToolsIsNotPartial = "CM0013";

    /// <summary>CM0014; see <c>docs/diagnostics/CM0014.md</c>.</summary>
    public const string ToolTypeHasNoJsonSchema = "CM0014";

    /// <summary>CM0015; see <c>docs/diagnostics/CM0015.md</c>.</summary>
    public const string ToolNameInvalidOrDuplicate = "CM0015";

    /// <summary>CM0016; see <c>docs/diagnostics/CM0016.md</c>.</summary>
    public const string ToolDescriptionMissing = "CM0016";

    /// <summary>CM0017; see <c>docs/diagnostics/CM0017.md</c>.</summary>
    public const string EngineToolOnInvalidMethod = "CM0017";

    /// <summary>CM0018; see <c>docs/diagnostics/CM0018.md</c>.</summary>
    public const string ManifestVersionDiffersFromProject = "CM0018";
}
