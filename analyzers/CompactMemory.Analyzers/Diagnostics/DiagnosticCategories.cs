namespace CompactMemory.Analyzers.Diagnostics;

/// <summary>The categories diagnostics are grouped by; <c>.editorconfig</c> can set a whole category's severity.</summary>
internal static class DiagnosticCategories
{
    /// <summary>Rules about <c>engine_package.yaml</c> and how it agrees with the code.</summary>
    public const string Manifest = "CompactMemory.Manifest";

    /// <summary>Rules about engine classes and their ids.</summary>
    public const string Engines = "CompactMemory.Engines";

    /// <summary>Rules about the context-engine contract (token counters, <c>Name</c>).</summary>
    public const string ContextEngines = "CompactMemory.ContextEngines";

    /// <summary>Rules about <c>[EngineTool]</c> methods.</summary>
    public const string Tools = "CompactMemory.Tools";
}
