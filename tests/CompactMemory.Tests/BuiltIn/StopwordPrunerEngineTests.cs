using System;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using Xunit;

namespace CompactMemory.Tests.BuiltIn;

public sealed class StopwordPrunerEngineTests
{
    private static StopwordPrunerEngine Engine(params (string Key, JsonNode? Value)[] settings)
    {
        var config = new EngineConfig();
        foreach (var (key, value) in settings)
        {
            config.Extras[key] = value;
        }

        return new StopwordPrunerEngine(config);
    }

    private static int Removed(CompressionTrace trace, string step) =>
        trace.Steps.Single(s => s["type"]!.GetValue<string>() == step)["details"]!["removed"]!.GetValue<int>();

    [Fact]
    public void Removes_stopwords_and_punctuation_and_lower_cases()
    {
        var memory = Engine().Compress("The quick brown Fox jumps over the lazy dog.", 100);

        Assert.Equal("quick brown fox jumps lazy dog", memory.Text);
        Assert.Equal(3, Removed(memory.Trace!, "remove_stopwords"));
    }

    [Fact]
    public void Removes_fillers()
    {
        var memory = Engine().Compress("Um, I basically like the idea, actually.", 100);

        Assert.Equal("idea", memory.Text);
        Assert.Equal(4, Removed(memory.Trace!, "remove_fillers"));
        Assert.Equal(2, Removed(memory.Trace!, "remove_stopwords"));
    }

    [Fact]
    public void Fillers_stay_when_remove_fillers_is_off()
    {
        var memory = Engine(("remove_fillers", false)).Compress("Um, basically the idea.", 100);

        Assert.Equal("um basically idea", memory.Text);
        Assert.Equal(0, Removed(memory.Trace!, "remove_fillers"));
    }

    [Fact]
    public void Short_words_are_removed_below_min_word_length()
    {
        var memory = Engine(("min_word_length", 4)).Compress("cat elephant dog giraffe", 100);

        Assert.Equal("elephant giraffe", memory.Text);
        Assert.Equal(2, Removed(memory.Trace!, "remove_short"));
    }

    [Fact]
    public void Duplicate_sentences_and_repeated_words_go_when_remove_duplicates_is_on()
    {
        var memory = Engine(("remove_duplicates", true)).Compress("Hello world. Hello WORLD. Bye bye", 100);

        Assert.Equal("hello world bye", memory.Text);
        Assert.Equal(1, Removed(memory.Trace!, "remove_duplicates"));
    }

    [Fact]
    public void Duplicates_stay_by_default()
    {
        Assert.Equal("hello world hello world bye bye", Engine().Compress("Hello world. Hello world. Bye bye", 100).Text);
    }

    [Fact]
    public void Without_preserve_order_the_words_are_sorted_and_distinct()
    {
        Assert.Equal("apple mango zebra", Engine(("preserve_order", false)).Compress("zebra apple mango apple", 100).Text);
    }

    [Fact]
    public void The_result_is_cut_to_the_budget()
    {
        var memory = Engine().Compress("The quick brown fox jumps over the lazy dog.", 2);

        Assert.Equal("quick brown", memory.Text);
    }

    [Fact]
    public void The_trace_steps_come_in_the_contract_order()
    {
        var trace = Engine().Compress("The quick brown fox jumps over the lazy dog.", 2).Trace!;

        Assert.Equal(
            new[] { "remove_stopwords", "remove_fillers", "remove_short", "remove_duplicates", "truncate_to_budget" },
            trace.Steps.Select(step => step["type"]!.GetValue<string>()).ToArray());
        var truncate = trace.Steps[4]["details"]!;
        Assert.Equal(2, truncate["budget"]!.GetValue<int>());
        Assert.Equal("quick brown fox jumps lazy dog".Length, truncate["length_before_truncation"]!.GetValue<int>());
        Assert.Equal("quick brown".Length, truncate["length_after_truncation"]!.GetValue<int>());
        Assert.Equal("stopword_pruner", trace.EngineName);
        Assert.Equal(2, trace.StrategyParams["llm_token_budget"]!.GetValue<int>());
    }

    [Fact]
    public void Stopword_matching_ignores_case()
    {
        Assert.Equal("cat", Engine().Compress("THE Cat IS", 10).Text);
    }

    [Fact]
    public void The_language_name_is_case_insensitive()
    {
        Assert.Equal("cat", Engine(("stopwords_language", "English")).Compress("the cat", 10).Text);
    }

    [Fact]
    public void An_unknown_stopwords_language_is_a_configuration_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => Engine(("stopwords_language", "klingon")).Compress("the cat", 10));

        Assert.Contains("klingon", error.Message, StringComparison.Ordinal);
        Assert.Contains("english", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("min_word_length", "\"x\"")]
    [InlineData("preserve_order", "\"yes\"")]
    [InlineData("remove_fillers", "1")]
    [InlineData("remove_duplicates", "[]")]
    [InlineData("stopwords_language", "5")]
    [InlineData("min_word_length", "2.5")]
    public void A_wrongly_typed_setting_is_a_configuration_error_naming_the_key(string key, string json)
    {
        var error = Assert.Throws<ConfigurationException>(() => Engine((key, JsonNode.Parse(json))).Compress("the cat", 10));

        Assert.Contains("'" + key + "'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_budget_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine().Compress("the cat", -1));
    }
}
