using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace CompactMemory.Context;

/// <summary>
/// What <see cref="IContextEngine.GetStatus"/> reports. <see cref="ToJsonObject"/> writes the keys
/// <c>last_prompt_tokens, threshold_tokens, context_length, usage_percent, compression_count</c> in that order,
/// followed by any <see cref="Extra"/> metrics the engine adds.
/// </summary>
public sealed record ContextEngineStatus
{
    /// <summary>The last real prompt token count, clamped to zero or more (<c>last_prompt_tokens</c>).</summary>
    public int LastPromptTokens { get; init; }

    /// <summary>The compaction threshold (<c>threshold_tokens</c>).</summary>
    public int ThresholdTokens { get; init; }

    /// <summary>The model's context window (<c>context_length</c>).</summary>
    public int ContextLength { get; init; }

    /// <summary>Prompt tokens as a percentage of the context window, at most 100 (<c>usage_percent</c>).</summary>
    public double UsagePercent { get; init; }

    /// <summary>Completed compressions (<c>compression_count</c>).</summary>
    public int CompressionCount { get; init; }

    /// <summary>Engine-specific metrics, written after the standard keys.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Extra { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>The status as a JSON object with the standard keys first, in the contract's order.</summary>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="System.InvalidOperationException">An <see cref="Extra"/> metric nests more than 128 levels deep or holds NaN or infinity; the message names it.</exception>
    public JsonObject ToJsonObject()
    {
        var json = new JsonObject
        {
            ["last_prompt_tokens"] = LastPromptTokens,
            ["threshold_tokens"] = ThresholdTokens,
            ["context_length"] = ContextLength,
            ["usage_percent"] = UsagePercent,
            ["compression_count"] = CompressionCount,
        };
        foreach (var metric in Extra)
        {
            if (Compression.JsonLimits.Problem(metric.Value) is { } problem)
            {
                throw new System.InvalidOperationException("Status metric '" + metric.Key + "' " + problem + ".");
            }

            json[metric.Key] = metric.Value?.DeepClone();
        }

        return json;
    }
}
