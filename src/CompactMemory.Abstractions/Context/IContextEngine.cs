using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// The context-engine contract: an engine that owns a conversation's context window. The host feeds it usage
/// after every response, asks whether to compact, and calls <see cref="CompressAsync"/> when it should.
/// Derive from <see cref="ContextEngine"/>, which implements every optional member with the contract's default;
/// implement this interface directly only when the class cannot inherit.
/// </summary>
/// <remarks>
/// The host reads the six token counters directly, and writes two sentinels into <see cref="LastPromptTokens"/>:
/// <c>0</c> means no real usage yet, <c>-1</c> means a compaction just ran and real usage is awaited.
/// Hosts call every optional member fail-open: an exception is logged and the default result used.
/// </remarks>
public interface IContextEngine
{
    /// <summary>The engine's id; must equal the <c>context.engine</c> value that selects it (<c>name</c>).</summary>
    string Name { get; }

    /// <summary>The last provider-reported prompt tokens (<c>last_prompt_tokens</c>); see the sentinels above.</summary>
    int LastPromptTokens { get; set; }

    /// <summary>The last provider-reported completion tokens (<c>last_completion_tokens</c>).</summary>
    int LastCompletionTokens { get; set; }

    /// <summary>The last provider-reported total tokens (<c>last_total_tokens</c>).</summary>
    int LastTotalTokens { get; set; }

    /// <summary>The prompt size at which compaction fires (<c>threshold_tokens</c>).</summary>
    int ThresholdTokens { get; set; }

    /// <summary>The main model's context window (<c>context_length</c>).</summary>
    int ContextLength { get; set; }

    /// <summary>Completed compactions (<c>compression_count</c>).</summary>
    int CompressionCount { get; set; }

    /// <summary>The share of the context window at which compaction fires (<c>threshold_percent</c>, default 0.75).</summary>
    double ThresholdPercent { get; set; }

    /// <summary>Non-system head messages kept verbatim, besides the system prompt (<c>protect_first_n</c>, default 3).</summary>
    int ProtectFirstN { get; set; }

    /// <summary>Tail messages kept verbatim (<c>protect_last_n</c>, default 6).</summary>
    int ProtectLastN { get; set; }

    /// <summary>Whether successful automatic compactions announce themselves (<c>emit_automatic_compaction_status</c>, default true).</summary>
    bool EmitAutomaticCompactionStatus { get; set; }

    /// <summary>Records the usage of a provider response; called after every response (<c>update_from_response</c>).</summary>
    /// <param name="usage">The response's usage.</param>
    void UpdateFromResponse(TokenUsage usage);

    /// <summary>Whether compaction should fire now (<c>should_compress</c>); the comparison with the threshold is <c>&gt;=</c>.</summary>
    /// <param name="promptTokens">The prompt size to test; <see cref="LastPromptTokens"/> when <see langword="null"/>.</param>
    /// <returns>True when compaction should fire.</returns>
    bool ShouldCompress(int? promptTokens = null);

    /// <summary>Compacts the conversation (<c>compress</c>).</summary>
    /// <param name="messages">The conversation, oldest first.</param>
    /// <param name="currentTokens">The host's token estimate of the conversation, when known.</param>
    /// <param name="focusTopic">A topic the user asked to keep (manual compaction); engines may ignore it.</param>
    /// <param name="force">True for a manual compaction: engine-owned cooldowns do not apply.</param>
    /// <param name="memoryContext">Memory-provider text offered for the handoff; empty when none.</param>
    /// <param name="cancellationToken">Cancels the compaction; cancellation is never a summary failure.</param>
    /// <returns>A valid conversation, usually shorter.</returns>
    Task<IReadOnlyList<ChatMessage>> CompressAsync(
        IReadOnlyList<ChatMessage> messages,
        int? currentTokens = null,
        string? focusTopic = null,
        bool force = false,
        string memoryContext = "",
        CancellationToken cancellationToken = default);

    /// <summary>A cheap pre-request estimate of whether to compact (<c>should_compress_preflight</c>); default false.</summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>True when compaction should fire.</returns>
    bool ShouldCompressPreflight(IReadOnlyList<ChatMessage> messages);

    /// <summary>Whether the preflight check should wait for real usage (<c>should_defer_preflight_to_real_usage</c>); default false.</summary>
    /// <param name="roughTokens">The host's rough estimate.</param>
    /// <returns>True to skip the preflight check this turn.</returns>
    bool ShouldDeferPreflightToRealUsage(int roughTokens);

    /// <summary>Whether there is anything to compact (<c>has_content_to_compress</c>); default true.</summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>False to answer a manual compaction with "Nothing to compress".</returns>
    bool HasContentToCompress(IReadOnlyList<ChatMessage> messages);

    /// <summary>A session begins (<c>on_session_start</c>); default no-op.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="context">What the host knows about the session.</param>
    void OnSessionStart(string sessionId, SessionStartContext context);

    /// <summary>A session ends at a real boundary, never per turn (<c>on_session_end</c>); default no-op.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="messages">The session's conversation.</param>
    void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages);

    /// <summary>The user reset the session (<c>on_session_reset</c>); default: zero the prompt, completion and total counters and the compression count.</summary>
    void OnSessionReset();

    /// <summary>The model changed (<c>update_model</c>); default: set <see cref="ContextLength"/> and
    /// <see cref="ThresholdTokens"/> = <c>(int)(contextLength × percent)</c>, the percent being the
    /// <see cref="ContextEngine.ModelThresholds"/> entry that matches the model, else the configured <see cref="ThresholdPercent"/>.</summary>
    /// <param name="model">The model id.</param>
    /// <param name="contextLength">The model's context window.</param>
    /// <param name="baseUrl">The provider's base URL.</param>
    /// <param name="apiKey">The provider's key.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="apiMode">The provider's API mode.</param>
    void UpdateModel(string model, int contextLength, string baseUrl = "", string apiKey = "", string provider = "", string apiMode = "");

    /// <summary>The tools the engine offers the model (<c>get_tool_schemas</c>); default none.</summary>
    /// <returns>The tool schemas.</returns>
    IReadOnlyList<ToolSchema> GetToolSchemas();

    /// <summary>
    /// Runs a tool the model called (<c>handle_tool_call</c>). Always returns a JSON string; never throws for bad
    /// input. Default: <c>{"error": "Unknown context engine tool: &lt;name&gt;"}</c>.
    /// </summary>
    /// <param name="name">The tool name.</param>
    /// <param name="argumentsJson">The arguments object as JSON text.</param>
    /// <param name="context">The live conversation and other host context.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tool result as JSON text.</returns>
    ValueTask<string> HandleToolCallAsync(string name, string argumentsJson, ToolCallContext? context = null, CancellationToken cancellationToken = default);

    /// <summary>The engine's status (<c>get_status</c>).</summary>
    /// <returns>The status, with <c>usage_percent = min(100, max(0, LastPromptTokens) / ContextLength × 100)</c>, or 0 without a context length.</returns>
    ContextEngineStatus GetStatus();

    /// <summary>Whether to compact, with the reason when held back (<c>should_compress_info</c>); default <c>(ShouldCompress(p), null)</c>.</summary>
    /// <param name="promptTokens">The prompt size to test; <see cref="LastPromptTokens"/> when <see langword="null"/>.</param>
    /// <returns>The decision.</returns>
    CompressionDecision ShouldCompressInfo(int? promptTokens = null);

    /// <summary>A deterministic, model-free trim of old tool output (<c>prune_tool_results_only</c>); default: unchanged, 0 pruned.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="currentTokens">The host's token estimate, when known.</param>
    /// <returns>The messages and how many tool results were pruned.</returns>
    ToolResultPruning PruneToolResultsOnly(IReadOnlyList<ChatMessage> messages, int? currentTokens = null);

    /// <summary>
    /// Chooses what one provider request carries (<c>select_context</c>); runs on every request, retries included.
    /// Default <see langword="null"/>: the request is left unchanged. The returned list is never persisted.
    /// </summary>
    /// <param name="requestMessages">The messages about to be sent.</param>
    /// <param name="conversationMessages">The whole stored conversation, when the host shares it.</param>
    /// <param name="incomingMessage">The newest user message, when known.</param>
    /// <param name="budgetTokens">The context window, or 0 when unknown.</param>
    /// <returns>The messages to send instead, or <see langword="null"/>.</returns>
    IReadOnlyList<ChatMessage>? SelectContext(
        IReadOnlyList<ChatMessage> requestMessages,
        IReadOnlyList<ChatMessage>? conversationMessages = null,
        ChatMessage? incomingMessage = null,
        int budgetTokens = 0);

    /// <summary>A turn finished (<c>on_turn_complete</c>); best-effort observation, default no-op.</summary>
    /// <param name="messages">A read-only copy of the conversation.</param>
    /// <param name="usage">The last response's usage, or <see langword="null"/> when no response arrived.</param>
    /// <param name="turn">Facts about the turn.</param>
    void OnTurnComplete(IReadOnlyList<ChatMessage> messages, TokenUsage? usage, TurnCompleteContext turn);

    /// <summary>An operation the host should run before compacting (<c>pending_compression_operation</c>); default none.</summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>The pending operation.</returns>
    PendingCompressionOperation GetPendingCompressionOperation(IReadOnlyList<ChatMessage> messages);

    /// <summary>
    /// The status line shown for an automatic compaction (<c>get_automatic_compaction_status_message</c>); default:
    /// <paramref name="defaultMessage"/> when <see cref="EmitAutomaticCompactionStatus"/>, else <see langword="null"/> (silent).
    /// </summary>
    /// <param name="phase">When the message is shown.</param>
    /// <param name="defaultMessage">The host's message.</param>
    /// <param name="approxTokens">The host's estimate of the prompt size.</param>
    /// <param name="thresholdTokens">The threshold that was reached.</param>
    /// <returns>The message to show, or <see langword="null"/> to stay silent.</returns>
    string? GetAutomaticCompactionStatusMessage(CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens);
}
