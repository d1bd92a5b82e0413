using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CompactMemory.Context;

/// <summary>
/// The built-in context engine (<c>compressor</c>): when the prompt reaches the threshold it keeps the system prompt,
/// the head and a token-budgeted tail verbatim, trims old tool output, and replaces the middle with one summary
/// written by any <see cref="IChatClient"/> — or, when none is configured or the call fails, by a deterministic offline
/// fallback. Tool calls and their results are never split or orphaned, the last user message and the last visible
/// assistant reply stay in the tail, and exactly one message carries the summary.
/// <code>
/// var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = 200_000 }, summaryClient);
/// if (compressor.ShouldCompress(promptTokens))
/// {
///     messages = await compressor.CompressAsync(messages, promptTokens);
/// }
/// </code>
/// </summary>
/// <remarks>
/// The input list and its messages are never changed; the result is a new list that shares unchanged messages with
/// the input. <see cref="LastCompressionOutcome"/> says after each call whether it aborted or used the fallback.
/// </remarks>
public sealed partial class ContextCompressor : ContextEngine, ICompressionOutcomeSource, ICompressionCalibration
{
    /// <summary>The smallest threshold the compressor aims for; smaller windows get 85 % of the window instead.</summary>
    public const int MinimumContextLength = 64_000;

    /// <summary>The ceiling of the summary budget in tokens.</summary>
    private const int SummaryTokensCeiling = 10_000;

    private readonly CompactionSummarizer _summarizer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly bool _quiet;
    private readonly int _defaultContextLength;
    private readonly int? _configuredContextLength;
    private bool _antiThrashWarned;

    /// <summary>Creates the compressor.</summary>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <param name="summaryClient">The model that writes summaries; <see langword="null"/> uses the deterministic fallback summary.</param>
    /// <param name="logger">Where to log; nothing is logged when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the summary-failure cooldowns; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    public ContextCompressor(ContextCompressorOptions? options = null, IChatClient? summaryClient = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        options ??= new ContextCompressorOptions();
        Validate(options);

        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _quiet = options.QuietMode;
        _defaultContextLength = options.DefaultContextLength;
        _configuredContextLength = options.ContextLength;
        if (options.ModelThresholds is { Count: > 0 } thresholds)
        {
            foreach (var pair in thresholds)
            {
                ModelThresholds[pair.Key] = pair.Value;
            }
        }

        Model = options.Model ?? string.Empty;
        _summarizer = new CompactionSummarizer(summaryClient, options.SummaryTimeout, _time)
        {
            Model = Model,
            SummaryModel = options.SummaryModelOverride ?? string.Empty,
        };

        ProtectFirstN = options.ProtectFirstN;
        ProtectLastN = options.ProtectLastN;
        SummaryTargetRatio = Math.Clamp(options.SummaryTargetRatio, 0.10, 0.80);
        AbortOnSummaryFailure = options.AbortOnSummaryFailure;
        MaxTokens = options.MaxTokens;
        ThresholdPercent = options.ThresholdPercent;
        ContextLength = options.ContextLength ?? options.DefaultContextLength;
        ApplyThresholdPercent();
        RecomputeBudgets();
    }

    /// <inheritdoc />
    public override string Name => "compressor";

    /// <summary>The main model's name.</summary>
    public string Model { get; private set; }

    /// <summary>The provider's base URL, as last given to <see cref="UpdateModel(string, int, string, string, string, string, int?)"/>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The provider's name, as last given to <see cref="UpdateModel(string, int, string, string, string, string, int?)"/>.</summary>
    public string Provider { get; private set; } = string.Empty;

    /// <summary>The provider's API mode, as last given to <see cref="UpdateModel(string, int, string, string, string, string, int?)"/>.</summary>
    public string ApiMode { get; private set; } = string.Empty;

    /// <summary>Tokens of recent messages kept verbatim: <c>(int)(ThresholdTokens × SummaryTargetRatio)</c> (<c>tail_token_budget</c>).</summary>
    public int TailTokenBudget { get; private set; }

    /// <summary>The ceiling of a summary's token budget: <c>min((int)(ContextLength × 0.05), 10,000)</c> (<c>max_summary_tokens</c>).</summary>
    public int MaxSummaryTokens { get; private set; }

    /// <summary>The tail budget as a share of the threshold, clamped to [0.10, 0.80] (<c>summary_target_ratio</c>).</summary>
    public double SummaryTargetRatio { get; }

    /// <summary>When true, a failed summary leaves the conversation unchanged instead of inserting a fallback summary.</summary>
    public bool AbortOnSummaryFailure { get; set; }

    /// <summary>The main model's output-token limit, reserved from the window before the threshold is computed; <see langword="null"/> for none.</summary>
    public int? MaxTokens { get; private set; }

    /// <summary>The body of the last summary (no prefix, no END marker), extended by the next compaction; <see langword="null"/> when none.</summary>
    public string? PreviousSummary => _summarizer.PreviousSummary;

    /// <summary>How much the last compaction saved, in percent of the tokens before it; 100 until the first one.</summary>
    public double LastCompressionSavingsPct { get; private set; } = 100.0;

    /// <summary>Consecutive compactions that saved less than 10 %; at 2, <see cref="ShouldCompress"/> holds back (anti-thrash).</summary>
    public int IneffectiveCompressionCount { get; private set; }

    /// <summary>The last positive prompt-token count a provider reported.</summary>
    public int LastRealPromptTokens { get; private set; }

    /// <summary>The rough token estimate of the last compaction's result; the host may set it after compressing.</summary>
    public int LastCompressionRoughTokens { get; set; }

    /// <summary>The rough estimate of a conversation whose real prompt fitted under the threshold, for preflight calibration.</summary>
    public int LastRoughTokensWhenRealPromptFit { get; private set; }

    /// <summary>True between a compaction and the next provider usage; the host sets it after compressing, <see cref="UpdateFromResponse"/> clears it.</summary>
    public bool AwaitingRealUsageAfterCompression { get; set; }

    /// <summary>True while a summary-failure cooldown holds automatic compaction back.</summary>
    public bool SummaryCooldownActive => _summarizer.CooldownActive;

    /// <inheritdoc />
    public CompressionOutcome? LastCompressionOutcome { get; private set; }

    /// <summary>
    /// The threshold for a window: the output reserve (<paramref name="maxTokens"/>) is taken off the window, the
    /// threshold is <c>max((int)(effective × percent), 64,000)</c>, and when that floor would be unreachable
    /// (at or above the effective window) it is <c>max(1, min((int)(effective × 0.85), effective − 1))</c> instead.
    /// </summary>
    /// <param name="contextLength">The context window in tokens, at least 1.</param>
    /// <param name="percent">The share of the window, 0 or more.</param>
    /// <param name="maxTokens">The output-token reserve, or <see langword="null"/>.</param>
    /// <returns>The threshold in tokens: 100,000 → 64,000; 200,000 → 100,000; 64,000 → 54,400.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static int ComputeThresholdTokens(int contextLength, double percent, int? maxTokens)
    {
        if (contextLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "The context length must be a positive number of tokens.");
        }

        if (double.IsNaN(percent) || percent < 0 || double.IsInfinity(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "The threshold percent must be a finite share of the window, such as 0.5.");
        }

        if (maxTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "The output-token reserve must be 0 or more, or null for none.");
        }

        long effective = (long)contextLength - (maxTokens ?? 0);
        if (effective <= 0)
        {
            effective = contextLength;
        }

        var floored = Math.Max(Truncate(effective * percent), MinimumContextLength);
        if (floored >= effective)
        {
            return (int)Math.Max(1, Math.Min(Truncate(effective * 0.85), effective - 1));
        }

        return (int)floored;
    }

    /// <inheritdoc />
    public override void UpdateFromResponse(TokenUsage usage)
    {
        base.UpdateFromResponse(usage);
        var prompt = usage.PromptTokens;
        if (prompt > 0)
        {
            LastRealPromptTokens = prompt;
            if (prompt < ThresholdTokens && AwaitingRealUsageAfterCompression && LastCompressionRoughTokens > 0)
            {
                LastRoughTokensWhenRealPromptFit = LastCompressionRoughTokens;
            }
            else if (prompt >= ThresholdTokens)
            {
                LastRoughTokensWhenRealPromptFit = 0;
            }
        }

        AwaitingRealUsageAfterCompression = false;
    }

    /// <summary>
    /// True when the prompt reaches the threshold (equality fires), no summary-failure cooldown runs, and fewer than
    /// two consecutive compactions were ineffective.
    /// </summary>
    /// <param name="promptTokens">The prompt size; <see cref="ContextEngine.LastPromptTokens"/> when <see langword="null"/>.</param>
    /// <returns>True when compaction should fire.</returns>
    public override bool ShouldCompress(int? promptTokens = null) => Decide(promptTokens).ShouldCompress;

    /// <summary>The same verdict as <see cref="ShouldCompress"/>, with the reason when the threshold is reached but compaction is held back: <c>"cooldown"</c> or <c>"anti_thrash"</c>.</summary>
    /// <param name="promptTokens">The prompt size; <see cref="ContextEngine.LastPromptTokens"/> when <see langword="null"/>.</param>
    /// <returns>The decision.</returns>
    public override CompressionDecision ShouldCompressInfo(int? promptTokens = null) => Decide(promptTokens);

    private CompressionDecision Decide(int? promptTokens)
    {
        var tokens = promptTokens ?? LastPromptTokens;
        if (tokens < ThresholdTokens)
        {
            return new CompressionDecision(false, null);
        }

        if (_summarizer.CooldownActive)
        {
            return new CompressionDecision(false, "cooldown");
        }

        if (IneffectiveCompressionCount >= 2)
        {
            if (!_antiThrashWarned)
            {
                _antiThrashWarned = true;
                LogAntiThrash(_logger, IneffectiveCompressionCount, null);
            }

            return new CompressionDecision(false, "anti_thrash");
        }

        return new CompressionDecision(true, null);
    }

    /// <summary>
    /// True to skip a preflight check at <paramref name="roughTokens"/> and wait for the provider's real count: always
    /// right after a compaction, and while the rough estimate has grown little since a real prompt last fitted.
    /// </summary>
    /// <param name="roughTokens">The host's rough estimate of the request.</param>
    /// <returns>True to defer.</returns>
    public override bool ShouldDeferPreflightToRealUsage(int roughTokens)
    {
        if (roughTokens < ThresholdTokens)
        {
            return false;
        }

        if (AwaitingRealUsageAfterCompression)
        {
            return true;
        }

        if (LastRealPromptTokens <= 0 || LastRealPromptTokens >= ThresholdTokens)
        {
            return false;
        }

        var baseline = LastRoughTokensWhenRealPromptFit != 0 ? LastRoughTokensWhenRealPromptFit : LastCompressionRoughTokens;
        if (baseline <= 0)
        {
            return false;
        }

        var growth = Math.Max(0L, (long)roughTokens - baseline);
        if (growth > Math.Max(4096, (int)(ThresholdTokens * 0.05)))
        {
            return false;
        }

        LastRoughTokensWhenRealPromptFit = Math.Max(baseline, roughTokens);
        return true;
    }

    /// <inheritdoc />
    public override void OnSessionReset()
    {
        base.OnSessionReset();
        ClearSessionState();
    }

    /// <summary>A real session boundary: clears every per-session field, as <see cref="OnSessionReset"/> does, except the token counters.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="messages">The session's conversation.</param>
    public override void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages) => ClearSessionState();

    /// <summary>
    /// A session begins: a summary-failure cooldown of an earlier session no longer applies. After a rotation caused
    /// by compaction (<see cref="SessionStartContext.BoundaryReason"/> <c>"compression"</c>) the anti-thrash count is
    /// carried over, since the conversation continues; otherwise it starts at 0.
    /// </summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="context">What the host knows about the session.</param>
    public override void OnSessionStart(string sessionId, SessionStartContext context)
    {
        _summarizer.ClearCooldown();
        if (!string.Equals(context?.BoundaryReason, "compression", StringComparison.Ordinal))
        {
            IneffectiveCompressionCount = 0;
            _antiThrashWarned = false;
        }
    }

    /// <summary>The model changed; the output reserve is kept. See <see cref="UpdateModel(string, int, string, string, string, string, int?)"/>.</summary>
    /// <param name="model">The model id.</param>
    /// <param name="contextLength">The model's context window; 0 when unknown (the configured or default window is used).</param>
    /// <param name="baseUrl">The provider's base URL.</param>
    /// <param name="apiKey">The provider's key (not stored by the compressor).</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="apiMode">The provider's API mode.</param>
    public override void UpdateModel(string model, int contextLength, string baseUrl = "", string apiKey = "", string provider = "", string apiMode = "")
        => UpdateModel(model, contextLength, baseUrl, apiKey, provider, apiMode, null);

    /// <summary>
    /// The model changed: stores the runtime, resolves the per-model threshold, recomputes the threshold, the tail
    /// budget and the summary budget, and zeroes the token counters, the preflight calibration and the anti-thrash count.
    /// </summary>
    /// <param name="model">The model id.</param>
    /// <param name="contextLength">The model's context window; 0 when unknown (the configured or default window is used).</param>
    /// <param name="baseUrl">The provider's base URL.</param>
    /// <param name="apiKey">The provider's key (not stored by the compressor).</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="apiMode">The provider's API mode.</param>
    /// <param name="maxTokens">The model's output-token limit; <see langword="null"/> keeps the current one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contextLength"/> or <paramref name="maxTokens"/> is negative.</exception>
    public void UpdateModel(string model, int contextLength, string baseUrl, string apiKey, string provider, string apiMode, int? maxTokens)
    {
        if (contextLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "The context length must be a positive number of tokens, or 0 when unknown.");
        }

        if (maxTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "The output-token limit must be 0 or more, or null to keep the current one.");
        }

        Model = model ?? string.Empty;
        BaseUrl = baseUrl ?? string.Empty;
        Provider = provider ?? string.Empty;
        ApiMode = apiMode ?? string.Empty;
        _summarizer.Model = Model;
        if (maxTokens is not null)
        {
            MaxTokens = maxTokens;
        }

        ContextLength = contextLength > 0 ? contextLength : _configuredContextLength ?? _defaultContextLength;
        ApplyThresholdPercent();
        RecomputeBudgets();

        LastPromptTokens = 0;
        LastCompletionTokens = 0;
        LastTotalTokens = 0;
        LastRealPromptTokens = 0;
        LastCompressionRoughTokens = 0;
        LastRoughTokensWhenRealPromptFit = 0;
        AwaitingRealUsageAfterCompression = false;
        IneffectiveCompressionCount = 0;
        _antiThrashWarned = false;
    }

    /// <inheritdoc />
    public override ContextEngineStatus GetStatus()
    {
        var status = base.GetStatus();
        return status with
        {
            Extra = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
            {
                ["tail_token_budget"] = TailTokenBudget,
                ["max_summary_tokens"] = MaxSummaryTokens,
                ["ineffective_compression_count"] = IneffectiveCompressionCount,
                ["last_compression_savings_pct"] = Math.Round(LastCompressionSavingsPct, 2),
                ["summary_cooldown_active"] = SummaryCooldownActive,
            },
        };
    }

    /// <summary>Clears every per-session field (the previous summary, anti-thrash, cooldown, result flags, calibration).</summary>
    private void ClearSessionState()
    {
        _summarizer.ResetSession();
        LastCompressionSavingsPct = 100.0;
        IneffectiveCompressionCount = 0;
        _antiThrashWarned = false;
        LastCompressionOutcome = null;
        LastRealPromptTokens = 0;
        LastCompressionRoughTokens = 0;
        LastRoughTokensWhenRealPromptFit = 0;
        AwaitingRealUsageAfterCompression = false;
    }

    /// <summary>
    /// Sets <see cref="ContextEngine.ThresholdPercent"/> to the model's <see cref="ContextEngine.ModelThresholds"/>
    /// override or the configured share (the base's one resolution rule).
    /// </summary>
    private void ApplyThresholdPercent() => ResolveThresholdPercent(Model);

    /// <inheritdoc />
    public void AwaitRealUsageAfterCompression(int compressedRoughTokens)
    {
        LastCompressionRoughTokens = Math.Max(0, compressedRoughTokens);
        AwaitingRealUsageAfterCompression = true;
    }

    private void RecomputeBudgets()
    {
        ThresholdTokens = ComputeThresholdTokens(ContextLength, ThresholdPercent, MaxTokens);
        TailTokenBudget = (int)Truncate(ThresholdTokens * SummaryTargetRatio);
        MaxSummaryTokens = (int)Math.Min(Truncate(ContextLength * 0.05), SummaryTokensCeiling);
        if (ContextLength < MinimumContextLength)
        {
            LogSmallWindow(_logger, ContextLength, MinimumContextLength, ThresholdTokens, null);
        }
    }

    private static long Truncate(double value) =>
        double.IsNaN(value) ? 0 : value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

    private static void Validate(ContextCompressorOptions options)
    {
        if (double.IsNaN(options.ThresholdPercent) || options.ThresholdPercent <= 0 || options.ThresholdPercent > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ThresholdPercent.ToString(CultureInfo.InvariantCulture),
                "ContextCompressorOptions.ThresholdPercent must be a share of the window in (0, 1], such as 0.5.");
        }

        if (options.ProtectFirstN < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ProtectFirstN, "ContextCompressorOptions.ProtectFirstN must be 0 or more.");
        }

        if (options.ProtectLastN < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ProtectLastN, "ContextCompressorOptions.ProtectLastN must be 0 or more.");
        }

        if (double.IsNaN(options.SummaryTargetRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SummaryTargetRatio, "ContextCompressorOptions.SummaryTargetRatio must be a number; it is clamped to [0.10, 0.80].");
        }

        if (options.ContextLength is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ContextLength,
                "ContextCompressorOptions.ContextLength must be a positive number of tokens, or null to use DefaultContextLength.");
        }

        if (options.DefaultContextLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DefaultContextLength, "ContextCompressorOptions.DefaultContextLength must be a positive number of tokens.");
        }

        if (options.MaxTokens is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxTokens, "ContextCompressorOptions.MaxTokens must be 0 or more, or null for no output reserve.");
        }

        if (options.SummaryTimeout <= TimeSpan.Zero && options.SummaryTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SummaryTimeout, "ContextCompressorOptions.SummaryTimeout must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (options.ModelThresholds is { } thresholds)
        {
            foreach (var pair in thresholds)
            {
                if (pair.Key is null || double.IsNaN(pair.Value) || pair.Value <= 0 || pair.Value > 1)
                {
                    throw new ArgumentOutOfRangeException(nameof(options), pair.Value,
                        "ContextCompressorOptions.ModelThresholds['" + pair.Key + "'] must be a share of the window in (0, 1], such as 0.85.");
                }
            }
        }
    }

    private static readonly Action<ILogger, int, Exception?> LogAntiThrash = LoggerMessage.Define<int>(
        LogLevel.Warning,
        new EventId(1, "CompressionAntiThrash"),
        "Automatic compaction is paused: the last {IneffectiveCount} compactions each saved less than 10%. Consider /new to start a fresh session, or /compress <topic> to focus the summary.");

    private static readonly Action<ILogger, int, int, int, Exception?> LogSmallWindow = LoggerMessage.Define<int, int, int>(
        LogLevel.Warning,
        new EventId(2, "CompressionSmallWindow"),
        "Context window of {ContextLength} tokens is below the {Minimum}-token minimum; compaction fires at {Threshold} tokens.");
}
