using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CompactMemory.Tests.Context.Hosting;

/// <summary>
/// A context engine that records every call the host makes, in order, and can be told to throw from any member.
/// Compaction keeps the system prompt and the last <see cref="KeepLast"/> messages behind a summary message.
/// </summary>
internal sealed class RecordingEngine : ContextEngine, ICompressionOutcomeSource, ICompressionCalibration
{
    public List<string> Calls { get; } = [];

    public HashSet<string> Throwing { get; } = new(StringComparer.Ordinal);

    public int KeepLast { get; set; } = 2;

    public Func<IReadOnlyList<ChatMessage>, IReadOnlyList<ChatMessage>?>? CompressWith { get; set; }

    public Func<int, bool>? ShouldCompressWith { get; set; }

    public bool DeferPreflight { get; set; }

    public bool HasContent { get; set; } = true;

    public string? StatusOverride { get; set; }

    public bool UseStatusOverride { get; set; }

    public CompressionOutcome? Outcome { get; set; }

    public List<ToolSchema> Schemas { get; } = [];

    public List<(string Name, string Arguments, IReadOnlyList<ChatMessage>? Messages)> ToolCalls { get; } = [];

    public List<(IReadOnlyList<ChatMessage> Messages, int? CurrentTokens, string? FocusTopic, bool Force, string MemoryContext)> Compressions { get; } = [];

    public List<int> ShouldCompressArguments { get; } = [];

    public List<(string SessionId, SessionStartContext Context)> Starts { get; } = [];

    public List<(string SessionId, IReadOnlyList<ChatMessage> Messages)> Ends { get; } = [];

    public int CalibratedRoughTokens { get; private set; } = -99;

    public override string Name => "recording";

    public CompressionOutcome? LastCompressionOutcome
    {
        get
        {
            Record("LastCompressionOutcome");
            return Outcome;
        }
    }

    private void Record(string member)
    {
        Calls.Add(member);
        if (Throwing.Contains(member))
        {
            throw new InvalidOperationException(member + " exploded");
        }
    }

    public override void UpdateModel(string model, int contextLength, string baseUrl = "", string apiKey = "", string provider = "", string apiMode = "")
    {
        Record("UpdateModel:" + model + ":" + contextLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        base.UpdateModel(model, contextLength, baseUrl, apiKey, provider, apiMode);
    }

    public override IReadOnlyList<ToolSchema> GetToolSchemas()
    {
        Record("GetToolSchemas");
        return Schemas;
    }

    public override async ValueTask<string> HandleToolCallAsync(string name, string argumentsJson, ToolCallContext? context = null, CancellationToken cancellationToken = default)
    {
        ToolCalls.Add((name, argumentsJson, context?.Messages));
        Record("HandleToolCall:" + name);
        await Task.Yield();
        return name switch
        {
            "echo" => "{\"echo\": " + argumentsJson + "}",
            "boom" => throw new InvalidOperationException("kaput"),
            _ => await base.HandleToolCallAsync(name, argumentsJson, context, cancellationToken),
        };
    }

    public override void OnSessionStart(string sessionId, SessionStartContext context)
    {
        Starts.Add((sessionId, context));
        Record("OnSessionStart:" + sessionId);
    }

    public override void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages)
    {
        Ends.Add((sessionId, messages));
        Record("OnSessionEnd:" + sessionId);
    }

    public override void OnSessionReset()
    {
        Record("OnSessionReset");
        base.OnSessionReset();
    }

    public override void CarryOverNewSessionContext(string oldSessionId, string newSessionId) => Record("CarryOver:" + oldSessionId + "->" + newSessionId);

    public override void UpdateFromResponse(TokenUsage usage)
    {
        Record("UpdateFromResponse");
        base.UpdateFromResponse(usage);
    }

    public override bool ShouldCompress(int? promptTokens = null)
    {
        Record("ShouldCompress");
        ShouldCompressArguments.Add(promptTokens ?? LastPromptTokens);
        return ShouldCompressWith?.Invoke(promptTokens ?? LastPromptTokens) ?? base.ShouldCompress(promptTokens);
    }

    public override CompressionDecision ShouldCompressInfo(int? promptTokens = null)
    {
        Record("ShouldCompressInfo");
        return base.ShouldCompressInfo(promptTokens);
    }

    public override bool ShouldDeferPreflightToRealUsage(int roughTokens)
    {
        Record("ShouldDeferPreflightToRealUsage");
        return DeferPreflight;
    }

    public override bool HasContentToCompress(IReadOnlyList<ChatMessage> messages)
    {
        Record("HasContentToCompress");
        return HasContent;
    }

    public override ContextEngineStatus GetStatus()
    {
        Record("GetStatus");
        return base.GetStatus();
    }

    public override IReadOnlyList<ChatMessage>? SelectContext(IReadOnlyList<ChatMessage> requestMessages, IReadOnlyList<ChatMessage>? conversationMessages = null, ChatMessage? incomingMessage = null, int budgetTokens = 0)
    {
        Record("SelectContext");
        return null;
    }

    public override void OnTurnComplete(IReadOnlyList<ChatMessage> messages, TokenUsage? usage, TurnCompleteContext turn) => Record("OnTurnComplete");

    public override string? GetAutomaticCompactionStatusMessage(CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens)
    {
        Record("GetAutomaticCompactionStatusMessage:" + phase);
        return UseStatusOverride ? StatusOverride : base.GetAutomaticCompactionStatusMessage(phase, defaultMessage, approxTokens, thresholdTokens);
    }

    public void AwaitRealUsageAfterCompression(int compressedRoughTokens)
    {
        Record("AwaitRealUsageAfterCompression");
        CalibratedRoughTokens = compressedRoughTokens;
    }

    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
        IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
    {
        Compressions.Add((messages, currentTokens, focusTopic, force, memoryContext));
        Record("Compress");
        cancellationToken.ThrowIfCancellationRequested();
        if (CompressWith is { } custom)
        {
            return Task.FromResult(custom(messages)!);
        }

        var system = messages.Where(ChatMessageFacts.IsSystem).ToList();
        var tail = messages.Skip(Math.Max(system.Count, messages.Count - KeepLast)).ToList();
        var summary = new ChatMessage(ChatRole.User, "[summary of " + (messages.Count - system.Count - tail.Count) + " messages]")
        {
            AdditionalProperties = new AdditionalPropertiesDictionary { [ChatMessageFacts.CompressedSummaryKey] = true },
        };
        IReadOnlyList<ChatMessage> result = [.. system, summary, .. tail];
        return Task.FromResult(result);
    }

    public static ToolSchema Schema(string name) =>
        new(name, "The " + name + " tool.", JsonDocument.Parse("""{"type":"object","properties":{"query":{"type":"string"}}}""").RootElement.Clone());
}

/// <summary>An <see cref="IChatClient"/> that answers from a script and records what it was sent.</summary>
internal sealed class ScriptedChatClient : TestChatClient
{
    private readonly Queue<Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse>> _script = new();

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public List<ChatOptions?> RequestOptions { get; } = [];

    public ScriptedChatClient Then(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public ScriptedChatClient ThenText(string text, long inputTokens = 100) =>
        Then((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = 5, TotalTokenCount = inputTokens + 5 } });

    public ScriptedChatClient ThenCalls(params (string CallId, string Name, string ArgumentsJson)[] calls) =>
        Then((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            calls.Select(c => (AIContent)new FunctionCallContent(c.CallId, c.Name, ChatMessageFacts.ParseArguments(c.ArgumentsJson))).ToList()))
        { Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 5, TotalTokenCount = 55 } });

    public ScriptedChatClient ThenThrow(Exception exception) => Then((_, _) => throw exception);

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Requests.Add(list);
        RequestOptions.Add(options);
        if (_script.Count == 0)
        {
            throw new InvalidOperationException("The scripted chat client has no more responses (request " + Requests.Count + ").");
        }

        return Task.FromResult(_script.Dequeue()(list, options));
    }
}

/// <summary>A logger that keeps every entry.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception), exception));
}

internal static class Conversations
{
    public static List<ChatMessage> Long(int turns, int chars = 40)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are helpful.") };
        for (var i = 0; i < turns; i++)
        {
            messages.Add(new ChatMessage(ChatRole.User, "question " + i + " " + new string('q', chars)));
            messages.Add(new ChatMessage(ChatRole.Assistant, "answer " + i + " " + new string('a', chars)));
        }

        messages.Add(new ChatMessage(ChatRole.User, "the last question"));
        return messages;
    }
}
