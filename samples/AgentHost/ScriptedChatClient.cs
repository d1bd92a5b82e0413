using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.AgentHost;

/// <summary>
/// A STAND-IN FOR A REAL MODEL, so the sample runs offline and the same way every time. It does not understand
/// language: it follows a few fixed rules over the messages it is sent.
/// <list type="bullet">
/// <item><description>asked about the weather, it calls the host's <c>get_weather</c> tool, then reports the result;</description></item>
/// <item><description>asked to be reminded of a ticket number it can no longer see anywhere in what it is sent
/// (compaction moved the message out, and the summary's short excerpt does not reach it), it calls <c>lcm_grep</c>, then <c>lcm_expand</c> on the best hit, then answers from the restored message;</description></item>
/// <item><description>anything else gets a canned, deterministic planning answer, long enough that the conversation
/// outgrows the compaction threshold after a few turns.</description></item>
/// </list>
/// Like a provider, it reports usage: prompt tokens are the rough estimate (characters / 4) of what it was sent.
/// </summary>
internal sealed partial class ScriptedChatClient : IChatClient
{
    /// <summary>The model id it reports.</summary>
    public const string ModelId = "scripted-stand-in";

    private int _calls;

    /// <summary>The tool calls it made, in order, as <c>name(arguments)</c>.</summary>
    public List<string> ToolCalls { get; } = [];

    /// <summary>The tool results it was sent back, by tool name.</summary>
    public List<(string Tool, string Result)> ToolResults { get; } = [];

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages.ToList();
        var reply = Decide(list, options);
        reply.MessageId = "scripted-" + (++_calls).ToString(CultureInfo.InvariantCulture);
        var prompt = RoughTokenEstimator.EstimateMessagesTokensRough(list);
        var completion = RoughTokenEstimator.EstimateMessagesTokensRough([reply]);
        return Task.FromResult(new ChatResponse(reply)
        {
            ModelId = ModelId,
            ResponseId = reply.MessageId,
            FinishReason = reply.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = prompt, OutputTokenCount = completion, TotalTokenCount = prompt + completion },
        });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ScriptedChatClient) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private ChatMessage Decide(List<ChatMessage> messages, ChatOptions? options)
    {
        var last = messages[^1];
        if (ChatMessageFacts.IsTool(last))
        {
            return AfterTool(messages, options);
        }

        var ask = ChatMessageFacts.Text(messages.Last(ChatMessageFacts.IsUser));
        if (ask.Contains("weather", StringComparison.OrdinalIgnoreCase))
        {
            return Call(options, "get_weather", """{"city":"Lisbon"}""") ?? Say("I have no weather tool here.");
        }

        if (ask.Contains("keep that in mind", StringComparison.OrdinalIgnoreCase))
        {
            return Say("Noted.");
        }

        if (ask.Contains("remind me", StringComparison.OrdinalIgnoreCase))
        {
            // Everything it was sent counts, the summary's excerpts included; only a ticket nowhere in sight is searched for.
            var ticket = messages.Select(m => TicketPattern().Match(ChatMessageFacts.Text(m))).FirstOrDefault(match => match.Success);
            if (ticket is not null)
            {
                return Say($"It is {ticket.Value}; it is still in my context.");
            }

            return Call(options, "lcm_grep", """{"query":"database password rotation ticket","limit":3}""")
                ?? Say("That part of our conversation is no longer in my context, and I have no tool to look it up.");
        }

        return Say(Plan(ask, messages.Count(ChatMessageFacts.IsUser)));
    }

    private ChatMessage AfterTool(List<ChatMessage> messages, ChatOptions? options)
    {
        var results = new List<FunctionResultContent>();
        for (var i = messages.Count - 1; i >= 0 && ChatMessageFacts.IsTool(messages[i]); i--)
        {
            results.AddRange(messages[i].Contents.OfType<FunctionResultContent>());
        }

        var names = messages.SelectMany(ChatMessageFacts.ToolCalls).ToDictionary(c => c.CallId, c => c.Name, StringComparer.Ordinal);
        foreach (var result in results)
        {
            var tool = names.GetValueOrDefault(result.CallId, "?");
            var text = ChatMessageFacts.ResultText(result);
            ToolResults.Add((tool, text));
            switch (tool)
            {
                case "get_weather":
                    return Say($"The forecast for Lisbon next week: {text}. Pack a light jacket for the evenings.");
                case "lcm_grep":
                    using (var found = JsonDocument.Parse(text))
                    {
                        // The question being answered matches its own words; any other hit is worth reading in full.
                        var ask = ChatMessageFacts.Text(messages.Last(ChatMessageFacts.IsUser));
                        var ids = new List<long>();
                        if (found.RootElement.TryGetProperty("results", out var hits))
                        {
                            foreach (var hit in hits.EnumerateArray())
                            {
                                var snippet = hit.GetProperty("snippet").GetString() ?? string.Empty;
                                var plain = snippet.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Trim('…');
                                if (!ask.Contains(plain, StringComparison.Ordinal))
                                {
                                    ids.Add(hit.GetProperty("id").GetInt64());
                                }
                            }
                        }

                        if (ids.Count == 0)
                        {
                            return Say("I searched our earlier conversation but found nothing about it.");
                        }

                        return Call(options, "lcm_expand", "{\"ids\":[" + string.Join(",", ids.Take(2).Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]}")
                            ?? Say("I found it in our earlier conversation, but I have no tool to restore it.");
                    }

                case "lcm_expand":
                    var ticket = TicketPattern().Match(text);
                    return Say(ticket.Success
                        ? $"The staging database password rotation is tracked in ticket {ticket.Value}. That was compacted out of my context; I found it with lcm_grep and restored the message with lcm_expand."
                        : "I restored the message, but it does not name a ticket.");
            }
        }

        return Say("Noted.");
    }

    private ChatMessage? Call(ChatOptions? options, string tool, string arguments)
    {
        if (options?.Tools?.Any(t => string.Equals(t.Name, tool, StringComparison.Ordinal)) != true)
        {
            return null;
        }

        var callId = "call_" + (_calls + 1).ToString(CultureInfo.InvariantCulture) + "_" + tool;
        ToolCalls.Add($"{tool}({arguments})");
        return new ChatMessage(ChatRole.Assistant, [ChatMessageFacts.WithArgumentsJson(new FunctionCallContent(callId, tool), arguments)]);
    }

    private static ChatMessage Say(string text) => new(ChatRole.Assistant, text);

    /// <summary>A deterministic planning answer of a few hundred characters, built from the question's longest words.</summary>
    private static string Plan(string ask, int turn)
    {
        var topic = string.Join(' ', ask.Split([' ', ',', '.', '?', ':'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 4).OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).Take(3));
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Step {turn} of the plan, about {topic}. ");
        builder.Append("First, write down what exists today and who depends on it; second, agree on the order of the changes and ");
        builder.Append("the checks that prove each one worked; third, rehearse on staging with production-sized data and time every step; ");
        builder.Append("fourth, schedule the window, announce it, and keep a rollback ready until the new path has run clean for a week. ");
        builder.Append(CultureInfo.InvariantCulture, $"For {topic}, the main risk is a change nobody can undo quickly, so we make each step reversible.");
        return builder.ToString();
    }

    [GeneratedRegex(@"OPS-\d+", RegexOptions.CultureInvariant)]
    private static partial Regex TicketPattern();
}
