using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CompactMemory.Context;

/// <summary>
/// Runs a context engine inside a Microsoft.Extensions.AI chat pipeline (<c>builder.UseContextEngine(engine)</c>):
/// before a turn's request it runs the preflight check, after a tool turn the post-tool check, and on a
/// context-overflow error it compacts and retries; it feeds every response's <see cref="UsageDetails"/> to the engine,
/// offers the engine's tools to the model and answers their calls through the engine, and strips host-private
/// (<c>_</c>) keys from the messages it sends without touching the caller's.
/// </summary>
/// <remarks>
/// <para>
/// <b>Where to put it.</b> Recommended: <c>.UseFunctionInvocation().UseContextEngine(engine)</c>, so the engine sits
/// next to the model and sees every request and response of a turn (exact usage per response, the post-tool check,
/// overflow retries that never repeat a tool). Engine tool calls are then answered here and the model is called again
/// without them reaching the function-invoking client (it sees their results and does not invoke them again). The
/// other order (<c>.UseContextEngine(engine).UseFunctionInvocation()</c>) also works: the engine tools reach the
/// function-invoking client as <see cref="AIFunction"/>s, but the engine then sees one request per turn and the
/// turn's summed usage.
/// </para>
/// <para>
/// <b>The compacted conversation.</b> The client remembers which messages of the caller's history it replaced with the
/// compacted ones and substitutes them on every later request, so a caller that keeps appending to its own history
/// keeps working. To adopt the compacted history (and let the old messages go), read it from the response:
/// <see cref="TryGetCompactedHistory"/> returns the whole conversation, response included, whenever it differs from
/// the caller's (<see cref="ChatResponse.AdditionalProperties"/> key <see cref="CompactedHistoryKey"/>; in a stream,
/// the last update carries it). <see cref="ContextEngineHostOptions.Compressed"/> is told about each compaction.
/// </para>
/// <para>
/// When <see cref="ChatOptions.ConversationId"/> is set the service keeps the history and the request carries only new
/// messages: the client then feeds usage and answers engine tools but never compacts (there is nothing local to compact).
/// </para>
/// <para>One client serves one conversation at a time (its engine's counters are per session); requests are serialised.</para>
/// </remarks>
public sealed class ContextEngineChatClient : DelegatingChatClient
{
    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key of the compacted conversation (an <see cref="IReadOnlyList{ChatMessage}"/>).</summary>
    public const string CompactedHistoryKey = "compact_memory.compacted_history";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, AIFunction> _functions = new(StringComparer.Ordinal);
    private ChatMessage[]? _replacedSource;
    private IReadOnlyList<ChatMessage>? _replacement;
    private IReadOnlyList<ChatMessage>? _live;

    /// <summary>Creates the client around <paramref name="innerClient"/> with a new <see cref="ContextEngineHost"/> for <paramref name="engine"/>.</summary>
    /// <param name="innerClient">The client that talks to the model.</param>
    /// <param name="engine">The context engine.</param>
    /// <param name="options">How the host drives the engine; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where warnings go; <see langword="null"/> for none.</param>
    public ContextEngineChatClient(IChatClient innerClient, IContextEngine engine, ContextEngineHostOptions? options = null, ILogger? logger = null)
        : this(innerClient, new ContextEngineHost(engine, options, logger))
    {
    }

    /// <summary>Creates the client around <paramref name="innerClient"/> with an existing host.</summary>
    /// <param name="innerClient">The client that talks to the model.</param>
    /// <param name="host">The host that drives the engine.</param>
    public ContextEngineChatClient(IChatClient innerClient, ContextEngineHost host)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
        foreach (var function in ContextEngineTools.ForHost(host, () => _live))
        {
            _functions[function.Name] = function;
        }
    }

    /// <summary>The host that drives the engine (status, sessions, model switches).</summary>
    public ContextEngineHost Host { get; }

    /// <summary>The engine's tools as the functions this client adds to requests.</summary>
    public IReadOnlyCollection<AIFunction> EngineFunctions => _functions.Values;

    /// <summary>The compacted conversation a response carries, when it differs from what the caller sent (see the remarks of <see cref="ContextEngineChatClient"/>).</summary>
    /// <param name="response">A response of a pipeline with this client.</param>
    /// <param name="history">The whole conversation to continue with, the response's messages included.</param>
    /// <returns>Whether the response carries one.</returns>
    public static bool TryGetCompactedHistory(ChatResponse response, [NotNullWhen(true)] out IReadOnlyList<ChatMessage>? history)
    {
        ArgumentNullException.ThrowIfNull(response);
        history = response.AdditionalProperties is { } properties && properties.TryGetValue(CompactedHistoryKey, out var value)
            ? value as IReadOnlyList<ChatMessage>
            : null;
        return history is not null;
    }

    /// <summary>The conversation this client would work from for <paramref name="messages"/>: the caller's history with the compacted part substituted.</summary>
    /// <param name="messages">The caller's history.</param>
    /// <returns>The conversation.</returns>
    public IReadOnlyList<ChatMessage> GetConversation(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var incoming = new List<ChatMessage>(messages);
        return Map(incoming, out _);
    }

    /// <summary>
    /// A manual compaction (<c>/compress [focus]</c>) of the caller's history through the host
    /// (<see cref="ContextEngineHost.CompressManuallyAsync"/>); later requests use the result.
    /// </summary>
    /// <param name="messages">The caller's history.</param>
    /// <param name="focusTopic">What the summary should concentrate on, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>What happened, with the conversation to continue with.</returns>
    public async Task<ContextCompressionResult> CompressAsync(IEnumerable<ChatMessage> messages, string? focusTopic = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var incoming = new List<ChatMessage>(messages);
            var working = Map(incoming, out _);
            var result = await Host.CompressManuallyAsync(working, focusTopic, string.Empty, null, cancellationToken).ConfigureAwait(false);
            if (result.Changed)
            {
                _replacedSource = incoming.ToArray();
                _replacement = result.Messages;
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the compacted part of the conversation (for a new conversation on the same client).</summary>
    public void ResetConversation()
    {
        _replacedSource = null;
        _replacement = null;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var turn = Prepare(messages, options);
            await CheckAsync(turn, cancellationToken).ConfigureAwait(false);
            ChatResponse? last = null;
            var pendingOther = false;
            for (var round = 0; ; round++)
            {
                ChatResponse response;
                while (true)
                {
                    var wire = WireMessages(turn);
                    try
                    {
                        response = await base.GetResponseAsync(wire, turn.Options, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception exception) when (!turn.ServerHistory && IsOverflow(exception, cancellationToken, out var limit))
                    {
                        await RecoverAsync(turn, exception, limit, cancellationToken).ConfigureAwait(false);
                    }
                }

                last = response;
                Host.RecordResponse(response.Usage);
                turn.AddUsage(response.Usage);
                turn.Append(response.Messages);
                var (toolMessages, other) = await RunEngineToolsAsync(turn, response.Messages, cancellationToken).ConfigureAwait(false);
                pendingOther = other;
                turn.Append(toolMessages);
                if (toolMessages.Count == 0 || other || round + 1 >= Math.Max(0, Host.Options.MaxEngineToolRoundTrips))
                {
                    break;
                }

                await CheckAsync(turn, cancellationToken).ConfigureAwait(false);
            }

            last.Messages = turn.ResponseMessages;
            last.Usage = turn.Usage;
            if (turn.Mapped)
            {
                (last.AdditionalProperties ??= [])[CompactedHistoryKey] = turn.Working.ToArray();
            }

            if (!pendingOther)
            {
                Host.TurnComplete(turn.Working, TokenUsage.FromUsageDetails(last.Usage), new TurnCompleteContext { ApiCallCount = turn.ApiCalls });
            }

            return last;
        }
        finally
        {
            _live = null;
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var turn = Prepare(messages, options);
            await CheckAsync(turn, cancellationToken).ConfigureAwait(false);
            var pendingOther = false;
            UsageDetails? lastUsage = null;
            for (var round = 0; ; round++)
            {
                var updates = new List<ChatResponseUpdate>();
                while (true)
                {
                    var wire = WireMessages(turn);
                    var enumerator = base.GetStreamingResponseAsync(wire, turn.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    Exception? overflow = null;
                    int? limit = null;
                    try
                    {
                        while (true)
                        {
                            bool more;
                            try
                            {
                                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                            }
                            catch (Exception exception) when (updates.Count == 0 && !turn.ServerHistory && IsOverflow(exception, cancellationToken, out limit))
                            {
                                overflow = exception;
                                break;
                            }

                            if (!more)
                            {
                                break;
                            }

                            updates.Add(enumerator.Current);
                            yield return enumerator.Current;
                        }
                    }
                    finally
                    {
                        await enumerator.DisposeAsync().ConfigureAwait(false);
                    }

                    if (overflow is null)
                    {
                        break;
                    }

                    await RecoverAsync(turn, overflow, limit, cancellationToken).ConfigureAwait(false);
                }

                var response = updates.ToChatResponse();
                lastUsage = response.Usage;
                Host.RecordResponse(response.Usage);
                turn.AddUsage(response.Usage);
                turn.Append(response.Messages);
                var (toolMessages, other) = await RunEngineToolsAsync(turn, response.Messages, cancellationToken).ConfigureAwait(false);
                pendingOther = other;
                turn.Append(toolMessages);
                foreach (var toolMessage in toolMessages)
                {
                    yield return new ChatResponseUpdate(ChatRole.Tool, toolMessage.Contents)
                    {
                        MessageId = toolMessage.MessageId,
                        ResponseId = response.ResponseId,
                    };
                }

                if (toolMessages.Count == 0 || other || round + 1 >= Math.Max(0, Host.Options.MaxEngineToolRoundTrips))
                {
                    break;
                }

                await CheckAsync(turn, cancellationToken).ConfigureAwait(false);
            }

            if (turn.Mapped)
            {
                yield return new ChatResponseUpdate
                {
                    AdditionalProperties = new AdditionalPropertiesDictionary { [CompactedHistoryKey] = turn.Working.ToArray() },
                };
            }

            if (!pendingOther)
            {
                Host.TurnComplete(turn.Working, TokenUsage.FromUsageDetails(lastUsage), new TurnCompleteContext { ApiCallCount = turn.ApiCalls });
            }
        }
        finally
        {
            _live = null;
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }

            if (serviceType == typeof(ContextEngineHost))
            {
                return Host;
            }

            if (serviceType.IsInstanceOfType(Host.Engine))
            {
                return Host.Engine;
            }
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private Turn Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var incoming = new List<ChatMessage>(messages);
        var working = Map(incoming, out var mapped);
        var turn = new Turn(incoming, new List<ChatMessage>(working), mapped)
        {
            Instructions = options?.Instructions ?? string.Empty,
            ServerHistory = options?.ConversationId is not null,
        };

        var hostNames = new List<string>();
        if (options?.Tools is { } tools)
        {
            foreach (var tool in tools)
            {
                if (tool is null)
                {
                    continue;
                }

                hostNames.Add(tool.Name);
                if (tool is AIFunctionDeclaration declaration)
                {
                    turn.EstimateTools.Add(new ToolSchema(declaration.Name, declaration.Description, declaration.JsonSchema));
                }
            }
        }

        var engineTools = Host.ToolsExcept(hostNames);
        if (engineTools.Count > 0)
        {
            var augmented = options?.Clone() ?? new ChatOptions();
            var list = augmented.Tools is null ? new List<AITool>() : new List<AITool>(augmented.Tools);
            foreach (var tool in engineTools)
            {
                if (_functions.TryGetValue(tool.Name, out var function))
                {
                    list.Add(function);
                    turn.EngineNames.Add(tool.Name);
                    turn.EstimateTools.Add(tool);
                }
            }

            augmented.Tools = list;
            turn.Options = augmented;
        }
        else
        {
            turn.Options = options;
        }

        _live = turn.Working;
        return turn;
    }

    /// <summary>The caller's history with the compacted part substituted.</summary>
    private List<ChatMessage> Map(List<ChatMessage> incoming, out bool mapped)
    {
        mapped = false;
        if (_replacedSource is { } source && _replacement is { } replacement && StartsWith(incoming, source))
        {
            var working = new List<ChatMessage>(replacement.Count + incoming.Count - source.Length);
            working.AddRange(replacement);
            for (var i = source.Length; i < incoming.Count; i++)
            {
                working.Add(incoming[i]);
            }

            mapped = true;
            return working;
        }

        return incoming;
    }

    private static bool StartsWith(List<ChatMessage> messages, ChatMessage[] prefix)
    {
        if (messages.Count < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (!SameMessage(messages[i], prefix[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The same message, or an equal copy of it: a function-invoking client that rebuilds a streamed response hands
    /// back new message objects with the same role, text and tool-call ids.
    /// </summary>
    private static bool SameMessage(ChatMessage a, ChatMessage b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null || a.Role != b.Role || !string.Equals(ChatMessageFacts.Text(a), ChatMessageFacts.Text(b), StringComparison.Ordinal))
        {
            return false;
        }

        var idsA = CallIds(a);
        var idsB = CallIds(b);
        if (idsA.Count != idsB.Count)
        {
            return false;
        }

        for (var i = 0; i < idsA.Count; i++)
        {
            if (!string.Equals(idsA[i], idsB[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static List<string> CallIds(ChatMessage message)
    {
        var ids = new List<string>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case FunctionCallContent call:
                    ids.Add("call:" + call.CallId + ":" + call.Name + ":" + ChatMessageFacts.ArgumentsJson(call));
                    break;
                case FunctionResultContent result:
                    ids.Add("result:" + result.CallId);
                    break;
            }
        }

        return ids;
    }

    private async Task CheckAsync(Turn turn, CancellationToken cancellationToken)
    {
        if (turn.ServerHistory)
        {
            return;
        }

        var working = turn.Working;
        var afterTools = working.Count > 0 && ChatMessageFacts.IsTool(working[^1]);
        var result = afterTools
            ? await Host.AfterToolTurnAsync(working, turn.Instructions, turn.EstimateTools, cancellationToken).ConfigureAwait(false)
            : await Host.PreflightAsync(working, turn.Instructions, turn.EstimateTools, cancellationToken).ConfigureAwait(false);
        if (result.Changed)
        {
            Adopt(turn, result.Messages);
        }
    }

    private async Task RecoverAsync(Turn turn, Exception exception, int? limit, CancellationToken cancellationToken)
    {
        turn.Overflows++;
        var recovery = await Host.RecoverFromOverflowAsync(turn.Working, turn.Overflows, limit, turn.Instructions, turn.EstimateTools, cancellationToken).ConfigureAwait(false);
        if (!recovery.Retry)
        {
            throw new ContextOverflowException(recovery, exception);
        }

        Adopt(turn, recovery.Messages);
    }

    private void Adopt(Turn turn, IReadOnlyList<ChatMessage> compacted)
    {
        turn.Working = new List<ChatMessage>(compacted);
        turn.Mapped = true;
        _replacedSource = turn.Source.ToArray();
        _replacement = compacted;
        _live = turn.Working;
    }

    private List<ChatMessage> WireMessages(Turn turn)
    {
        ChatMessage? incoming = null;
        for (var i = turn.Working.Count - 1; i >= 0; i--)
        {
            if (ChatMessageFacts.IsUser(turn.Working[i]))
            {
                incoming = turn.Working[i];
                break;
            }
        }

        var selected = Host.SelectContext(turn.Working, turn.Working, incoming);
        var wire = new List<ChatMessage>(selected.Count);
        foreach (var message in selected)
        {
            if (message is not null)
            {
                wire.Add(ChatMessageFacts.WithoutPrivateKeys(message));
            }
        }

        turn.ApiCalls++;
        return wire;
    }

    private static bool IsOverflow(Exception exception, CancellationToken cancellationToken, out int? limit)
    {
        limit = null;
        if (cancellationToken.IsCancellationRequested || exception is OperationCanceledException || exception is ContextOverflowException)
        {
            return false;
        }

        return ContextOverflow.IsContextOverflow(exception, out limit);
    }

    /// <summary>Answers the engine tool calls of a response that nothing answered yet; reports whether other calls remain.</summary>
    private async Task<(List<ChatMessage> ToolMessages, bool PendingOther)> RunEngineToolsAsync(Turn turn, IList<ChatMessage> responseMessages, CancellationToken cancellationToken)
    {
        var toolMessages = new List<ChatMessage>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in responseMessages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent result && result.CallId is not null)
                {
                    answered.Add(result.CallId);
                }
            }
        }

        var pendingOther = false;
        foreach (var message in responseMessages)
        {
            foreach (var content in message.Contents)
            {
                if (content is not FunctionCallContent call || call.InformationalOnly || (call.CallId is not null && answered.Contains(call.CallId)))
                {
                    continue;
                }

                if (!turn.EngineNames.Contains(call.Name))
                {
                    pendingOther = true;
                    continue;
                }

                var result = await Host.HandleToolCallAsync(call.Name, ChatMessageFacts.ArgumentsJson(call), turn.Working, cancellationToken).ConfigureAwait(false);
                toolMessages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId ?? string.Empty, result)])
                {
                    MessageId = "context-engine-tool-" + (call.CallId ?? call.Name),
                });
            }
        }

        return (toolMessages, pendingOther);
    }

    /// <summary>One request of the caller: its history, the conversation sent, and what came back.</summary>
    private sealed class Turn(List<ChatMessage> source, List<ChatMessage> working, bool mapped)
    {
        public List<ChatMessage> Source { get; } = source;

        public List<ChatMessage> Working { get; set; } = working;

        public bool Mapped { get; set; } = mapped;

        public ChatOptions? Options { get; set; }

        public string Instructions { get; init; } = string.Empty;

        /// <summary>The service keeps the history (<see cref="ChatOptions.ConversationId"/>): only new messages are sent, so nothing is compacted here.</summary>
        public bool ServerHistory { get; init; }

        public HashSet<string> EngineNames { get; } = new(StringComparer.Ordinal);

        public List<ToolSchema> EstimateTools { get; } = [];

        public List<ChatMessage> ResponseMessages { get; } = [];

        public UsageDetails? Usage { get; private set; }

        public int Overflows { get; set; }

        public int ApiCalls { get; set; }

        public void Append(IList<ChatMessage> messages)
        {
            foreach (var message in messages)
            {
                Source.Add(message);
                Working.Add(message);
                ResponseMessages.Add(message);
            }
        }

        public void AddUsage(UsageDetails? usage)
        {
            if (usage is null)
            {
                return;
            }

            if (Usage is null)
            {
                Usage = new UsageDetails();
            }

            Usage.Add(usage);
        }
    }
}
