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
public abstract class ContextEngine : IContextEngine
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

    /// <inheritdoc />
    /// <remarks>
    /// <c>ThresholdTokens = (int)(contextLength * ThresholdPercent)</c>, truncated toward zero like Python's <c>int()</c>;
    /// a product outside the <see cref="int"/> range saturates at its bound, and a <see cref="ThresholdPercent"/> that
    /// is NaN gives 0 (no threshold), the same on every runtime.
    /// </remarks>
    public virtual void UpdateModel(string model, int contextLength, string baseUrl = "", string apiKey = "", string provider = "", string apiMode = "")
    {
        ContextLength = contextLength;
        ThresholdTokens = SaturatingInt(contextLength * ThresholdPercent);
    }

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
