using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace CompactMemory.BuiltIn;

/// <summary>The built-in engines, declared once and registered in every process, in this order, without reflection.</summary>
public static class BuiltInEngines
{
    /// <summary>The descriptors of <c>none</c>, <c>first_last</c>, <c>stopword_pruner</c> and <c>pipeline</c>.</summary>
    public static IReadOnlyList<EngineDescriptor> Descriptors { get; } =
    [
        new(NoCompressionEngine.EngineId, EngineKind.Compression, typeof(NoCompressionEngine), context => new NoCompressionEngine(context.Config))
        {
            DisplayName = "No Compression",
            Description = "Returns the text unchanged, cut to the token budget.",
        },
        new(FirstLastEngine.EngineId, EngineKind.Compression, typeof(FirstLastEngine), context => new FirstLastEngine(context.Config))
        {
            DisplayName = "First/Last",
            Description = "Keeps the first and last tokens of the text within the budget.",
        },
        new(StopwordPrunerEngine.EngineId, EngineKind.Compression, typeof(StopwordPrunerEngine), context => new StopwordPrunerEngine(context.Config))
        {
            DisplayName = "Stopword Pruner",
            Description = "Removes stopwords, fillers and punctuation, then cuts to the token budget.",
        },
        new(PipelineEngine.EngineId, EngineKind.Compression, typeof(PipelineEngine), CreatePipeline)
        {
            DisplayName = "Pipeline",
            Description = "Runs several engines in sequence.",
        },
    ];

    /// <summary>A pipeline's stages come from its configuration's <c>engines</c> list (none: an empty pipeline).</summary>
    private static PipelineEngine CreatePipeline(EngineCreationContext context)
    {
        if (context.Config is null || !context.Config.Extras.TryGetPropertyValue("engines", out var engines))
        {
            return new PipelineEngine([], context.Config);
        }

        // The stages live in the pipeline's steps, not in its own configuration.
        var own = context.Config.ToJsonObject();
        own.Remove("engines");
        return PipelineEngine.FromJson(new JsonObject { ["engines"] = engines?.DeepClone() }, context.Engines, Compression.EngineConfig.FromJsonObject(own));
    }
}
