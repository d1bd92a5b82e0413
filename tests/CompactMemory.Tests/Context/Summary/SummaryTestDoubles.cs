using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CompactMemory.Tests.Context.Summary;


/// <summary>One recorded call of the scripted client.</summary>
internal sealed record RecordedCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public string Prompt => Messages.Single().Text;
}

/// <summary>A stand-in summary model: each call runs the next scripted step (the last one repeats) and is recorded.</summary>
internal sealed class ScriptedChatClient : TestChatClient
{
    private readonly Func<RecordedCall, CancellationToken, Task<ChatResponse>>[] _steps;

    public ScriptedChatClient(params Func<RecordedCall, CancellationToken, Task<ChatResponse>>[] steps) => _steps = steps;

    public List<RecordedCall> Calls { get; } = new();

    public static ScriptedChatClient Replying(string text) => new((_, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))));

    public static ScriptedChatClient Throwing(params Exception[] exceptions) =>
        new(exceptions.Select(e => (Func<RecordedCall, CancellationToken, Task<ChatResponse>>)((_, _) => throw e)).ToArray());

    public static Func<RecordedCall, CancellationToken, Task<ChatResponse>> Reply(string text) =>
        (_, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));

    public static Func<RecordedCall, CancellationToken, Task<ChatResponse>> Throw(Exception exception) => (_, _) => throw exception;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = new RecordedCall(messages.ToList(), options);
        Calls.Add(call);
        var step = _steps[Math.Min(Calls.Count - 1, _steps.Length - 1)];
        return step(call, cancellationToken);
    }
}

/// <summary>Message builders for the summary tests.</summary>
internal static class Msg
{
    public static ChatMessage User(string text) => new(ChatRole.User, text);

    public static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    public static ChatMessage System(string text) => new(ChatRole.System, text);

    public static ChatMessage Call(string? text, params (string Id, string Name, string ArgumentsJson)[] calls)
    {
        var contents = new List<AIContent>();
        if (text is not null)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var (id, name, json) in calls)
        {
            contents.Add(CompactMemory.Context.ChatMessageFacts.WithArgumentsJson(new FunctionCallContent(id, name), json));
        }

        return new ChatMessage(ChatRole.Assistant, contents);
    }

    public static ChatMessage Tool(string id, string? result) => new(ChatRole.Tool, new List<AIContent> { new FunctionResultContent(id, result) });
}
