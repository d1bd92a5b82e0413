using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using CompactMemory.Context;
using Microsoft.Agents.AI.Compaction;
using Microsoft.Extensions.AI;

namespace CompactMemory.Benchmarks.Context;

/// <summary>
/// The built-in compressor against what a .NET agent builder would otherwise use, on the same conversations with tool
/// calls and the same instant summary model: Microsoft.Extensions.AI's <see cref="SummarizingChatReducer"/> and the
/// Agent Framework's <see cref="SummarizationCompactionStrategy"/> as a reducer. Tokens after and invariant violations
/// of the same runs are printed by <c>-- context-compare</c> (<see cref="PeerComparison"/>).
/// </summary>
[MemoryDiagnoser]
public class PeerCompactionBenchmarks : IDisposable
{
    private List<ChatMessage> _conversation = null!;
    private InstantSummarizer _summarizer = null!;
    private IChatReducer _summarizing = null!;
    private IChatReducer _agentFramework = null!;

    /// <summary>The conversation's length in messages.</summary>
    [Params(1_000, 10_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _conversation = Conversations.Build(Messages);
        _summarizer = new InstantSummarizer();
        _summarizing = Peers.Summarizing(_summarizer);
        _agentFramework = Peers.AgentFramework(_summarizer);
    }

    /// <summary>The built-in compressor, forced, 200K window.</summary>
    [Benchmark]
    public Task<IReadOnlyList<ChatMessage>> ContextCompressor() => Peers.Ours(_summarizer).CompressAsync(_conversation, force: true);

    /// <summary>Microsoft.Extensions.AI's summarizing reducer keeping the last 20 messages.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> SummarizingChatReducer() => (await _summarizing.ReduceAsync(_conversation, default).ConfigureAwait(false)).Count();

    /// <summary>The Agent Framework's summarization strategy, triggered at the same token threshold.</summary>
    [Benchmark]
    public async Task<int> AgentFrameworkSummarization() => (await _agentFramework.ReduceAsync(_conversation, default).ConfigureAwait(false)).Count();

    [GlobalCleanup]
    public void Dispose()
    {
        _summarizer.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The three compactors, configured alike.</summary>
public static class Peers
{
    /// <summary>
    /// The size the Agent Framework's strategy compacts down to: the built-in compressor's protected tail for a 200K
    /// window (20 % of its 100,000-token threshold).
    /// </summary>
    public const int TailTokens = 20_000;

    /// <summary>A fresh built-in compressor with a 200K window.</summary>
    public static ContextCompressor Ours(IChatClient summarizer) =>
        new(new ContextCompressorOptions { ContextLength = 200_000 }, summarizer);

    /// <summary>Microsoft.Extensions.AI's reducer keeping 20 messages, summarising as soon as there are more.</summary>
    public static IChatReducer Summarizing(IChatClient summarizer) =>
#pragma warning disable MEAI001 // experimental in Microsoft.Extensions.AI
        new SummarizingChatReducer(summarizer, targetCount: 20, threshold: 0);
#pragma warning restore MEAI001

    /// <summary>The Agent Framework's summarization strategy down to the same tail size.</summary>
    public static IChatReducer AgentFramework(IChatClient summarizer) =>
#pragma warning disable MAAI001 // experimental in the Agent Framework
        new SummarizationCompactionStrategy(summarizer, CompactionTriggers.TokensExceed(TailTokens)).AsChatReducer();
#pragma warning restore MAAI001
}
