using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Benchmarks.Context;

/// <summary>
/// Deterministic agent conversations for the context benchmarks: a system prompt, then turns of a user ask, an
/// assistant reply that calls one to three tools in parallel, their results (some long), and a closing answer.
/// </summary>
public static class Conversations
{
    private static readonly string[] Tools = ["terminal", "read_file", "search_files", "write_file"];
    private static readonly string[] Words = "the build failed because the parser rejects trailing commas in the manifest so we patch the reader add a test and rerun the suite before shipping".Split(' ');

    /// <summary>About <paramref name="messages"/> messages (whole turns), the same for the same seed.</summary>
    public static List<ChatMessage> Build(int messages, int seed = 42)
    {
        var random = new Random(seed);
        var list = new List<ChatMessage>(messages + 8)
        {
            new(ChatRole.System, "You are a coding agent. Use the tools to inspect and change the repository. Keep answers short."),
        };
        var turn = 0;
        while (list.Count < messages - 1)
        {
            turn++;
            list.Add(new ChatMessage(ChatRole.User, $"Step {turn}: " + Sentence(random, 8 + random.Next(20))));
            var calls = 1 + random.Next(3);
            var callContents = new List<AIContent> { new TextContent(Sentence(random, 6)) };
            for (var c = 0; c < calls; c++)
            {
                var tool = Tools[random.Next(Tools.Length)];
                var id = $"call_{turn}_{c}";
                var arguments = tool switch
                {
                    "terminal" => new Dictionary<string, object?> { ["command"] = "dotnet test --filter Step" + turn },
                    "read_file" => new Dictionary<string, object?> { ["path"] = $"src/Module{turn % 17}.cs", ["offset"] = random.Next(400) },
                    "write_file" => new Dictionary<string, object?> { ["path"] = $"src/Module{turn % 17}.cs", ["content"] = Sentence(random, 40 + random.Next(200)) },
                    _ => new Dictionary<string, object?> { ["pattern"] = Words[random.Next(Words.Length)] },
                };
                callContents.Add(new FunctionCallContent(id, tool, arguments));
            }

            list.Add(new ChatMessage(ChatRole.Assistant, callContents));
            foreach (var call in callContents.OfType<FunctionCallContent>())
            {
                var length = random.Next(10) < 3 ? 2000 + random.Next(4000) : 40 + random.Next(300);
                list.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, Sentence(random, length / 6))]));
            }

            list.Add(new ChatMessage(ChatRole.Assistant, $"Done with step {turn}: " + Sentence(random, 12 + random.Next(30))));
        }

        list.Add(new ChatMessage(ChatRole.User, "Now summarise what changed and run the full suite once more."));
        return list;
    }

    /// <summary>The total characters of text, arguments and results: the size the throughput figures divide by.</summary>
    public static long Characters(IEnumerable<ChatMessage> messages)
    {
        long total = 0;
        foreach (var message in messages)
        {
            total += ChatMessageFacts.Text(message).Length;
            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                total += ChatMessageFacts.ArgumentsJson(call).Length;
            }
        }

        return total;
    }

    private static string Sentence(Random random, int words)
    {
        var builder = new StringBuilder(words * 7);
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Words[random.Next(Words.Length)]);
        }

        return builder.ToString();
    }
}

/// <summary>An instant, deterministic summary model: the same short summary for every request, with usage.</summary>
public sealed class InstantSummarizer : IChatClient
{
    private const string Summary = "## Historical Task Snapshot\nThe user asked for a series of repository steps.\n## Completed Actions\n1. Ran the tools the steps needed.";

    private int _calls;

    /// <summary>How many summaries were asked for.</summary>
    public int Calls => _calls;

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Summary))
        {
            Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 40, TotalTokenCount = 1040 },
        });
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The benchmarks summarise without streaming.");

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

/// <summary>The invariants every compacted conversation must keep, counted rather than asserted.</summary>
public readonly record struct Violations(int OrphanResults, int OrphanCalls, int RoleCollisions, int LostLastUser, int SystemNotFirst)
{
    /// <summary>All violations together.</summary>
    public int Total => OrphanResults + OrphanCalls + RoleCollisions + LostLastUser + SystemNotFirst;

    /// <summary>Counts the violations of <paramref name="output"/> against its <paramref name="input"/>.</summary>
    public static Violations Of(IReadOnlyList<ChatMessage> input, IReadOnlyList<ChatMessage> output)
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        var results = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in output)
        {
            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                calls.Add(call.CallId);
            }

            if (ChatMessageFacts.IsTool(message) && ChatMessageFacts.ToolCallId(message) is { } id)
            {
                results.Add(id);
            }
        }

        var orphanResults = results.Count(id => !calls.Contains(id));
        var orphanCalls = calls.Count(id => !results.Contains(id));
        var collisions = 0;
        for (var i = 1; i < output.Count; i++)
        {
            if ((ChatMessageFacts.IsUser(output[i]) && ChatMessageFacts.IsUser(output[i - 1]))
                || (ChatMessageFacts.IsAssistant(output[i]) && ChatMessageFacts.IsAssistant(output[i - 1])))
            {
                collisions++;
            }
        }

        var lastUser = input.LastOrDefault(ChatMessageFacts.IsUser);
        var lost = lastUser is null || output.Any(m => ChatMessageFacts.Text(m).Contains(ChatMessageFacts.Text(lastUser), StringComparison.Ordinal)) ? 0 : 1;
        var systemNotFirst = input.Count > 0 && ChatMessageFacts.IsSystem(input[0]) && (output.Count == 0 || !ChatMessageFacts.IsSystem(output[0])) ? 1 : 0;
        return new Violations(orphanResults, orphanCalls, collisions, lost, systemNotFirst);
    }

    /// <inheritdoc />
    public override string ToString() => Total.ToString(CultureInfo.InvariantCulture);
}
