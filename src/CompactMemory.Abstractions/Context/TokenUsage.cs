using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// The token usage of one provider response, passed to <see cref="IContextEngine.UpdateFromResponse"/>.
/// Absent counts read as zero, as in a degenerate provider response.
/// </summary>
public sealed record TokenUsage
{
    /// <summary>Tokens of the prompt (<c>prompt_tokens</c>).</summary>
    public int PromptTokens { get; init; }

    /// <summary>Tokens of the completion, the canonical output count (<c>completion_tokens</c>).</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Prompt plus completion (<c>total_tokens</c>).</summary>
    public int TotalTokens { get; init; }

    /// <summary>Input tokens as the provider names them (<c>input_tokens</c>), when reported.</summary>
    public int? InputTokens { get; init; }

    /// <summary>Output tokens as the provider names them (<c>output_tokens</c>), when reported.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>Prompt tokens served from the provider's cache (<c>cache_read_tokens</c>), when reported.</summary>
    public int? CacheReadTokens { get; init; }

    /// <summary>Prompt tokens written to the provider's cache (<c>cache_write_tokens</c>), when reported.</summary>
    public int? CacheWriteTokens { get; init; }

    /// <summary>Reasoning tokens (<c>reasoning_tokens</c>), when reported.</summary>
    public int? ReasoningTokens { get; init; }

    /// <summary>Converts Microsoft.Extensions.AI usage details; missing counts become zero.</summary>
    /// <param name="usage">The usage of a chat response, or <see langword="null"/> when the provider sent none.</param>
    /// <returns>The usage record.</returns>
    public static TokenUsage FromUsageDetails(UsageDetails? usage)
    {
        if (usage is null)
        {
            return new TokenUsage();
        }

        var prompt = Clamp(usage.InputTokenCount);
        var completion = Clamp(usage.OutputTokenCount);
        return new TokenUsage
        {
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = Clamp(usage.TotalTokenCount ?? ((long)prompt + completion)),
            InputTokens = usage.InputTokenCount is null ? null : prompt,
            OutputTokens = usage.OutputTokenCount is null ? null : completion,
            CacheReadTokens = usage.CachedInputTokenCount is { } cached ? Clamp(cached) : null,
            ReasoningTokens = usage.ReasoningTokenCount is { } reasoning ? Clamp(reasoning) : null,
        };
    }

    private static int Clamp(long? value) => value switch
    {
        null => 0,
        > int.MaxValue => int.MaxValue,
        < 0 => 0,
        _ => (int)value.Value,
    };
}
