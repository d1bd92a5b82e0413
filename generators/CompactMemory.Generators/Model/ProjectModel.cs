using CompactMemory.Generators.Helpers;

namespace CompactMemory.Generators.Model;

/// <summary>The MSBuild properties the generator reads (through <c>CompilerVisibleProperty</c>).</summary>
internal sealed record ProjectProperties(
    string? RootNamespace,
    string? Version,
    string? Authors,
    string? Description,
    string? Title,
    bool RegisterOnLoad);

/// <summary>Facts about the compilation that decide what the aggregate offers.</summary>
internal sealed record CompilationFacts(
    string AssemblyName,
    bool ReferencesRuntime,
    bool ReferencesDependencyInjection,
    EquatableArray<string> ReferencedCatalogs,
    bool HasModuleInitializerAttribute = true);

/// <summary>A hand-written <c>engine_package.yaml</c> passed as an additional file, with the engine id it names (read once).</summary>
internal sealed record ManifestFile(string Path, string Text, string? EngineId);
