using System.Text.Json.Nodes;
using CompactMemory.Compression;

namespace CompactMemory.BuiltIn;

/// <summary>One stage of a <see cref="PipelineEngine"/>: the engine and the step it was built from.</summary>
/// <param name="EngineName">The engine id (<c>engine_name</c>).</param>
/// <param name="EngineParams">The parameters it was built with (<c>engine_params</c>).</param>
/// <param name="Engine">The engine.</param>
public sealed record PipelineStage(string EngineName, JsonObject EngineParams, CompressionEngine Engine)
{
    /// <summary>Wraps an engine instance as a stage with no parameters.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>The stage.</returns>
    public static PipelineStage Of(CompressionEngine engine)
    {
        System.ArgumentNullException.ThrowIfNull(engine);
        return new PipelineStage(engine.Id, [], engine);
    }

    /// <summary>The step as JSON: <c>{"engine_name": …, "engine_params": …}</c>.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJsonObject() => new() { ["engine_name"] = EngineName, ["engine_params"] = EngineParams.DeepClone() };
}
