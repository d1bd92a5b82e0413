using System;
using System.Collections.Generic;

namespace CompactMemory.Context;

/// <summary>
/// The settings of the built-in <see cref="ContextCompressor"/> (the <c>compression:</c> keys of <c>config.yaml</c>).
/// Every value has the documented default; the compressor validates them when it is built and names the setting
/// and the fix when one is out of range.
/// </summary>
public sealed record ContextCompressorOptions
{
    /// <summary>The main model's name; selects a per-model threshold from <see cref="ModelThresholds"/>. Default empty.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>The share of the context window at which compaction fires (<c>threshold</c>), in (0, 1]. Default 0.50.</summary>
    public double ThresholdPercent { get; init; } = 0.50;

    /// <summary>Non-system head messages kept verbatim on the first compaction (<c>protect_first_n</c>), 0 or more. Default 3.</summary>
    public int ProtectFirstN { get; init; } = 3;

    /// <summary>The minimum number of tail messages kept verbatim (<c>protect_last_n</c>), 0 or more. Default 20.</summary>
    public int ProtectLastN { get; init; } = 20;

    /// <summary>The tail's token budget as a share of the threshold (<c>target_ratio</c>); clamped to [0.10, 0.80]. Default 0.20.</summary>
    public double SummaryTargetRatio { get; init; } = 0.20;

    /// <summary>The model that writes summaries when it is not the main model, or <see langword="null"/>.</summary>
    public string? SummaryModelOverride { get; init; }

    /// <summary>The configured context window in tokens; <see cref="DefaultContextLength"/> is used when <see langword="null"/>.</summary>
    public int? ContextLength { get; init; }

    /// <summary>The main model's output-token limit, reserved from the window before the threshold is computed; <see langword="null"/> for none.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>When true, a failed summary leaves the conversation unchanged instead of inserting a fallback summary (<c>abort_on_summary_failure</c>).</summary>
    public bool AbortOnSummaryFailure { get; init; }

    /// <summary>
    /// Per-model thresholds: a model-name substring mapped to a share of the window in (0, 1]; the longest key found in
    /// the model name wins (<c>model_thresholds</c>). <see langword="null"/> for none.
    /// </summary>
    public IReadOnlyDictionary<string, double>? ModelThresholds { get; init; }

    /// <summary>How long one summary call may take (<c>auxiliary.compression.timeout</c>). Default 120 seconds.</summary>
    public TimeSpan SummaryTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>When true, informational log lines are left out (warnings still appear).</summary>
    public bool QuietMode { get; init; }

    /// <summary>The context window used when none is configured or resolved. Default 128,000.</summary>
    public int DefaultContextLength { get; init; } = 128_000;
}
