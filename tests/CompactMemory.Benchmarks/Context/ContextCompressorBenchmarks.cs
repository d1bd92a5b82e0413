using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Benchmarks.Context;

/// <summary>
/// The built-in compressor on agent conversations of 1K, 10K and 100K messages with an instant summary model, so
/// the figures are the compressor's own work (pruning, boundaries, serialising the middle, assembly, sanitising).
/// Target: ten times the messages costs at most twelve times the time.
/// </summary>
[MemoryDiagnoser]
public class ContextCompressorBenchmarks : IDisposable
{
    private List<ChatMessage> _conversation = null!;
    private InstantSummarizer _summarizer = null!;

    /// <summary>The conversation's length in messages.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _conversation = Conversations.Build(Messages);
        _summarizer = new InstantSummarizer();
    }

    /// <summary>One forced compaction by a fresh compressor with a 200K window.</summary>
    [Benchmark]
    public Task<IReadOnlyList<ChatMessage>> Compress()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = 200_000 }, _summarizer);
        return compressor.CompressAsync(_conversation, force: true);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _summarizer.Dispose();
        GC.SuppressFinalize(this);
    }
}
