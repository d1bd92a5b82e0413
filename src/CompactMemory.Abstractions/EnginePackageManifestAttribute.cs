using System;

namespace CompactMemory;

/// <summary>
/// Carries an engine's generated <c>engine_package.yaml</c> and <c>tools.json</c> in the assembly's metadata, so
/// build and packaging tools read them with System.Reflection.Metadata without running any code. Emitted by the
/// SDK's source generator, once per engine.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class EnginePackageManifestAttribute : Attribute
{
    /// <summary>Records an engine's package files.</summary>
    /// <param name="engineId">The engine id.</param>
    /// <param name="manifestYaml">The text of its <c>engine_package.yaml</c>.</param>
    /// <param name="toolsJson">The text of its <c>tools.json</c>: a JSON array of <c>{name, description, parameters}</c>.</param>
    public EnginePackageManifestAttribute(string engineId, string manifestYaml, string toolsJson)
    {
        EngineId = engineId;
        ManifestYaml = manifestYaml;
        ToolsJson = toolsJson;
    }

    /// <summary>The engine id.</summary>
    public string EngineId { get; }

    /// <summary>The text of the engine's <c>engine_package.yaml</c>.</summary>
    public string ManifestYaml { get; }

    /// <summary>The text of the engine's <c>tools.json</c>.</summary>
    public string ToolsJson { get; }
}
