using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// The base of context engines, with every optional member of <see cref="IContextEngine"/> at the contract's
/// default. A subclass supplies <see cref="Name"/> and <see cref="CompressCoreAsync"/>; the base keeps the
/// token counters: <see cref="UpdateFromResponse"/> records usage and <see cref="CompressAsync"/> counts compactions.
/// Every engine is also a Microsoft.Extensions.AI <see cref="IChatReducer"/> (<see cref="ReduceAsync"/>) and accepts
/// session carry-over (<see cref="ISessionCarryOver"/>, a no-op by default).
/// <code>
/// [CompressionEngine("keep_tail")]
/// public sealed class KeepTailEngine : ContextEngine
/// {
///     public override string Name => "keep_tail";
///
///     protected override Task&lt;IReadOnlyList&lt;ChatMessage&gt;&gt; CompressCoreAsync(IReadOnlyList&lt;ChatMessage&gt; messages,
///         int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
///         =&gt; Task.FromResult&lt;IReadOnlyList&lt;ChatMessage&gt;&gt;(messages.Skip(messages.Count - ProtectLastN).ToList());
/// }
/// </code>
/// </summary>
public abstract class ContextEngine : IContextEngine, IChatReducer, ISessionCarryOver
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public int LastPromptTokens { get; set; }

    /// <inheritdoc />
    public int LastCompletionTokens { get; set; }

    /// <inheritdoc />
    public int LastTotalTokens { get; set; }

    /// <inheritdoc />
    public int ThresholdTokens { get; set; }

    /// <inheritdoc />
    public int ContextLength { get; set; }

    /// <inheritdoc />
    public int CompressionCount { get; set; }

    /// <inheritdoc />
    public virtual double ThresholdPercent { get; set; } = 0.75;

    /// <inheritdoc />
    public virtual int ProtectFirstN { get; set; } = 3;

    /// <inheritdoc />
    public virtual int ProtectLastN { get; set; } = 6;

    /// <inheritdoc />
    public virtual bool EmitAutomaticCompactionStatus { get; set; } = true;

    /// <summary>Records the prompt, completion and total tokens of a response. Overrides should call the base.</summary>
    /// <param name="usage">The response's usage.</param>
    public virtual void UpdateFromResponse(TokenUsage usage)
    {
        ArgumentGuard.NotNull(usage, nameof(usage));

        LastPromptTokens = usage.PromptTokens;
        LastCompletionTokens = usage.CompletionTokens;
        LastTotalTokens = usage.TotalTokens;
    }

    /// <summary>True when a threshold is set and the prompt size reaches it.</summary>
    /// <param name="promptTokens">The prompt size to test; <see cref="LastPromptTokens"/> when <see langword="null"/>.</param>
    /// <returns>True when compaction should fire.</returns>
    public virtual bool ShouldCompress(int? promptTokens = null)
    {
        var tokens = promptTokens ?? LastPromptTokens;
        return ThresholdTokens > 0 && tokens >= ThresholdTokens;
    }

    /// <summary>Runs <see cref="CompressCoreAsync"/> and counts the compaction. Overrides should call the base.</summary>
    /// <inheritdoc />
    public virtual async Task<IReadOnlyList<ChatMessage>> CompressAsync(
        IReadOnlyList<ChatMessage> messages,
        int? currentTokens = null,
        string? focusTopic = null,
        bool force = false,
        string memoryContext = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentGuard.NotNull(messages, nameof(messages));

        var compressed = await CompressCoreAsync(messages, currentTokens, focusTopic, force, memoryContext ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (CompressionCount < int.MaxValue)
        {
            CompressionCount++;
        }

        return compressed;
    }

    /// <summary>The engine's compaction algorithm; must return a valid conversation.</summary>
    /// <param name="messages">The conversation, oldest first.</param>
    /// <param name="currentTokens">The host's token estimate, when known.</param>
    /// <param name="focusTopic">A topic the user asked to keep, or <see langword="null"/>.</param>
    /// <param name="force">True for a manual compaction.</param>
    /// <param name="memoryContext">Memory-provider text for the handoff; empty when none.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>The compacted conversation.</returns>
    protected abstract Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
        IReadOnlyList<ChatMessage> messages,
        int? currentTokens,
        string? focusTopic,
        bool force,
        string memoryContext,
        CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual bool ShouldCompressPreflight(IReadOnlyList<ChatMessage> messages) => false;

    /// <inheritdoc />
    public virtual bool ShouldDeferPreflightToRealUsage(int roughTokens) => false;

    /// <inheritdoc />
    public virtual bool HasContentToCompress(IReadOnlyList<ChatMessage> messages) => true;

    /// <inheritdoc />
    public virtual void OnSessionStart(string sessionId, SessionStartContext context)
    {
    }

    /// <inheritdoc />
    public virtual void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages)
    {
    }

    /// <inheritdoc />
    public virtual void OnSessionReset()
    {
        LastPromptTokens = 0;
        LastCompletionTokens = 0;
        LastTotalTokens = 0;
        CompressionCount = 0;
    }

    /// <summary>
    /// Per-model thresholds (<c>model_thresholds</c>): a model-name substring mapped to the share of the context window
    /// at which compaction fires for that model. <see cref="UpdateModel"/> picks the longest key contained in the model
    /// name (ordinal comparison; equal lengths: the ordinally smaller key). Empty by default. Assigning a dictionary
    /// copies it into an ordinal one.
    /// </summary>
    public IDictionary<string, double> ModelThresholds
    {
        get => _modelThresholds;
        set
        {
            ArgumentGuard.NotNull(value, nameof(value));
            _modelThresholds = new Dictionary<string, double>(value, StringComparer.Ordinal);
        }
    }

    private Dictionary<string, double> _modelThresholds = new(StringComparer.Ordinal);

    /// <summary>The configured <see cref="ThresholdPercent"/>, snapshotted by the first <see cref="UpdateModel"/> (and again whenever someone else changed the percent).</summary>
    private double? _configuredThresholdPercent;

    /// <summary>The percent the last <see cref="UpdateModel"/> applied, to notice a change made by someone else.</summary>
    private double _appliedThresholdPercent;

    /// <inheritdoc />
    /// <remarks>
    /// Sets <see cref="ContextLength"/> and <c>ThresholdTokens = (int)(contextLength * percent)</c>, truncated toward zero
    /// like Python's <c>int()</c>; a product outside the <see cref="int"/> range saturates at its bound, and a percent
    /// that is NaN gives 0 (no threshold), the same on every runtime. The percent is the <see cref="ModelThresholds"/>
    /// entry whose key is the longest substring of <paramref name="model"/>, else the configured
    /// <see cref="ThresholdPercent"/>: the configured value is snapshotted once, so switching from a model with an
    /// override to one without returns to the configured percent, not the previous model's. The chosen percent is
    /// written to <see cref="ThresholdPercent"/>; setting <see cref="ThresholdPercent"/> yourself between calls makes
    /// that the new configured value.
    /// </remarks>
    /// <exception cref="InvalidOperationException">A <see cref="ModelThresholds"/> entry is not a number in (0, 1]; the message names it.</exception>
    public virtual void UpdateModel(string model, int contextLength, string baseUrl = "", string apiKey = "", string provider = "", string apiMode = "")
    {
        var percent = ResolveThresholdPercent(model);
        ContextLength = contextLength;
        ThresholdTokens = SaturatingInt(contextLength * percent);
    }

    /// <summary>
    /// The threshold percent for <paramref name="model"/> (§ model thresholds): snapshots the configured
    /// <see cref="ThresholdPercent"/> once, picks the longest matching <see cref="ModelThresholds"/> key, writes the
    /// result to <see cref="ThresholdPercent"/> and returns it. Subclasses that compute their own threshold call this
    /// from their <see cref="UpdateModel"/> override.
    /// </summary>
    /// <param name="model">The model id.</param>
    /// <returns>The percent that applies to the model.</returns>
    /// <exception cref="InvalidOperationException">A matching entry is not a number in (0, 1]; the message names it.</exception>
    protected double ResolveThresholdPercent(string? model)
    {
        var current = ThresholdPercent;
        if (_configuredThresholdPercent is null || !SamePercent(current, _appliedThresholdPercent))
        {
            _configuredThresholdPercent = current;
        }

        var percent = _configuredThresholdPercent.Value;
        string? bestKey = null;
        if (!string.IsNullOrEmpty(model))
        {
            foreach (var pair in _modelThresholds)
            {
                if (pair.Key.Length == 0 || model!.IndexOf(pair.Key, StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                if (bestKey is null || pair.Key.Length > bestKey.Length
                    || (pair.Key.Length == bestKey.Length && string.CompareOrdinal(pair.Key, bestKey) < 0))
                {
                    bestKey = pair.Key;
                }
            }
        }

        if (bestKey is not null)
        {
            percent = _modelThresholds[bestKey];
            if (double.IsNaN(percent) || percent <= 0 || percent > 1)
            {
                throw new InvalidOperationException(
                    "ModelThresholds['" + bestKey + "'] is " + percent.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
                    + "; a threshold is a share of the context window greater than 0 and at most 1 (for example 0.85). Fix the model_thresholds entry.");
            }
        }

        ThresholdPercent = percent;
        _appliedThresholdPercent = percent;
        return percent;
    }

    private static bool SamePercent(double a, double b) => a.Equals(b);

    /// <summary>A double truncated toward zero into the <see cref="int"/> range; NaN gives 0.</summary>
    private static int SaturatingInt(double value) =>
        double.IsNaN(value) ? 0
        : value >= int.MaxValue ? int.MaxValue
        : value <= int.MinValue ? int.MinValue
        : (int)value;

    /// <inheritdoc />
    public virtual IReadOnlyList<ToolSchema> GetToolSchemas() => Array.Empty<ToolSchema>();

    /// <inheritdoc />
    public virtual ValueTask<string> HandleToolCallAsync(string name, string argumentsJson, ToolCallContext? context = null, CancellationToken cancellationToken = default)
        => new(UnknownToolError(name));

    /// <inheritdoc />
    public virtual ContextEngineStatus GetStatus()
    {
        var prompt = Math.Max(0, LastPromptTokens);
        return new ContextEngineStatus
        {
            LastPromptTokens = prompt,
            ThresholdTokens = ThresholdTokens,
            ContextLength = ContextLength,
            UsagePercent = ContextLength > 0 ? Math.Min(100.0, (double)prompt / ContextLength * 100.0) : 0.0,
            CompressionCount = CompressionCount,
        };
    }

    /// <inheritdoc />
    public virtual CompressionDecision ShouldCompressInfo(int? promptTokens = null) => new(ShouldCompress(promptTokens), null);

    /// <inheritdoc />
    public virtual ToolResultPruning PruneToolResultsOnly(IReadOnlyList<ChatMessage> messages, int? currentTokens = null) => new(messages, 0);

    /// <inheritdoc />
    public virtual IReadOnlyList<ChatMessage>? SelectContext(
        IReadOnlyList<ChatMessage> requestMessages,
        IReadOnlyList<ChatMessage>? conversationMessages = null,
        ChatMessage? incomingMessage = null,
        int budgetTokens = 0) => null;

    /// <inheritdoc />
    public virtual void OnTurnComplete(IReadOnlyList<ChatMessage> messages, TokenUsage? usage, TurnCompleteContext turn)
    {
    }

    /// <inheritdoc />
    public virtual PendingCompressionOperation GetPendingCompressionOperation(IReadOnlyList<ChatMessage> messages) => PendingCompressionOperation.None;

    /// <inheritdoc />
    public virtual string? GetAutomaticCompactionStatusMessage(CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens)
        => EmitAutomaticCompactionStatus ? defaultMessage : null;

    /// <inheritdoc />
    /// <remarks>The default carries nothing over.</remarks>
    public virtual void CarryOverNewSessionContext(string oldSessionId, string newSessionId)
    {
    }

    /// <summary>
    /// <see cref="IChatReducer"/>: compacts the messages when <see cref="ShouldCompress"/> fires for their rough size
    /// (<see cref="RoughTokenEstimator.EstimateMessagesTokensRough"/>), otherwise returns them unchanged. Never compacts
    /// while the newest assistant message still waits for tool results (<see cref="ChatMessageFacts.HasToolCallsInFlight"/>).
    /// The input is not modified; messages keep their host-private keys.
    /// </summary>
    /// <param name="messages">The conversation, oldest first.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>The compacted conversation, or the messages as given.</returns>
    public virtual async Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentGuard.NotNull(messages, nameof(messages));
        var list = messages as IReadOnlyList<ChatMessage> ?? new List<ChatMessage>(messages);
        if (ChatMessageFacts.HasToolCallsInFlight(list))
        {
            return list;
        }

        var rough = RoughTokenEstimator.EstimateMessagesTokensRough(list);
        if (!ShouldCompress(rough))
        {
            return list;
        }

        return await CompressAsync(list, rough, null, false, string.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The status line for an automatic compaction, asked of the engine (<c>automatic_compaction_status_message</c>):
    /// the engine's <see cref="IContextEngine.GetAutomaticCompactionStatusMessage"/> with surrounding white space
    /// removed, or <see langword="null"/> when it returns <see langword="null"/> or only white space (stay silent).
    /// Fail-open: when the engine throws, the default behaviour applies (<paramref name="defaultMessage"/> when
    /// <see cref="IContextEngine.EmitAutomaticCompactionStatus"/>, else <see langword="null"/>).
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="phase">When the message is shown.</param>
    /// <param name="defaultMessage">The host's message.</param>
    /// <param name="approxTokens">The host's estimate of the prompt size.</param>
    /// <param name="thresholdTokens">The threshold that was reached.</param>
    /// <returns>The message to show, or <see langword="null"/>.</returns>
    public static string? AutomaticCompactionStatusMessage(IContextEngine engine, CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens)
        => AutomaticCompactionStatusMessage(engine, phase, defaultMessage, approxTokens, thresholdTokens, null);

    /// <summary>
    /// <see cref="AutomaticCompactionStatusMessage(IContextEngine, CompactionPhase, string, int, int)"/>, reporting an
    /// exception of the engine to <paramref name="onError"/> (for the host's log) before falling back to the default.
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="phase">When the message is shown.</param>
    /// <param name="defaultMessage">The host's message.</param>
    /// <param name="approxTokens">The host's estimate of the prompt size.</param>
    /// <param name="thresholdTokens">The threshold that was reached.</param>
    /// <param name="onError">Told about an exception thrown by the engine, or <see langword="null"/>.</param>
    /// <returns>The message to show, or <see langword="null"/>.</returns>
    public static string? AutomaticCompactionStatusMessage(IContextEngine engine, CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens, Action<Exception>? onError)
    {
        ArgumentGuard.NotNull(engine, nameof(engine));
        string? message;
        try
        {
            message = engine.GetAutomaticCompactionStatusMessage(phase, defaultMessage, approxTokens, thresholdTokens);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            onError?.Invoke(exception);
            bool emit;
            try
            {
                emit = engine.EmitAutomaticCompactionStatus;
            }
            catch (Exception inner) when (inner is not OperationCanceledException)
            {
                onError?.Invoke(inner);
                emit = true;
            }

            message = emit ? defaultMessage : null;
        }

        if (message is null)
        {
            return null;
        }

        message = message.Trim();
        return message.Length == 0 ? null : message;
    }

    /// <summary>
    /// Cleans memory-provider text before it is offered to a compaction (<c>sanitize_memory_context</c>): secrets and
    /// credentials in URLs are redacted (<see cref="SecretRedactor.Redact"/>), and text longer than 6,000 characters
    /// keeps its first 4,000 characters, then <see cref="SecretRedactor.MemoryContextTruncationMarker"/>, then its last 1,500.
    /// </summary>
    /// <param name="text">The memory-provider text; <see langword="null"/> reads as empty.</param>
    /// <returns>The cleaned text.</returns>
    public static string SanitizeMemoryContext(string? text) => string.IsNullOrEmpty(text) ? string.Empty : SecretRedactor.SanitizeMemoryContext(text!);

    /// <summary>
    /// The contract's error for a tool this engine does not have:
    /// <c>{"error": "Unknown context engine tool: &lt;name&gt;"}</c>, with the original's separators. The name is
    /// quoted as sent, up to 100 characters (a longer one is cut and ends in <c>...</c>; model APIs allow 64).
    /// </summary>
    /// <param name="name">The tool name the model called.</param>
    /// <returns>The error as JSON text; it encodes to UTF-8 whatever the name holds (see <see cref="ErrorJson"/>).</returns>
    public static string UnknownToolError(string name) => ErrorJson("Unknown context engine tool: " + Excerpt(name, MaxQuotedToolName));

    private const int MaxQuotedToolName = 100;

    /// <summary>
    /// A tool error as JSON text: <c>{"error": "&lt;message&gt;"}</c>. Quotes, backslashes and control characters are
    /// escaped, and an unpaired surrogate (text that is not valid UTF-16) becomes U+FFFD, so the result is always valid
    /// JSON that encodes to strict UTF-8 and that any JSON reader can turn back into a string.
    /// </summary>
    /// <param name="message">The error message.</param>
    /// <returns>The JSON text.</returns>
    public static string ErrorJson(string message)
    {
        message ??= string.Empty;
        var builder = new StringBuilder(message.Length + 16).Append("{\"error\": \"");
        for (var i = 0; i < message.Length; i++)
        {
            var c = message[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1]))
                    {
                        builder.Append(c).Append(message[++i]);
                    }
                    else
                    {
                        builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }

                    break;
            }
        }

        return builder.Append("\"}").ToString();
    }

    /// <summary>At most <paramref name="max"/> characters of the text, ending in <c>...</c> when cut (never between a surrogate pair).</summary>
    private static string Excerpt(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text ?? string.Empty;
        }

        var cut = max - 3;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return new StringBuilder(cut + 3).Append(text, 0, cut).Append("...").ToString();
    }
}
