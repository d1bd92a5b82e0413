using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CompactMemory.Context;
using CompactMemory.Samples.Lcm;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.Tests.Lcm;

/// <summary>Conversation builders and the invariants every compaction must keep.</summary>
internal static class LcmTestKit
{
    public static ChatMessage SystemMessage(string text) => new(ChatRole.System, text);

    public static ChatMessage User(string text) => new(ChatRole.User, text);

    public static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    public static ChatMessage Calls(string? text, params (string Id, string Name, string Args)[] calls)
    {
        var contents = new List<AIContent>();
        if (text is not null)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var (id, name, args) in calls)
        {
            contents.Add(ChatMessageFacts.WithArgumentsJson(new FunctionCallContent(id, name), args));
        }

        return new ChatMessage(ChatRole.Assistant, contents);
    }

    public static ChatMessage Result(string callId, object? result) => new(ChatRole.Tool, [new FunctionResultContent(callId, result)]);

    /// <summary>A plain conversation: a system prompt, then <paramref name="turns"/> user/assistant pairs mentioning topic-N.</summary>
    public static List<ChatMessage> Turns(int from, int turns, bool system = true)
    {
        var messages = new List<ChatMessage>();
        if (system)
        {
            messages.Add(SystemMessage("You are a careful assistant."));
        }

        for (var turn = from; turn < from + turns; turn++)
        {
            messages.Add(User($"Question {turn}: tell me about topic-{turn}."));
            messages.Add(Assistant($"Answer {turn}: topic-{turn} is well covered."));
        }

        return messages;
    }

    public static async Task<JsonObject> Tool(LcmContextEngine engine, string name, JsonObject arguments)
    {
        var text = await engine.HandleToolCallAsync(name, arguments.ToJsonString());
        return JsonNode.Parse(text)!.AsObject();
    }

    public static Task<JsonObject> Grep(LcmContextEngine engine, string query, int? limit = null)
    {
        var args = new JsonObject { ["query"] = query };
        if (limit is { } l)
        {
            args["limit"] = l;
        }

        return Tool(engine, "lcm_grep", args);
    }

    public static Task<JsonObject> Expand(LcmContextEngine engine, IEnumerable<long> ids) =>
        Tool(engine, "lcm_expand", new JsonObject { ["ids"] = new JsonArray(ids.Select(id => (JsonNode?)id).ToArray()) });

    /// <summary>The message JSON of every id, through lcm_expand in batches of 50.</summary>
    public static async Task<Dictionary<long, JsonNode>> ExpandAll(LcmContextEngine engine, IReadOnlyList<long> ids)
    {
        var found = new Dictionary<long, JsonNode>();
        for (var i = 0; i < ids.Count; i += LcmContextEngine.MaxExpandIds)
        {
            var result = await Expand(engine, ids.Skip(i).Take(LcmContextEngine.MaxExpandIds));
            foreach (var item in result["messages"]!.AsArray())
            {
                found[item!["id"]!.GetValue<long>()] = item["message"]!;
            }
        }

        return found;
    }

    public static ChatMessage? Summary(IReadOnlyList<ChatMessage> messages) => messages.SingleOrDefault(ChatMessageFacts.IsCompressedSummary);

    /// <summary>
    /// The structural promises of a compaction; returns the first broken one, or <see langword="null"/>.
    /// </summary>
    public static string? BrokenInvariant(IReadOnlyList<ChatMessage> input, IReadOnlyList<ChatMessage> output)
    {
        if (ReferenceEquals(input, output))
        {
            return null;
        }

        var summaries = output.Where(ChatMessageFacts.IsCompressedSummary).ToList();
        if (summaries.Count != 1)
        {
            return $"{summaries.Count} summary messages";
        }

        if (input.Count > 0 && ChatMessageFacts.IsSystem(input[0]) && !ReferenceEquals(output[0], input[0]))
        {
            return "the system message is not first";
        }

        var lastUser = input.LastOrDefault(m => ChatMessageFacts.IsUser(m) && !LcmContextEngine.IsOwnSummary(m));
        if (lastUser is not null && !output.Any(m => ReferenceEquals(m, lastUser)))
        {
            return "the last user message is not kept verbatim";
        }

        var at = output.ToList().IndexOf(summaries[0]);
        if (at > 0 && SameSpeaker(output[at - 1], output[at]))
        {
            return $"two {output[at].Role} messages meet before the summary";
        }

        if (at + 1 < output.Count && SameSpeaker(output[at], output[at + 1]))
        {
            return $"two {output[at].Role} messages meet after the summary";
        }

        if (at > 0 && ChatMessageFacts.IsSystem(output[at - 1]) && summaries[0].Role != ChatRole.User)
        {
            return "a system-only head is not followed by a user message";
        }

        var calls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in output)
        {
            if (ChatMessageFacts.IsTool(message))
            {
                var id = ChatMessageFacts.ToolCallId(message);
                if (id is null || !calls.Contains(id))
                {
                    return $"tool result '{id}' has no earlier call";
                }
            }

            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                calls.Add(call.CallId);
            }
        }

        var results = output.Where(ChatMessageFacts.IsTool).Select(ChatMessageFacts.ToolCallId).ToHashSet(StringComparer.Ordinal);
        var unanswered = calls.FirstOrDefault(c => !results.Contains(c));
        return unanswered is null ? null : $"call '{unanswered}' has no result";
    }

    private static bool SameSpeaker(ChatMessage a, ChatMessage b) =>
        (a.Role == ChatRole.User && b.Role == ChatRole.User) || (a.Role == ChatRole.Assistant && b.Role == ChatRole.Assistant);

    /// <summary>
    /// Every message given is in the output (the same instance) or comes back from lcm_expand, by an id the summary
    /// lists, as exactly the JSON it was stored as; returns the first one lost, or <see langword="null"/>.
    /// </summary>
    public static async Task<string?> LostMessage(LcmContextEngine engine, IEnumerable<ChatMessage> everything, IReadOnlyList<ChatMessage> output)
    {
        var summary = Summary(output);
        var pointers = summary is null ? [] : LcmContextEngine.SummaryPointers(summary);
        var restored = await ExpandAll(engine, pointers);
        var restoredJson = restored.Values.Select(node => node.ToJsonString()).ToHashSet(StringComparer.Ordinal);
        foreach (var message in everything)
        {
            if (LcmContextEngine.IsOwnSummary(message) || output.Any(m => ReferenceEquals(m, message)))
            {
                continue;
            }

            var json = JsonNode.Parse(LcmMessageJson.Serialize(message))!.ToJsonString();
            if (!restoredJson.Contains(json))
            {
                return $"{message.Role}: {ChatMessageFacts.Text(message)} (json {json}); summary pointers: {string.Join(",", pointers)}";
            }
        }

        return null;
    }

    public static string Show(IEnumerable<ChatMessage> messages) =>
        string.Join("\n", messages.Select(m => $"{m.Role}: {ChatMessageFacts.Text(m).Replace('\n', ' ')} {string.Join(" ", ChatMessageFacts.ToolCalls(m).Select(c => "call:" + c.CallId))}{(ChatMessageFacts.ToolCallId(m) is { } id ? " result:" + id : "")}"));

    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
