using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>
/// An instant, deterministic summary model: answers every request with the next scripted reply (the last one
/// repeats), or throws the scripted exception. Records what it was asked.
/// </summary>
internal sealed class ScriptedSummaryClient : TestChatClient
{
    private readonly Queue<Func<IReadOnlyList<ChatMessage>, CancellationToken, string>> _script = new();
    private Func<IReadOnlyList<ChatMessage>, CancellationToken, string> _last;

    public ScriptedSummaryClient(string reply = "## Goal\nscripted summary")
    {
        _last = (_, _) => reply;
    }

    public List<string> Prompts { get; } = new();

    public int Calls => Prompts.Count;

    /// <summary>Queues replies computed at call time (the last one repeats).</summary>
    public ScriptedSummaryClient Then(Func<IReadOnlyList<ChatMessage>, CancellationToken, string> reply)
    {
        _script.Enqueue(reply);
        return this;
    }

    public ScriptedSummaryClient Then(string reply) => Then((_, _) => reply);

    public ScriptedSummaryClient ThenThrow(Exception exception) => Then((_, _) => throw exception);

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Prompts.Add(string.Join("\n", list.Select(m => m.Text)));
        if (_script.Count > 0)
        {
            _last = _script.Dequeue();
        }

        var text = _last(list, cancellationToken);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
    }
}


/// <summary>Short builders of OpenAI-format conversations as ChatMessages.</summary>
internal static class Msg
{
    public static ChatMessage System(string text = "You are a careful agent.") => new(ChatRole.System, text);

    public static ChatMessage User(string text) => new(ChatRole.User, text);

    public static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    /// <summary>An assistant message calling tools; each call is (id, name, arguments JSON).</summary>
    public static ChatMessage Calls(string text, params (string Id, string Name, string Args)[] calls)
    {
        var contents = new List<AIContent>();
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var (id, name, args) in calls)
        {
            contents.Add(ChatMessageFacts.WithArgumentsJson(new FunctionCallContent(id, name), args));
        }

        return new ChatMessage(ChatRole.Assistant, contents);
    }

    public static ChatMessage Call(string id, string name = "terminal", string args = "{\"command\":\"ls\"}") => Calls(string.Empty, (id, name, args));

    public static ChatMessage Result(string id, object? content) => new(ChatRole.Tool, new List<AIContent> { new FunctionResultContent(id, content) });

    public static DataContent Image() => new(new byte[] { 1, 2, 3 }, "image/png");

    public static ChatMessage UserWithImage(string text) => new(ChatRole.User, new List<AIContent> { new TextContent(text), Image() });

    public static ChatMessage Flagged(ChatMessage message, string key = ChatMessageFacts.CompressedSummaryKey)
    {
        message.AdditionalProperties ??= new AdditionalPropertiesDictionary();
        message.AdditionalProperties[key] = true;
        return message;
    }

    /// <summary>A long text: <paramref name="chars"/> characters.</summary>
    public static string Long(int chars, char fill = 'x') => new(fill, chars);

    /// <summary>A conversation of <paramref name="turns"/> user/assistant pairs after a system prompt, each message about <paramref name="chars"/> characters.</summary>
    public static List<ChatMessage> Turns(int turns, int chars = 400, bool system = true)
    {
        var list = new List<ChatMessage>();
        if (system)
        {
            list.Add(System());
        }

        for (var i = 0; i < turns; i++)
        {
            list.Add(User("user " + i + " " + Long(chars)));
            list.Add(Assistant("assistant " + i + " " + Long(chars)));
        }

        return list;
    }
}

/// <summary>Facts about a compressed conversation the tests assert on.</summary>
internal static class Inspect
{
    public static int SummaryCount(IEnumerable<ChatMessage> messages) => messages.Count(ChatMessageFacts.IsCompressedSummary);

    public static ChatMessage Summary(IEnumerable<ChatMessage> messages) => messages.Single(ChatMessageFacts.IsCompressedSummary);

    /// <summary>A snapshot of everything observable about a list, to prove it was not changed.</summary>
    public static string Snapshot(IReadOnlyList<ChatMessage> messages) => string.Join("\u241E", messages.Select(m =>
        m.Role.Value + "|" + string.Join("\u241F", m.Contents.Select(Describe)) + "|"
        + string.Join(",", (m.AdditionalProperties ?? new AdditionalPropertiesDictionary()).Select(p => p.Key + "=" + p.Value))));

    private static string Describe(AIContent content) => content switch
    {
        TextContent t => "T:" + t.Text,
        FunctionCallContent c => "C:" + c.CallId + ":" + c.Name + ":" + ChatMessageFacts.ArgumentsJson(c),
        FunctionResultContent r => "R:" + r.CallId + ":" + (r.Result is IEnumerable<AIContent> parts ? "[" + string.Join(";", parts.Select(Describe)) + "]" : ChatMessageFacts.ResultText(r)),
        DataContent d => "D:" + d.MediaType,
        _ => content.GetType().Name,
    };

    /// <summary>Every problem with tool pairing: a result whose call is not before it, a call whose result is missing.</summary>
    public static List<string> ToolPairProblems(IReadOnlyList<ChatMessage> messages)
    {
        var problems = new List<string>();
        var calls = new HashSet<string>(StringComparer.Ordinal);
        var results = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (ChatMessageFacts.IsTool(message))
            {
                var id = ChatMessageFacts.ToolCallId(message);
                if (id is null || !calls.Contains(id))
                {
                    problems.Add("result without call: " + id);
                }
                else
                {
                    results.Add(id);
                }
            }

            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                calls.Add(call.CallId);
            }
        }

        foreach (var message in messages)
        {
            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                if (!results.Contains(call.CallId))
                {
                    problems.Add("call without result: " + call.CallId);
                }
            }
        }

        return problems;
    }

    /// <summary>Indexes where two user or two assistant messages meet.</summary>
    public static List<int> RoleCollisions(IReadOnlyList<ChatMessage> messages)
    {
        var collisions = new List<int>();
        for (var i = 1; i < messages.Count; i++)
        {
            var a = messages[i - 1].Role;
            var b = messages[i].Role;
            if (a == b && (a == ChatRole.User || a == ChatRole.Assistant))
            {
                collisions.Add(i);
            }
        }

        return collisions;
    }
}
