using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Benchmarks.Context;

/// <summary>
/// <c>dotnet run -c Release --project tests/CompactMemory.Benchmarks -- context-compare [conversations] [seed]</c>:
/// runs the three compactors of <see cref="PeerCompactionBenchmarks"/> over generated conversations (50 to 2,000
/// messages) and prints, per compactor, the rough tokens after, the wall time, and the invariant violations summed over
/// all conversations (orphaned tool results and calls, user/user or assistant/assistant neighbours, a lost last user
/// message, a system prompt no longer first). Not a timing benchmark: the times are one pass each, for orientation.
/// </summary>
public static class PeerComparison
{
    public static int Run(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        var random = new Random(seed);
        var summarizer = new InstantSummarizer();
        var compactors = new (string Name, Func<IReadOnlyList<ChatMessage>, IReadOnlyList<ChatMessage>> Compact)[]
        {
            ("ContextCompressor (built-in)", input => Peers.Ours(summarizer).CompressAsync(input, force: true).GetAwaiter().GetResult()),
            ("SummarizingChatReducer (M.E.AI)", input => Peers.Summarizing(summarizer).ReduceAsync(input, default).GetAwaiter().GetResult().ToList()),
            ("SummarizationCompactionStrategy (Agent Framework)", input => Peers.AgentFramework(summarizer).ReduceAsync(input, default).GetAwaiter().GetResult().ToList()),
        };
        var conversations = Enumerable.Range(0, count).Select(_ => Conversations.Build(50 + random.Next(1950), random.Next())).ToList();
        var before = conversations.Sum(c => (long)RoughTokenEstimator.EstimateMessagesTokensRough(c));

        Console.WriteLine($"{count} conversations, {conversations.Sum(c => c.Count):N0} messages, ~{before:N0} tokens before (rough estimate), seed {seed}.");
        Console.WriteLine();
        Console.WriteLine("| Compactor | Tokens after | Time | Orphan results | Orphan calls | Role collisions | Lost last user | System not first | Violations |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, compact) in compactors)
        {
            long after = 0;
            var total = default(Violations);
            var clock = Stopwatch.StartNew();
            foreach (var conversation in conversations)
            {
                var output = compact(conversation);
                after += RoughTokenEstimator.EstimateMessagesTokensRough(output);
                var v = Violations.Of(conversation, output);
                total = new Violations(total.OrphanResults + v.OrphanResults, total.OrphanCalls + v.OrphanCalls, total.RoleCollisions + v.RoleCollisions, total.LostLastUser + v.LostLastUser, total.SystemNotFirst + v.SystemNotFirst);
            }

            clock.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {after:N0} | {clock.Elapsed.TotalMilliseconds:N0} ms | {total.OrphanResults} | {total.OrphanCalls} | {total.RoleCollisions} | {total.LostLastUser} | {total.SystemNotFirst} | {total.Total} |"));
        }

        return 0;
    }
}
