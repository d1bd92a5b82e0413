using System;
using System.Collections.Generic;

namespace CompactMemory.Context;

/// <summary>The <c>compression:</c> section of <c>config.yaml</c>: the built-in compressor's settings (and <c>enabled</c>, which applies to every engine).</summary>
public sealed record CompressionSettings
{
    /// <summary>Whether automatic compaction runs (<c>enabled</c>); true iff the value's text, lowercased, is <c>true</c>, <c>1</c> or <c>yes</c>. Applies to every engine. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The share of the context window at which compaction fires (<c>threshold</c>), in (0, 1]. Default 0.50.</summary>
    public double Threshold { get; init; } = 0.50;

    /// <summary>The tail budget as a share of the threshold (<c>target_ratio</c>); the compressor clamps it to [0.10, 0.80]. Default 0.20.</summary>
    public double TargetRatio { get; init; } = 0.20;

    /// <summary>Tail messages kept verbatim (<c>protect_last_n</c>), 0 or more. Default 20.</summary>
    public int ProtectLastN { get; init; } = 20;

    /// <summary>Non-system head messages kept verbatim (<c>protect_first_n</c>); negative values read as 0. Default 3.</summary>
    public int ProtectFirstN { get; init; } = 3;

    /// <summary>Whether a failed summary leaves the conversation unchanged instead of inserting a fallback summary (<c>abort_on_summary_failure</c>). Default false.</summary>
    public bool AbortOnSummaryFailure { get; init; }

    /// <summary>Session hygiene: force a compaction when a conversation reaches this many messages (<c>hygiene_hard_message_limit</c>). Default 400.</summary>
    public int HygieneHardMessageLimit { get; init; } = 400;

    /// <summary>Whether a Codex <c>gpt-5.5</c> model's threshold is raised to 0.85 (<c>codex_gpt55_autoraise</c>); read, not applied by the SDK (hosts that route to that provider apply it). Default true.</summary>
    public bool CodexGpt55Autoraise { get; init; } = true;
}

/// <summary>The <c>auxiliary:</c> section of <c>config.yaml</c>: side models.</summary>
public sealed record AuxiliarySettings
{
    /// <summary>The summary model's runtime (<c>auxiliary.compression</c>).</summary>
    public AuxiliaryModelSettings Compression { get; init; } = new();
}

/// <summary>One side model's runtime (<c>auxiliary.compression</c>): which model writes summaries and how to reach it.</summary>
public sealed record AuxiliaryModelSettings
{
    /// <summary>The provider name (<c>provider</c>). Default <c>auto</c>.</summary>
    public string Provider { get; init; } = "auto";

    /// <summary>The model name (<c>model</c>); non-empty means the summary model differs from the main model. Default empty.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>The OpenAI-compatible endpoint (<c>base_url</c>). Default empty.</summary>
    public string BaseUrl { get; init; } = string.Empty;

    /// <summary>The API key (<c>api_key</c>). Default empty.</summary>
    public string ApiKey { get; init; } = string.Empty;

    /// <summary>How long one summary call may take (<c>timeout</c>, seconds). Default 120 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The summary model's context window (<c>context_length</c>), or <see langword="null"/> when not configured.</summary>
    public int? ContextLength { get; init; }

    /// <summary>Whether <c>extra_body</c> was given (a mapping of extra request fields; the SDK does not send it itself).</summary>
    public bool HasExtraBody { get; init; }
}

/// <summary>The <c>context:</c> section of <c>config.yaml</c>: which context engine runs.</summary>
public sealed record ContextSettings
{
    /// <summary>The name of the built-in engine.</summary>
    public const string BuiltInEngine = "compressor";

    /// <summary>The engine name (<c>engine</c>); an empty or false value reads as <c>compressor</c>.</summary>
    public string Engine { get; init; } = BuiltInEngine;
}

/// <summary>Model-name substrings mapped to thresholds (<c>model_thresholds</c>), ordinal keys in file order.</summary>
internal static class ModelThresholdMaps
{
    public static IReadOnlyDictionary<string, double> Empty { get; } = new Dictionary<string, double>(StringComparer.Ordinal);
}
