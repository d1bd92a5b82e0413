using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CompactMemory.Context;

/// <summary>
/// Drives one context engine through a conversation the way an agent loop does: tells it the model and its context
/// window, offers its tools to the model and routes their calls back, checks before each turn whether the
/// conversation must be compacted (preflight), feeds it the provider's usage after every response, checks again
/// after tool turns, recovers from context-overflow errors by compacting, never compacts while tool results are
/// awaited, and moves it across session boundaries in the contract's order.
/// </summary>
/// <remarks>
/// <para>
/// Every optional engine member is called fail-open: an exception is logged as a warning and the host continues with
/// the member's default. An engine that throws in <see cref="IContextEngine.CompressAsync"/> leaves the conversation
/// as it was: the result says <see cref="ContextCompressionKind.Failed"/> and carries the original messages.
/// </para>
/// <para>
/// One host serves one conversation at a time (the engine's counters are per session); it is not thread-safe.
/// <see cref="ContextEngineChatClient"/> runs this loop inside a Microsoft.Extensions.AI pipeline.
/// </para>
/// </remarks>
public sealed partial class ContextEngineHost
{
    /// <summary>The smallest context window the host accepts from its engine after the model is set (64,000 tokens).</summary>
    public const int MinimumContextLength = 64_000;

    private readonly ILogger _logger;
    private readonly string _engineName;
    private readonly HashSet<string> _engineToolNames = new(StringComparer.Ordinal);
    private readonly List<ToolSchema> _tools = [];
    private string _model;
    private string _baseUrl;
    private string _apiKey;
    private string _provider;
    private string _apiMode;

    /// <summary>
    /// Creates the host: sets the engine's model and context window (when configured), collects its tools, and starts
    /// the first session.
    /// </summary>
    /// <param name="engine">The engine to drive.</param>
    /// <param name="options">How to drive it; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where warnings go; <see langword="null"/> for none.</param>
    /// <exception cref="ConfigurationException">After the model is set, the engine reports a context window below <see cref="MinimumContextLength"/>.</exception>
    public ContextEngineHost(IContextEngine engine, ContextEngineHostOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
        Options = options ?? new ContextEngineHostOptions();
        _logger = logger ?? NullLogger.Instance;
        _engineName = Guard("Name", () => engine.Name, "(unnamed)") ?? "(unnamed)";
        _model = Options.Model ?? string.Empty;
        _baseUrl = Options.BaseUrl ?? string.Empty;
        _apiKey = Options.ApiKey ?? string.Empty;
        _provider = Options.Provider ?? string.Empty;
        _apiMode = Options.ApiMode ?? string.Empty;

        var contextLength = ResolveContextLength(_model, Options.ContextLength);
        if (contextLength is { } length)
        {
            Guard("UpdateModel", () => engine.UpdateModel(_model, length, _baseUrl, _apiKey, _provider, _apiMode));
        }

        RequireUsableContextLength();
        CollectTools();
        SessionId = string.IsNullOrEmpty(Options.SessionId) ? NewSessionId() : Options.SessionId!;
        StartSession(SessionId);
    }

    /// <summary>The engine this host drives.</summary>
    public IContextEngine Engine { get; }

    /// <summary>The options the host was created with.</summary>
    public ContextEngineHostOptions Options { get; }

    /// <summary>The current session's id.</summary>
    public string SessionId { get; private set; }

    /// <summary>The main model's id as last set.</summary>
    public string Model => _model;

    /// <summary>
    /// The engine's tools offered to the model: collected once, deduplicated by name (the first wins), without those
    /// whose name is one of <see cref="ContextEngineHostOptions.HostToolNames"/>. Empty when
    /// <see cref="ContextEngineHostOptions.EngineToolsEnabled"/> is false.
    /// </summary>
    public IReadOnlyList<ToolSchema> Tools => _tools;

    /// <summary>The engine's status; fail-open (the counters as read when <see cref="IContextEngine.GetStatus"/> throws).</summary>
    public ContextEngineStatus Status => Guard("GetStatus", () => Engine.GetStatus(), null) ?? FallbackStatus();

    /// <summary>Whether calls to the tool named <paramref name="name"/> go to the engine.</summary>
    /// <param name="name">The tool name.</param>
    /// <returns>True for one of <see cref="Tools"/>.</returns>
    public bool IsEngineTool(string? name) => name is not null && _engineToolNames.Contains(name);

    /// <summary>The engine's tools without those whose names the host already offers (for a request with its own tools).</summary>
    /// <param name="hostToolNames">The names of the request's tools.</param>
    /// <returns>The engine tools to add.</returns>
    public IReadOnlyList<ToolSchema> ToolsExcept(IEnumerable<string>? hostToolNames)
    {
        if (hostToolNames is null)
        {
            return _tools;
        }

        var taken = new HashSet<string>(hostToolNames, StringComparer.Ordinal);
        if (taken.Count == 0)
        {
            return _tools;
        }

        var tools = new List<ToolSchema>(_tools.Count);
        foreach (var tool in _tools)
        {
            if (!taken.Contains(tool.Name))
            {
                tools.Add(tool);
            }
        }

        return tools;
    }

    // ---- Sessions ------------------------------------------------------------------------------------------------

    /// <summary>Starts a session: <see cref="IContextEngine.OnSessionStart"/> with the platform, model, context window and conversation key (fail-open).</summary>
    /// <param name="sessionId">The session's id; <see langword="null"/> keeps <see cref="SessionId"/>.</param>
    public void StartSession(string? sessionId = null)
    {
        SessionId = string.IsNullOrEmpty(sessionId) ? SessionId : sessionId!;
        var id = SessionId;
        var context = SessionContext();
        Guard("OnSessionStart", () => Engine.OnSessionStart(id, context));
    }

    /// <summary>Ends the session at a real boundary (exit, expiry): <see cref="IContextEngine.OnSessionEnd"/> with the conversation (fail-open).</summary>
    /// <param name="messages">The session's conversation; <see langword="null"/> reads as empty.</param>
    public void EndSession(IReadOnlyList<ChatMessage>? messages)
    {
        var id = SessionId;
        IReadOnlyList<ChatMessage> conversation = messages ?? Array.Empty<ChatMessage>();
        Guard("OnSessionEnd", () => Engine.OnSessionEnd(id, conversation));
    }

    /// <summary>Resets the engine's per-session state only (<see cref="IContextEngine.OnSessionReset"/>, fail-open); the session id is kept.</summary>
    public void ResetSession() => Guard("OnSessionReset", () => Engine.OnSessionReset());

    /// <summary>
    /// Resets into a new session after <paramref name="previousMessages"/> or <paramref name="oldSessionId"/>: the full
    /// transition (<see cref="TransitionSession"/>) with the engine reset and no carry-over unless asked for.
    /// </summary>
    /// <param name="previousMessages">The ending session's conversation, or <see langword="null"/>.</param>
    /// <param name="oldSessionId">The ending session; <see langword="null"/> for <see cref="SessionId"/>.</param>
    /// <param name="carryOverContext">Whether the engine should carry context over.</param>
    /// <returns>The new session's id.</returns>
    public string ResetSession(IReadOnlyList<ChatMessage>? previousMessages, string? oldSessionId = null, bool carryOverContext = false)
    {
        var newId = NewSessionId();
        TransitionSession(oldSessionId ?? SessionId, newId, previousMessages, carryOverContext);
        return newId;
    }

    /// <summary>
    /// <c>/new</c>: ends the current session, resets the engine, refreshes the context window for the current model
    /// (<see cref="IContextEngine.UpdateModel"/> with the newly resolved length), and starts a new session.
    /// </summary>
    /// <param name="previousMessages">The ending session's conversation, or <see langword="null"/>.</param>
    /// <param name="carryOverContext">Whether the engine should carry context over.</param>
    /// <returns>The new session's id.</returns>
    public string NewSession(IReadOnlyList<ChatMessage>? previousMessages = null, bool carryOverContext = false)
    {
        var newId = NewSessionId();
        Transition(SessionId, newId, previousMessages, carryOverContext, resetEngine: true, extra: null, refreshModel: true);
        return newId;
    }

    /// <summary>
    /// Moves the engine from one session to another, strictly in this order, each step fail-open:
    /// (1) <see cref="IContextEngine.OnSessionEnd"/> when both <paramref name="oldSessionId"/> and
    /// <paramref name="previousMessages"/> are given; (2) <see cref="IContextEngine.OnSessionReset"/> when
    /// <paramref name="resetEngine"/>; (3) <see cref="IContextEngine.OnSessionStart"/> with <c>old_session_id</c>,
    /// <c>carry_over_context</c>, platform, model, context window, conversation key and <paramref name="extra"/> — only
    /// when there is an old id, previous messages, carry-over or extra context; (4)
    /// <see cref="ISessionCarryOver.CarryOverNewSessionContext"/> when carry-over was asked for and the engine has it.
    /// </summary>
    /// <param name="oldSessionId">The ending session, or <see langword="null"/>.</param>
    /// <param name="newSessionId">The new session.</param>
    /// <param name="previousMessages">The ending session's conversation, or <see langword="null"/>.</param>
    /// <param name="carryOverContext">Whether the engine should carry context over.</param>
    /// <param name="resetEngine">Whether to reset the engine's per-session state.</param>
    /// <param name="extra">More session-start values by snake_case key; <see langword="null"/> or empty values are dropped.</param>
    public void TransitionSession(
        string? oldSessionId,
        string newSessionId,
        IReadOnlyList<ChatMessage>? previousMessages,
        bool carryOverContext = false,
        bool resetEngine = true,
        IReadOnlyDictionary<string, object?>? extra = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(newSessionId);
        Transition(oldSessionId, newSessionId, previousMessages, carryOverContext, resetEngine, extra, refreshModel: false);
    }

    private void Transition(
        string? oldSessionId,
        string newSessionId,
        IReadOnlyList<ChatMessage>? previousMessages,
        bool carryOverContext,
        bool resetEngine,
        IReadOnlyDictionary<string, object?>? extra,
        bool refreshModel)
    {
        if (!string.IsNullOrEmpty(oldSessionId) && previousMessages is not null)
        {
            Guard("OnSessionEnd", () => Engine.OnSessionEnd(oldSessionId!, previousMessages));
        }

        if (resetEngine)
        {
            Guard("OnSessionReset", () => Engine.OnSessionReset());
        }

        if (refreshModel && ResolveContextLength(_model, null) is { } length)
        {
            Guard("UpdateModel", () => Engine.UpdateModel(_model, length, _baseUrl, _apiKey, _provider, _apiMode));
        }

        SessionId = newSessionId;
        var kept = DropEmpty(extra);
        if (!string.IsNullOrEmpty(oldSessionId) || previousMessages is not null || carryOverContext || kept.Count > 0)
        {
            var context = SessionContext() with
            {
                OldSessionId = string.IsNullOrEmpty(oldSessionId) ? null : oldSessionId,
                CarryOverContext = carryOverContext,
                Extra = kept,
            };
            Guard("OnSessionStart", () => Engine.OnSessionStart(newSessionId, context));
        }

        if (carryOverContext && !string.IsNullOrEmpty(oldSessionId) && Engine is ISessionCarryOver carryOver)
        {
            Guard("CarryOverNewSessionContext", () => carryOver.CarryOverNewSessionContext(oldSessionId!, newSessionId));
        }
    }

    // ---- Model ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// The model changed (switch or fallback): <see cref="IContextEngine.UpdateModel"/> with the newly resolved context
    /// window — never a stale configured one (fail-open).
    /// </summary>
    /// <param name="model">The new model id.</param>
    /// <param name="contextLength">Its context window; <see langword="null"/> asks <see cref="ContextEngineHostOptions.ContextLengthResolver"/>, else keeps the engine's.</param>
    /// <param name="baseUrl">The provider's base URL; <see langword="null"/> keeps the current one.</param>
    /// <param name="apiKey">The provider's key; <see langword="null"/> keeps the current one.</param>
    /// <param name="provider">The provider's name; <see langword="null"/> keeps the current one.</param>
    /// <param name="apiMode">The provider's API mode; <see langword="null"/> keeps the current one.</param>
    /// <exception cref="ConfigurationException">The engine then reports a context window below <see cref="MinimumContextLength"/>.</exception>
    public void SwitchModel(string model, int? contextLength = null, string? baseUrl = null, string? apiKey = null, string? provider = null, string? apiMode = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _baseUrl = baseUrl ?? _baseUrl;
        _apiKey = apiKey ?? _apiKey;
        _provider = provider ?? _provider;
        _apiMode = apiMode ?? _apiMode;
        var length = contextLength ?? Options.ContextLengthResolver?.Invoke(model) ?? Guard("ContextLength", () => Engine.ContextLength, 0);
        Guard("UpdateModel", () => Engine.UpdateModel(_model, length, _baseUrl, _apiKey, _provider, _apiMode));
        RequireUsableContextLength();
    }

    // ---- Per-response and per-request hooks ---------------------------------------------------------------------

    /// <summary>Feeds a provider response's usage to the engine (<see cref="IContextEngine.UpdateFromResponse"/>, fail-open).</summary>
    /// <param name="usage">The response's usage; <see langword="null"/> when the provider sent none (all counts 0).</param>
    public void RecordResponse(UsageDetails? usage) => RecordResponse(TokenUsage.FromUsageDetails(usage));

    /// <summary>Feeds a provider response's usage to the engine (<see cref="IContextEngine.UpdateFromResponse"/>, fail-open).</summary>
    /// <param name="usage">The response's usage.</param>
    public void RecordResponse(TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        Guard("UpdateFromResponse", () => Engine.UpdateFromResponse(usage));
    }

    /// <summary>
    /// Asks the engine what one provider request should carry (<see cref="IContextEngine.SelectContext"/>, fail-open):
    /// runs on every request, retries included; the answer is request-only and never stored.
    /// </summary>
    /// <param name="requestMessages">The messages about to be sent.</param>
    /// <param name="conversationMessages">The whole stored conversation.</param>
    /// <param name="incomingMessage">The newest user message, when known.</param>
    /// <returns>The messages to send.</returns>
    public IReadOnlyList<ChatMessage> SelectContext(IReadOnlyList<ChatMessage> requestMessages, IReadOnlyList<ChatMessage>? conversationMessages = null, ChatMessage? incomingMessage = null)
    {
        ArgumentNullException.ThrowIfNull(requestMessages);
        var budget = Guard("ContextLength", () => Engine.ContextLength, 0);
        return Guard("SelectContext", () => Engine.SelectContext(requestMessages, conversationMessages, incomingMessage, Math.Max(0, budget)), null) ?? requestMessages;
    }

    /// <summary>Tells the engine a turn finished (<see cref="IContextEngine.OnTurnComplete"/>, fail-open) with a read-only copy of the conversation.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="usage">The last response's usage, or <see langword="null"/> when none arrived.</param>
    /// <param name="turn">Facts about the turn; <see langword="null"/> for none.</param>
    public void TurnComplete(IReadOnlyList<ChatMessage> messages, TokenUsage? usage, TurnCompleteContext? turn = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var copy = Array.AsReadOnly(ToArray(messages));
        Guard("OnTurnComplete", () => Engine.OnTurnComplete(copy, usage, turn ?? new TurnCompleteContext()));
    }

    /// <summary>
    /// Runs a tool the model called on the engine (<see cref="IContextEngine.HandleToolCallAsync"/>) with the live
    /// conversation. An exception becomes <c>{"error": "Context engine tool '&lt;name&gt;' failed: &lt;message&gt;"}</c>.
    /// </summary>
    /// <param name="name">The tool name.</param>
    /// <param name="argumentsJson">The arguments object as JSON text; <see langword="null"/> or empty reads as <c>{}</c>.</param>
    /// <param name="messages">The live conversation, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tool result as JSON text.</returns>
    public async Task<string> HandleToolCallAsync(string name, string? argumentsJson, IReadOnlyList<ChatMessage>? messages = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var arguments = string.IsNullOrEmpty(argumentsJson) ? "{}" : argumentsJson!;
        try
        {
            var result = await Engine.HandleToolCallAsync(name, arguments, new ToolCallContext { Messages = messages }, cancellationToken).ConfigureAwait(false);
            return result ?? ContextEngine.ErrorJson("Context engine tool '" + name + "' failed: it returned no result");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            LogToolFailed(_logger, exception, name, _engineName);
            return ContextEngine.ErrorJson("Context engine tool '" + name + "' failed: " + exception.Message);
        }
    }

    // ---- Compaction triggers -----------------------------------------------------------------------------------

    /// <summary>
    /// The check before a turn's first request, after the user message is appended: when compaction is enabled and the
    /// conversation is longer than <c>ProtectFirstN + ProtectLastN + 1</c>, estimates the request (system prompt,
    /// messages and tools), lets the engine defer to real usage, raises the displayed prompt size to the estimate (never
    /// lowering it, never over the <c>-1</c> sentinel), and when <see cref="IContextEngine.ShouldCompress"/> fires runs
    /// up to <see cref="ContextEngineHostOptions.MaxPreflightPasses"/> compactions while they shrink the conversation.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="systemPrompt">A system prompt sent beside the messages; empty when it is among them.</param>
    /// <param name="tools">The request's tools; <see langword="null"/> for <see cref="Tools"/>.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>What happened, with the conversation to send.</returns>
    public async Task<ContextCompressionResult> PreflightAsync(IReadOnlyList<ChatMessage> messages, string? systemPrompt = "", IEnumerable<ToolSchema>? tools = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!Options.CompressionEnabled)
        {
            return Unchanged(ContextCompressionKind.Disabled, messages);
        }

        var protectedCount = (long)Guard("ProtectFirstN", () => Engine.ProtectFirstN, 3) + Guard("ProtectLastN", () => Engine.ProtectLastN, 6) + 1;
        if (messages.Count <= protectedCount)
        {
            return Unchanged(ContextCompressionKind.NotNeeded, messages);
        }

        if (ChatMessageFacts.HasToolCallsInFlight(messages))
        {
            return Deferred(messages);
        }

        var toolList = tools ?? _tools;
        var rough = RoughTokenEstimator.EstimateRequestTokensRough(messages, systemPrompt ?? string.Empty, toolList);
        var deferred = Guard("ShouldDeferPreflightToRealUsage", () => Engine.ShouldDeferPreflightToRealUsage(rough), false);
        if (deferred)
        {
            return Unchanged(ContextCompressionKind.NotNeeded, messages, rough);
        }

        var last = Guard("LastPromptTokens", () => Engine.LastPromptTokens, 0);
        if (last >= 0 && rough > last)
        {
            Guard("LastPromptTokens", () => Engine.LastPromptTokens = rough);
        }

        var notices = new List<ContextEngineNotice>();
        if (!ShouldCompress(rough, notices))
        {
            return Unchanged(ContextCompressionKind.NotNeeded, messages, rough) with { Notices = notices };
        }

        var threshold = Guard("ThresholdTokens", () => Engine.ThresholdTokens, 0);
        EmitStatus(CompactionPhase.Preflight,
            string.Create(CultureInfo.InvariantCulture, $"📦 Preflight compression: ~{rough:N0} tokens >= {threshold:N0} threshold. Compacting before the request…"),
            rough, threshold, notices);

        var firstRough = rough;
        var current = messages;
        ContextCompressionResult? result = null;
        var passes = 0;
        while (passes < Math.Max(1, Options.MaxPreflightPasses))
        {
            passes++;
            var pass = await CompressCoreAsync(current, systemPrompt ?? string.Empty, rough, null, false, announce: false, cancellationToken).ConfigureAwait(false);
            notices.AddRange(pass.Notices);
            result = pass;
            if (pass.Kind != ContextCompressionKind.Compressed)
            {
                break;
            }

            var shrank = pass.Messages.Count < current.Count;
            current = pass.Messages;
            if (!shrank)
            {
                break;
            }

            rough = RoughTokenEstimator.EstimateRequestTokensRough(current, systemPrompt ?? string.Empty, toolList);
            if (!ShouldCompress(rough, null))
            {
                break;
            }
        }

        return result! with { Passes = passes, TokensBefore = firstRough, Notices = notices, MessagesBefore = messages.Count };
    }

    /// <summary>
    /// The check after a turn that produced tool calls, once all their results are in: tests the last real prompt size
    /// (completion tokens excluded), 0 right after a compaction (the <c>-1</c> sentinel), or a rough estimate of the
    /// messages and tools when no real usage exists yet; compacts when <see cref="IContextEngine.ShouldCompress"/> fires.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="systemPrompt">A system prompt sent beside the messages; empty when it is among them.</param>
    /// <param name="tools">The request's tools; <see langword="null"/> for <see cref="Tools"/>.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>What happened, with the conversation to send next.</returns>
    public async Task<ContextCompressionResult> AfterToolTurnAsync(IReadOnlyList<ChatMessage> messages, string? systemPrompt = "", IEnumerable<ToolSchema>? tools = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!Options.CompressionEnabled)
        {
            return Unchanged(ContextCompressionKind.Disabled, messages);
        }

        if (ChatMessageFacts.HasToolCallsInFlight(messages))
        {
            return Deferred(messages);
        }

        var last = Guard("LastPromptTokens", () => Engine.LastPromptTokens, 0);
        var tokens = last > 0 ? last : last == -1 ? 0 : RoughTokenEstimator.EstimateRequestTokensRough(messages, string.Empty, tools ?? _tools);
        var notices = new List<ContextEngineNotice>();
        if (!ShouldCompress(tokens, notices))
        {
            return Unchanged(ContextCompressionKind.NotNeeded, messages, tokens) with { Notices = notices };
        }

        var result = await CompressCoreAsync(messages, systemPrompt ?? string.Empty, last > 0 ? last : null, null, false, announce: true, cancellationToken).ConfigureAwait(false);
        notices.AddRange(result.Notices);
        return result with { Notices = notices };
    }

    /// <summary>
    /// Recovers from a provider's context-overflow error (413, a context-length 400, a long-context 429): with
    /// compaction disabled the turn fails (<see cref="ContextOverflowRecovery.CompactionDisabled"/>); otherwise, for up to
    /// <see cref="ContextEngineHostOptions.MaxOverflowAttempts"/> attempts per turn, a lower reported limit is first
    /// applied with <see cref="IContextEngine.UpdateModel"/>, then the conversation is compacted and the request should
    /// be rebuilt and retried. No shrink or no attempts left: the turn fails (<see cref="ContextOverflowRecovery.CompressionExhausted"/>).
    /// </summary>
    /// <param name="messages">The conversation the failed request was built from.</param>
    /// <param name="attempt">This attempt's number in the turn, from 1.</param>
    /// <param name="reportedContextLength">The context window the provider reported, if any (<see cref="ContextOverflow.IsContextOverflow"/>).</param>
    /// <param name="systemPrompt">A system prompt sent beside the messages; empty when it is among them.</param>
    /// <param name="tools">The request's tools; <see langword="null"/> for <see cref="Tools"/>.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>Whether to retry, and with which messages.</returns>
    public async Task<ContextOverflowRecovery> RecoverFromOverflowAsync(
        IReadOnlyList<ChatMessage> messages,
        int attempt,
        int? reportedContextLength = null,
        string? systemPrompt = "",
        IEnumerable<ToolSchema>? tools = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!Options.CompressionEnabled)
        {
            const string Disabled = "Context overflow and auto-compaction is disabled: the conversation no longer fits the model's context window. Enable compression (compression.enabled) or start a new session.";
            Emit(ContextEngineNoticeKind.Warning, "⚠ " + Disabled, null);
            return new ContextOverflowRecovery { Retry = false, Messages = messages, Attempt = attempt, CompactionDisabled = true, Error = Disabled };
        }

        var max = Math.Max(1, Options.MaxOverflowAttempts);
        if (attempt > max)
        {
            return Exhausted(messages, attempt, string.Create(CultureInfo.InvariantCulture, $"Context overflow: compression exhausted after {max} attempt(s); the conversation still does not fit the model's context window."), null);
        }

        var current = Guard("ContextLength", () => Engine.ContextLength, 0);
        if (reportedContextLength is > 0 and var reported && (current <= 0 || reported < current))
        {
            Guard("UpdateModel", () => Engine.UpdateModel(_model, reported, _baseUrl, _apiKey, _provider, _apiMode));
        }

        if (ChatMessageFacts.HasToolCallsInFlight(messages))
        {
            return Exhausted(messages, attempt, "Context overflow inside a tool exchange: the conversation cannot be compacted until every tool result has arrived.", null);
        }

        var rough = RoughTokenEstimator.EstimateRequestTokensRough(messages, systemPrompt ?? string.Empty, tools ?? _tools);
        var compression = await CompressCoreAsync(messages, systemPrompt ?? string.Empty, rough, null, false, announce: true, cancellationToken).ConfigureAwait(false);
        if (compression.Kind != ContextCompressionKind.Compressed || compression.Messages.Count >= messages.Count)
        {
            return Exhausted(messages, attempt, string.Create(CultureInfo.InvariantCulture,
                $"Context overflow: compaction did not shrink the conversation ({messages.Count} messages; {compression.Kind})."), compression);
        }

        return new ContextOverflowRecovery { Retry = true, Messages = compression.Messages, Attempt = attempt, Compression = compression };
    }

    /// <summary>
    /// A manual compaction (<c>/compress [focus]</c>): when <see cref="IContextEngine.HasContentToCompress"/> says there
    /// is nothing, answers <c>Nothing to compress</c> without calling the engine's compaction; otherwise compacts with
    /// <c>force</c> (engine cooldowns do not apply) and the focus topic, then clears the displayed prompt size to 0.
    /// Runs even when automatic compaction is disabled.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="focusTopic">What the summary should concentrate on, or <see langword="null"/>.</param>
    /// <param name="systemPrompt">A system prompt sent beside the messages, for the estimate.</param>
    /// <param name="tools">The request's tools; <see langword="null"/> for <see cref="Tools"/>.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>What happened, with the conversation to continue with.</returns>
    public async Task<ContextCompressionResult> CompressManuallyAsync(
        IReadOnlyList<ChatMessage> messages,
        string? focusTopic = null,
        string? systemPrompt = "",
        IEnumerable<ToolSchema>? tools = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var approx = RoughTokenEstimator.EstimateRequestTokensRough(messages, systemPrompt ?? string.Empty, tools ?? _tools);
        if (!Guard("HasContentToCompress", () => Engine.HasContentToCompress(messages), true))
        {
            var notices = new List<ContextEngineNotice>();
            Emit(ContextEngineNoticeKind.Info, NothingToCompress, notices);
            return Unchanged(ContextCompressionKind.NothingToCompress, messages, approx) with { Notices = notices };
        }

        if (ChatMessageFacts.HasToolCallsInFlight(messages))
        {
            return Deferred(messages);
        }

        var result = await CompressCoreAsync(messages, string.Empty, approx, string.IsNullOrWhiteSpace(focusTopic) ? null : focusTopic!.Trim(), true, announce: true, cancellationToken).ConfigureAwait(false);
        if (result.Kind == ContextCompressionKind.Compressed)
        {
            Guard("LastPromptTokens", () => Engine.LastPromptTokens = 0);
        }

        return result;
    }

    /// <summary>The reply to a manual compaction when there is nothing to compact.</summary>
    public const string NothingToCompress = "Nothing to compress";

    /// <summary>
    /// The host's compaction wrapper: announces the compaction (automatic ones through the engine's status hook), calls
    /// <see cref="IContextEngine.CompressAsync"/> with every argument, reads the engine's
    /// <see cref="ICompressionOutcomeSource.LastCompressionOutcome"/> (abort: the messages come back unchanged; summary
    /// failure: a warning; summary-model failure: a note), rotates the session when configured, warns from the second
    /// compaction on, and marks real usage as awaited (<c>LastPromptTokens = -1</c>, <c>LastCompletionTokens = 0</c>,
    /// and <see cref="ICompressionCalibration"/> for engines that calibrate). Never compacts inside a tool exchange
    /// (<see cref="ContextCompressionKind.Deferred"/>). An engine exception keeps the original messages
    /// (<see cref="ContextCompressionKind.Failed"/>).
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="systemPrompt">A system prompt sent beside the messages, for the estimate.</param>
    /// <param name="approxTokens">The prompt size that triggered the compaction, when known.</param>
    /// <param name="focusTopic">What the summary should concentrate on, or <see langword="null"/>.</param>
    /// <param name="force">True for a manual compaction.</param>
    /// <param name="cancellationToken">Cancels the compaction; cancellation is rethrown, never reported as a failure.</param>
    /// <returns>What happened, with the conversation to continue with.</returns>
    public Task<ContextCompressionResult> CompressAsync(
        IReadOnlyList<ChatMessage> messages,
        string? systemPrompt = "",
        int? approxTokens = null,
        string? focusTopic = null,
        bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return CompressCoreAsync(messages, systemPrompt ?? string.Empty, approxTokens, focusTopic, force, announce: true, cancellationToken);
    }

    private async Task<ContextCompressionResult> CompressCoreAsync(
        IReadOnlyList<ChatMessage> messages,
        string systemPrompt,
        int? approxTokens,
        string? focusTopic,
        bool force,
        bool announce,
        CancellationToken cancellationToken)
    {
        if (ChatMessageFacts.HasToolCallsInFlight(messages))
        {
            return Deferred(messages);
        }

        var notices = new List<ContextEngineNotice>();
        var approx = approxTokens ?? RoughTokenEstimator.EstimateRequestTokensRough(messages, systemPrompt, _tools);
        if (announce)
        {
            var threshold = Guard("ThresholdTokens", () => Engine.ThresholdTokens, 0);
            var message = string.Create(CultureInfo.InvariantCulture, $"🗜️ Compacting context: ~{approx:N0} tokens…");
            if (force)
            {
                Emit(ContextEngineNoticeKind.Status, message, notices);
            }
            else
            {
                EmitStatus(CompactionPhase.Compress, message, approx, threshold, notices);
            }
        }

        var memoryContext = string.Empty;
        if (Options.MemoryContextProvider is { } provider)
        {
            memoryContext = ContextEngine.SanitizeMemoryContext(Guard("MemoryContextProvider", () => provider(messages), null));
        }

        IReadOnlyList<ChatMessage>? compressed;
        Exception? failure = null;
        try
        {
            compressed = await Engine.CompressAsync(messages, approxTokens, focusTopic, force, memoryContext, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            compressed = null;
            failure = exception;
        }

        if (failure is null && (compressed is null || (compressed.Count == 0 && messages.Count > 0)))
        {
            failure = new InvalidOperationException("Context engine '" + _engineName + "' returned no messages from CompressAsync; an engine must return a valid conversation.");
        }

        if (failure is not null)
        {
            LogCompressFailed(_logger, failure, _engineName);
            Emit(ContextEngineNoticeKind.Warning,
                "⚠ Compression failed in context engine '" + _engineName + "': " + failure.Message + ". No messages were dropped; the conversation is unchanged.",
                notices);
            return Unchanged(ContextCompressionKind.Failed, messages, approxTokens) with { Error = failure, Notices = notices };
        }

        var outcome = Engine is ICompressionOutcomeSource source ? Guard("LastCompressionOutcome", () => source.LastCompressionOutcome, null) : null;
        if (outcome is { Aborted: true })
        {
            Emit(ContextEngineNoticeKind.Warning,
                "⚠ Compression aborted: " + (outcome.SummaryError ?? "the summary could not be written") + ". No messages were dropped; the conversation is unchanged.",
                notices);
            return Unchanged(ContextCompressionKind.Aborted, messages, approxTokens) with { Outcome = outcome, Notices = notices };
        }

        if (outcome?.SummaryError is { } summaryError)
        {
            Emit(ContextEngineNoticeKind.Warning, "⚠ Compression summary failed: " + summaryError + ". Inserted a fallback context marker.", notices);
        }
        else if (outcome?.AuxModelFailureModel is { } auxModel)
        {
            Emit(ContextEngineNoticeKind.Info,
                "Summary model '" + auxModel + "' failed" + (outcome.AuxModelFailureError is { } auxError ? " (" + auxError + ")" : string.Empty)
                + "; the main model wrote the summary. Check auxiliary.compression.model.",
                notices);
        }

        string? previousSession = null;
        if (Options.RotateSessionOnCompression)
        {
            previousSession = SessionId;
            var newId = NewSessionId();
            var ended = messages;
            Guard("OnSessionEnd", () => Engine.OnSessionEnd(previousSession, ended));
            SessionId = newId;
            var context = SessionContext() with { BoundaryReason = "compression", OldSessionId = previousSession };
            Guard("OnSessionStart", () => Engine.OnSessionStart(newId, context));
        }

        var count = Guard("CompressionCount", () => Engine.CompressionCount, 0);
        if (count >= 2)
        {
            Emit(ContextEngineNoticeKind.Warning,
                string.Create(CultureInfo.InvariantCulture, $"⚠ Context compressed {count} times this session; detail may be lost. Consider /new for a fresh session or /compress <topic> to focus."),
                notices);
        }

        var after = RoughTokenEstimator.EstimateMessagesTokensRough(compressed!);
        if (Engine is ICompressionCalibration calibration)
        {
            Guard("AwaitRealUsageAfterCompression", () => calibration.AwaitRealUsageAfterCompression(after));
        }

        Guard("LastPromptTokens", () => Engine.LastPromptTokens = -1);
        Guard("LastCompletionTokens", () => Engine.LastCompletionTokens = 0);

        var result = new ContextCompressionResult
        {
            Kind = ContextCompressionKind.Compressed,
            Messages = compressed!,
            MessagesBefore = messages.Count,
            MessagesAfter = compressed!.Count,
            TokensBefore = approx,
            TokensAfter = after,
            Passes = 1,
            Outcome = outcome,
            Notices = notices,
            SessionId = SessionId,
            PreviousSessionId = previousSession,
            CompressionCount = count,
        };

        if (Options.Compressed is { } callback)
        {
            Guard("Compressed callback", () => callback(result));
        }

        return result;
    }

    // ---- Helpers -------------------------------------------------------------------------------------------------

    private bool ShouldCompress(int tokens, List<ContextEngineNotice>? notices)
    {
        CompressionDecision decision;
        try
        {
            decision = Engine.ShouldCompressInfo(tokens);
        }
        catch (Exception exception)
        {
            LogMemberFailed(_logger, exception, _engineName, "ShouldCompressInfo");
            decision = new CompressionDecision(Guard("ShouldCompress", () => Engine.ShouldCompress(tokens), false), null);
        }

        if (!decision.ShouldCompress && decision.BlockReason is { Length: > 0 } reason && notices is not null)
        {
            Emit(ContextEngineNoticeKind.Warning,
                string.Create(CultureInfo.InvariantCulture, $"⚠ Context compaction held back ({reason}) at ~{tokens:N0} tokens."),
                notices);
        }

        return decision.ShouldCompress;
    }

    private void EmitStatus(CompactionPhase phase, string defaultMessage, int approx, int threshold, List<ContextEngineNotice> notices)
    {
        var message = ContextEngine.AutomaticCompactionStatusMessage(Engine, phase, defaultMessage, approx, threshold,
            exception => LogMemberFailed(_logger, exception, _engineName, "GetAutomaticCompactionStatusMessage"));
        if (message is not null)
        {
            Emit(ContextEngineNoticeKind.Status, message, notices);
        }
    }

    private void Emit(ContextEngineNoticeKind kind, string message, List<ContextEngineNotice>? notices)
    {
        var notice = new ContextEngineNotice(kind, message);
        notices?.Add(notice);
        switch (kind)
        {
            case ContextEngineNoticeKind.Warning:
                LogNoticeWarning(_logger, _engineName, message);
                break;
            default:
                LogNoticeInformation(_logger, _engineName, message);
                break;
        }

        if (Options.Notice is { } sink)
        {
            Guard("Notice callback", () => sink(notice));
        }
    }

    private ContextCompressionResult Unchanged(ContextCompressionKind kind, IReadOnlyList<ChatMessage> messages, int? tokens = null) => new()
    {
        Kind = kind,
        Messages = messages,
        MessagesBefore = messages.Count,
        MessagesAfter = messages.Count,
        TokensBefore = tokens,
        TokensAfter = RoughTokenEstimator.EstimateMessagesTokensRough(messages),
        SessionId = SessionId,
        CompressionCount = Guard("CompressionCount", () => Engine.CompressionCount, 0),
    };

    private ContextCompressionResult Deferred(IReadOnlyList<ChatMessage> messages)
    {
        LogDeferred(_logger, _engineName);
        return Unchanged(ContextCompressionKind.Deferred, messages);
    }

    private ContextOverflowRecovery Exhausted(IReadOnlyList<ChatMessage> messages, int attempt, string error, ContextCompressionResult? compression)
    {
        Emit(ContextEngineNoticeKind.Warning, "⚠ " + error, null);
        return new ContextOverflowRecovery { Retry = false, Messages = messages, Attempt = attempt, CompressionExhausted = true, Error = error, Compression = compression };
    }

    private SessionStartContext SessionContext() => new()
    {
        HomeDirectory = string.IsNullOrEmpty(Options.HomeDirectory) ? null : Options.HomeDirectory,
        Platform = string.IsNullOrEmpty(Options.Platform) ? "cli" : Options.Platform,
        Model = string.IsNullOrEmpty(_model) ? null : _model,
        ContextLength = Guard("ContextLength", () => Engine.ContextLength, 0) is > 0 and var length ? length : null,
        ConversationId = string.IsNullOrEmpty(Options.ConversationId) ? null : Options.ConversationId,
    };

    private static Dictionary<string, object?> DropEmpty(IReadOnlyDictionary<string, object?>? extra)
    {
        var kept = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (extra is null)
        {
            return kept;
        }

        foreach (var pair in extra)
        {
            if (pair.Value is null || (pair.Value is string s && s.Length == 0))
            {
                continue;
            }

            kept[pair.Key] = pair.Value;
        }

        return kept;
    }

    private int? ResolveContextLength(string model, int? configured)
    {
        if (Options.ContextLengthResolver is { } resolver)
        {
            var resolved = Guard("ContextLengthResolver", () => resolver(model), null);
            if (resolved is > 0)
            {
                return resolved;
            }
        }

        return configured ?? Options.ContextLength;
    }

    private void RequireUsableContextLength()
    {
        var length = Guard("ContextLength", () => Engine.ContextLength, 0);
        if (length != 0 && length < MinimumContextLength)
        {
            throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture,
                $"Context engine '{_engineName}' reports a context window of {length:N0} tokens for model '{_model}', below the minimum of {MinimumContextLength:N0}. Use a model with a larger window, or set ContextEngineHostOptions.ContextLength (context_length) to the model's real window if the reported one is wrong."));
        }
    }

    private void CollectTools()
    {
        if (!Options.EngineToolsEnabled)
        {
            return;
        }

        var host = new HashSet<string>(Options.HostToolNames, StringComparer.Ordinal);
        var schemas = Guard("GetToolSchemas", () => Engine.GetToolSchemas(), null) ?? Array.Empty<ToolSchema>();
        foreach (var schema in schemas)
        {
            if (schema is null || string.IsNullOrEmpty(schema.Name) || host.Contains(schema.Name) || !_engineToolNames.Add(schema.Name))
            {
                continue;
            }

            _tools.Add(schema);
        }
    }

    private string NewSessionId()
    {
        if (Options.SessionIdFactory is { } factory)
        {
            var id = Guard("SessionIdFactory", () => factory(), null);
            if (!string.IsNullOrEmpty(id))
            {
                return id!;
            }
        }

        var now = (Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        Span<byte> random = stackalloc byte[3];
        RandomNumberGenerator.Fill(random);
        return now.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture) + "_" + Convert.ToHexStringLower(random);
    }

    private ContextEngineStatus FallbackStatus()
    {
        var prompt = Math.Max(0, Guard("LastPromptTokens", () => Engine.LastPromptTokens, 0));
        var length = Guard("ContextLength", () => Engine.ContextLength, 0);
        return new ContextEngineStatus
        {
            LastPromptTokens = prompt,
            ThresholdTokens = Guard("ThresholdTokens", () => Engine.ThresholdTokens, 0),
            ContextLength = length,
            UsagePercent = length > 0 ? Math.Min(100.0, (double)prompt / length * 100.0) : 0.0,
            CompressionCount = Guard("CompressionCount", () => Engine.CompressionCount, 0),
        };
    }

    private static ChatMessage[] ToArray(IReadOnlyList<ChatMessage> messages)
    {
        var array = new ChatMessage[messages.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = messages[i];
        }

        return array;
    }

    private T Guard<T>(string member, Func<T> call, T fallback)
    {
        try
        {
            return call();
        }
        catch (Exception exception)
        {
            LogMemberFailed(_logger, exception, _engineName, member);
            return fallback;
        }
    }

    private void Guard(string member, Action call)
    {
        try
        {
            call();
        }
        catch (Exception exception)
        {
            LogMemberFailed(_logger, exception, _engineName, member);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Context engine '{Engine}': {Member} failed; continuing with the default.")]
    private static partial void LogMemberFailed(ILogger logger, Exception exception, string engine, string member);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Context engine '{Engine}' failed to compress; the conversation is kept unchanged.")]
    private static partial void LogCompressFailed(ILogger logger, Exception exception, string engine);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Context engine tool '{Tool}' of engine '{Engine}' failed.")]
    private static partial void LogToolFailed(ILogger logger, Exception exception, string tool, string engine);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Context engine '{Engine}': compaction deferred until every tool result has arrived.")]
    private static partial void LogDeferred(ILogger logger, string engine);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Context engine '{Engine}': {Notice}")]
    private static partial void LogNoticeWarning(ILogger logger, string engine, string notice);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Context engine '{Engine}': {Notice}")]
    private static partial void LogNoticeInformation(ILogger logger, string engine, string notice);
}
