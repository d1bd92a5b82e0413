using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using CompactMemory.Context;
using CompactMemory.Samples.SearchableHistory;
using Microsoft.Extensions.AI;

namespace CompactMemory.Benchmarks;

/// <summary>
/// The tools of a real context engine (<c>searchable_history</c>, four tools): generated schemas and dispatch versus
/// what Microsoft.Extensions.AI does by reflection for the same methods. Targets: schemas at least 100× faster with no
/// allocation after the first call; dispatch at least 5× faster with fewer bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class ToolBenchmarks
{
    private const string ReadArguments = """{"index": 9}""";
    private const string SearchArguments = """{"query": "topic-5", "limit": 2, "speaker": "User"}""";
    private static readonly string[] ToolMethods = [nameof(SearchableHistoryEngine.Search), nameof(SearchableHistoryEngine.Read), nameof(SearchableHistoryEngine.Stats), nameof(SearchableHistoryEngine.PinAsync)];
    private SearchableHistoryEngine _engine = null!;
    private MethodInfo[] _methods = null!;
    private AIFunction _search = null!;
    private AIFunction _read = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new SearchableHistoryEngine();
        var conversation = new List<ChatMessage>();
        for (var turn = 1; turn <= 50; turn++)
        {
            conversation.Add(new ChatMessage(ChatRole.User, $"Question {turn}: what about topic-{turn}?"));
            conversation.Add(new ChatMessage(ChatRole.Assistant, $"Answer {turn}: topic-{turn} is covered."));
        }

        _engine.CompressAsync(conversation).GetAwaiter().GetResult();
        _methods = Array.ConvertAll(ToolMethods, name => typeof(SearchableHistoryEngine).GetMethod(name)!);
        _search = AIFunctionFactory.Create(_methods[0], _engine);
        _read = AIFunctionFactory.Create(_methods[1], _engine);

        var generated = _engine.HandleToolCallAsync("history_search", SearchArguments).AsTask().GetAwaiter().GetResult();
        var reflected = AIFunction_Invoke().GetAwaiter().GetResult();
        if (_engine.GetToolSchemas().Count != ToolMethods.Length || !JsonNodeEquals(generated, reflected))
        {
            throw new InvalidOperationException($"The two paths disagree: generated {generated}, reflection {reflected}.");
        }
    }

    /// <summary>The generated schemas: computed at build time, parsed once, then the same list every call.</summary>
    [Benchmark]
    public IReadOnlyList<ToolSchema> Generated_GetToolSchemas() => _engine.GetToolSchemas();

    /// <summary>What a user writes without the SDK: an AIFunction per method, asking for its JSON schema.</summary>
    [Benchmark(Baseline = true)]
    public int AIFunctionFactory_JsonSchemas()
    {
        var total = 0;
        foreach (var method in _methods)
        {
            total += AIFunctionFactory.Create(method, _engine).JsonSchema.GetRawText().Length;
        }

        return total;
    }

    /// <summary>Generated dispatch: arguments JSON in, result JSON out.</summary>
    [Benchmark]
    public ValueTask<string> Generated_HandleToolCall() => _engine.HandleToolCallAsync("history_search", SearchArguments);

    /// <summary>The same call through a cached AIFunction: parse the arguments, invoke by reflection, serialise the result.</summary>
    [Benchmark]
    public async Task<string> AIFunction_Invoke()
    {
        var arguments = JsonSerializer.Deserialize(SearchArguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Dictionary<string, object?>))) as Dictionary<string, object?>;
        var result = await _search.InvokeAsync(new AIFunctionArguments(arguments)).ConfigureAwait(false);
        return JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)));
    }

    /// <summary>A tool that does almost nothing itself (reads one archived message): what is left is dispatch overhead.</summary>
    [Benchmark]
    public ValueTask<string> Generated_HandleToolCall_Read() => _engine.HandleToolCallAsync("history_read", ReadArguments);

    /// <summary>The same cheap call through a cached AIFunction.</summary>
    [Benchmark]
    public async Task<string> AIFunction_Invoke_Read()
    {
        var arguments = JsonSerializer.Deserialize(ReadArguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Dictionary<string, object?>))) as Dictionary<string, object?>;
        var result = await _read.InvokeAsync(new AIFunctionArguments(arguments)).ConfigureAwait(false);
        return JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)));
    }

    private static bool JsonNodeEquals(string a, string b) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(a), System.Text.Json.Nodes.JsonNode.Parse(b));
}
