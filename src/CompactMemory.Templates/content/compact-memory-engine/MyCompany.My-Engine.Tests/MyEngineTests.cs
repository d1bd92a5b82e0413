using CompactMemory;
using CompactMemory.Compression;
using CompactMemory.Tokens;
using Xunit;

namespace MyCompany.My_Engine.Tests;

public sealed class MyEngineTests
{
    private const string Text =
        "Context windows are finite. Every token a model reads has a cost. Compression keeps what matters. "
        + "The simplest rule keeps the opening of a text, where writers usually state their topic.";

    private static readonly ITokenizer Tokenizer = DefaultTokenizer.Instance;

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(1000)]
    public void The_result_fits_the_budget(int budget)
    {
        var result = new MyEngine().Compress(Text, budget);

        Assert.True(Tokenizer.CountTokens(result.Text) <= budget, $"{Tokenizer.CountTokens(result.Text)} tokens for a budget of {budget}: {result.Text}");
        Assert.Equal("my_engine", result.EngineId);
    }

    [Fact]
    public void A_small_budget_keeps_the_leading_sentences_that_fit()
    {
        var budget = Tokenizer.CountTokens("Context windows are finite. Every token a model reads has a cost.") + 2;

        var result = new MyEngine().Compress(Text, budget);

        Assert.Equal("Context windows are finite. Every token a model reads has a cost.", result.Text);
    }

    [Fact]
    public void A_text_within_the_budget_is_kept_whole()
    {
        var result = new MyEngine().Compress(Text, Tokenizer.CountTokens(Text));

        Assert.Equal(Text, result.Text);
    }

    [Fact]
    public void A_first_sentence_longer_than_the_budget_is_cut_to_it()
    {
        var result = new MyEngine().Compress(Text, 2);

        Assert.Equal(2, Tokenizer.CountTokens(result.Text));
        Assert.StartsWith(result.Text, Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trace_records_the_token_counts()
    {
        var result = new MyEngine().Compress(Text, 10);

        Assert.NotNull(result.Trace);
        Assert.Equal(Tokenizer.CountTokens(Text), result.Trace.OriginalTokens);
        Assert.Equal(Tokenizer.CountTokens(result.Text), result.Trace.CompressedTokens);
    }

    [Fact]
    public void A_negative_budget_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MyEngine().Compress(Text, -1));
    }

    [Fact]
    public void The_generated_catalog_lists_the_engine()
    {
        var descriptor = Assert.Single(CompactMemoryEngines.All, engine => engine.Id == "my_engine");

        Assert.Equal(EngineKind.Compression, descriptor.Kind);
        Assert.Equal(typeof(MyEngine), descriptor.EngineType);
        var created = Assert.IsType<MyEngine>(descriptor.Factory(new EngineCreationContext(null, new NoEngines())));
        Assert.Equal("my_engine", created.Id);
    }

    /// <summary>This engine builds no other engines, so it is given none.</summary>
    private sealed class NoEngines : IEngineResolver
    {
        public CompressionEngine CreateCompressionEngine(string id, EngineConfig? config = null) =>
            throw new InvalidOperationException($"No engine '{id}' is available in this test.");
    }
}
