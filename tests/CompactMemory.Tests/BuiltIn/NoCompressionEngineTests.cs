using System;
using System.Linq;
using CompactMemory.BuiltIn;
using Xunit;

namespace CompactMemory.Tests.BuiltIn;

public sealed class NoCompressionEngineTests
{
    [Fact]
    public void Cuts_the_text_to_the_budget()
    {
        Assert.Equal("one two three", new NoCompressionEngine().Compress("one two three four five", 3).Text);
    }

    [Fact]
    public void A_text_within_the_budget_is_returned_unchanged()
    {
        const string text = "  one two\n\nthree  ";

        Assert.Equal(text, new NoCompressionEngine().Compress(text, 3).Text);
        Assert.Equal(text, new NoCompressionEngine().Compress(text, 100).Text);
    }

    [Fact]
    public void A_zero_budget_gives_an_empty_text_and_a_negative_one_throws()
    {
        Assert.Equal(string.Empty, new NoCompressionEngine().Compress("one two", 0).Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoCompressionEngine().Compress("one two", -5));
    }

    [Fact]
    public void The_trace_uses_the_historical_keys()
    {
        const string text = "one two three four five";

        var (memory, trace) = new NoCompressionEngine().Compress(text, 3);

        Assert.NotNull(trace);
        Assert.Equal("none", trace.EngineName);
        Assert.Equal(new[] { "llm_token_budget" }, trace.StrategyParams.Select(p => p.Key).ToArray());
        Assert.Equal(3, trace.StrategyParams["llm_token_budget"]!.GetValue<int>());
        Assert.Equal(text.Length, trace.InputSummary["input_length"]!.GetValue<int>());
        Assert.Equal(memory.Text.Length, trace.OutputSummary["output_length"]!.GetValue<int>());
        var step = Assert.Single(trace.Steps);
        Assert.Equal("truncate_content", step["type"]!.GetValue<string>());
        Assert.Equal(3, step["details"]!["llm_token_budget"]!.GetValue<int>());
        Assert.Equal("one two three".Length, step["details"]!["result_length"]!.GetValue<int>());
        Assert.Equal(5, trace.OriginalTokens);
        Assert.Equal(3, trace.CompressedTokens);
    }

    [Fact]
    public void Chunks_are_joined_with_line_breaks()
    {
        Assert.Equal("a\nb\nc", new NoCompressionEngine().Compress(new[] { "a", "b", "c" }, 10).Text);
    }

    [Fact]
    public void The_result_names_the_engine()
    {
        var memory = new NoCompressionEngine().Compress("x", 1);

        Assert.Equal("none", memory.EngineId);
        Assert.NotNull(memory.EngineConfig);
        Assert.True(memory.EngineConfig!["enable_trace"]!.GetValue<bool>());
    }
}
