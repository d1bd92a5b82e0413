using System;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using Xunit;

namespace CompactMemory.Tests.BuiltIn;

public sealed class FirstLastEngineTests
{
    private const string TenWords = "one two three four five six seven eight nine ten";

    [Theory]
    [InlineData(4, "one two nine ten")]
    [InlineData(5, "one two three nine ten")]
    [InlineData(1, "one")]
    [InlineData(2, "one ten")]
    [InlineData(9, "one two three four five seven eight nine ten")]
    public void Keeps_the_first_and_last_tokens(int budget, string expected)
    {
        Assert.Equal(expected, new FirstLastEngine().Compress(TenWords, budget).Text);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(12)]
    [InlineData(20)]
    [InlineData(int.MaxValue)]
    public void A_budget_at_least_the_token_count_returns_the_text_once_unchanged(int budget)
    {
        Assert.Equal(TenWords, new FirstLastEngine().Compress(TenWords, budget).Text);
    }

    [Fact]
    public void A_text_within_the_budget_keeps_its_whitespace()
    {
        const string text = "  one\n\ntwo   three\t";

        Assert.Equal(text, new FirstLastEngine().Compress(text, 3).Text);
    }

    [Fact]
    public void A_zero_budget_gives_an_empty_text()
    {
        Assert.Equal(string.Empty, new FirstLastEngine().Compress(TenWords, 0).Text);
        Assert.Equal(string.Empty, new FirstLastEngine().Compress(string.Empty, 0).Text);
    }

    [Fact]
    public void A_negative_budget_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FirstLastEngine().Compress(TenWords, -1));
    }

    [Theory]
    [InlineData(4, 2, 2)]
    [InlineData(5, 3, 2)]
    [InlineData(12, 6, 4)]
    [InlineData(20, 10, 0)]
    [InlineData(0, 0, 0)]
    public void The_trace_step_reports_the_real_first_and_last_counts(int budget, int first, int last)
    {
        var trace = new FirstLastEngine().Compress(TenWords, budget).Trace!;

        var step = Assert.Single(trace.Steps);
        Assert.Equal("first_last", step["type"]!.GetValue<string>());
        Assert.Equal(first, step["details"]!["kept_first_tokens"]!.GetValue<int>());
        Assert.Equal(last, step["details"]!["kept_last_tokens"]!.GetValue<int>());
        Assert.Equal(first + last, trace.OutputSummary["final_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void The_trace_describes_input_and_output()
    {
        var (memory, trace) = new FirstLastEngine().Compress(TenWords, 4);

        Assert.NotNull(trace);
        Assert.Equal("first_last", trace.EngineName);
        Assert.Equal(4, trace.StrategyParams["budget"]!.GetValue<int>());
        Assert.Equal(TenWords.Length, trace.InputSummary["input_length"]!.GetValue<int>());
        Assert.Equal(10, trace.InputSummary["input_tokens"]!.GetValue<int>());
        Assert.Equal(memory.Text.Length, trace.OutputSummary["final_length"]!.GetValue<int>());
        Assert.Equal(10, trace.OriginalTokens);
        Assert.Equal(4, trace.CompressedTokens);
        Assert.Equal("one two nine ten", trace.FinalCompressedObjectPreview);
        Assert.NotNull(trace.ProcessingMs);
    }

    [Fact]
    public void The_result_names_the_engine_and_snapshots_its_config()
    {
        var config = new EngineConfig();
        config.Extras["note"] = "x";

        var memory = new FirstLastEngine(config).Compress(TenWords, 4);

        Assert.Equal("first_last", memory.EngineId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"enable_trace": true, "note": "x"}"""), memory.EngineConfig));
    }

    [Fact]
    public void Tracing_can_be_disabled()
    {
        var memory = new FirstLastEngine(new EngineConfig { EnableTrace = false }).Compress(TenWords, 4);

        Assert.Null(memory.Trace);
        Assert.Equal("one two nine ten", memory.Text);
    }

    [Fact]
    public void Chunks_are_joined_with_a_space()
    {
        var memory = new FirstLastEngine().Compress(new[] { "one two", "three four" }, 2);

        Assert.Equal("one four", memory.Text);
    }

    [Fact]
    public void Options_parameters_are_recorded_in_strategy_params()
    {
        var options = new CompressionOptions { Parameters = new System.Collections.Generic.Dictionary<string, JsonNode?> { ["query"] = "fox" } };

        var trace = new FirstLastEngine().Compress(TenWords, 4, options).Trace!;

        Assert.Equal(new[] { "budget", "query" }, trace.StrategyParams.Select(p => p.Key).ToArray());
        Assert.Equal("fox", trace.StrategyParams["query"]!.GetValue<string>());
    }

    [Fact]
    public void The_engine_declares_its_id()
    {
        Assert.Equal("first_last", new FirstLastEngine().Id);
        Assert.Equal("first_last", CompressionEngine.GetDeclaredId(typeof(FirstLastEngine)));
    }
}
