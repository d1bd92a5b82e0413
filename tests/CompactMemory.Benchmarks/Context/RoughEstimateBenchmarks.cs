using System;
using System.Collections.Generic;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Benchmarks.Context;

/// <summary>
/// The host's rough token estimate of a 10,000-message agent conversation against what a user would otherwise write:
/// serialise the messages with Microsoft.Extensions.AI's JSON options and divide the length by four. Throughput in
/// MB/s is the conversation's text size (printed at setup) divided by the mean time.
/// </summary>
[MemoryDiagnoser]
public class RoughEstimateBenchmarks
{
    private List<ChatMessage> _conversation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _conversation = Conversations.Build(10_000);
        Console.WriteLine($"// Conversation: {_conversation.Count:N0} messages, {Conversations.Characters(_conversation) / 1_000_000.0:F2} M characters of text and arguments.");
    }

    /// <summary>The SDK's estimate: the compact rendering's length, computed without building it.</summary>
    [Benchmark]
    public int EstimateMessagesTokensRough() => RoughTokenEstimator.EstimateMessagesTokensRough(_conversation);

    /// <summary>Serialise with M.E.AI's options, then length / 4.</summary>
    [Benchmark(Baseline = true)]
    public int SerializeThenQuarter() =>
        (JsonSerializer.Serialize(_conversation, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(List<ChatMessage>))).Length + 3) / 4;
}
