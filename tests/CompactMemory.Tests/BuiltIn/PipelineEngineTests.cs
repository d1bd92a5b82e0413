using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using CompactMemory.Registry;
using Xunit;

namespace CompactMemory.Tests.BuiltIn;

public sealed class PipelineEngineTests
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog";

    /// <summary>Appends a suffix and remembers what it was called with.</summary>
    private sealed class RecordingEngine : CompressionEngine
    {
        private readonly string _suffix;

        public RecordingEngine(string suffix)
        {
            _suffix = suffix;
        }

        public override string Id => "recording" + _suffix;

        public List<(string Text, int Budget, CompressedMemory? Previous)> Calls { get; } = [];

        public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
        {
            Calls.Add((text, budget, options?.PreviousResult));
            var trace = StartTrace(budget, options);
            trace?.AddStep("append", new JsonObject { ["suffix"] = _suffix });
            return new CompressedMemory(text + _suffix) { EngineId = Id, Metadata = new JsonObject { ["by"] = Id }, Trace = trace };
        }
    }

    private static EngineRegistry BuiltIns()
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        return registry;
    }

    [Fact]
    public void Stages_run_in_order()
    {
        var firstThenPrune = new PipelineEngine(new FirstLastEngine(), new StopwordPrunerEngine()).Compress(Sentence, 4);
        var pruneThenFirst = new PipelineEngine(new StopwordPrunerEngine(), new FirstLastEngine()).Compress(Sentence, 4);

        Assert.Equal("quick lazy dog", firstThenPrune.Text);
        Assert.Equal("quick brown fox jumps", pruneThenFirst.Text);
    }

    [Fact]
    public void Each_stage_gets_the_same_budget_and_the_previous_result()
    {
        var a = new RecordingEngine("-a");
        var b = new RecordingEngine("-b");

        var memory = new PipelineEngine(a, b).Compress("text", 7);

        var (aText, aBudget, aPrevious) = Assert.Single(a.Calls);
        var (bText, bBudget, bPrevious) = Assert.Single(b.Calls);
        Assert.Equal(("text", 7), (aText, aBudget));
        Assert.Null(aPrevious);
        Assert.Equal(("text-a", 7), (bText, bBudget));
        Assert.NotNull(bPrevious);
        Assert.Equal("text-a", bPrevious!.Text);
        Assert.Equal("text-a-b", memory.Text);
        Assert.Equal("recording-b", memory.Metadata!["by"]!.GetValue<string>());
        Assert.Equal("pipeline", memory.EngineId);
    }

    [Fact]
    public void A_previous_result_replaces_the_input_text()
    {
        var a = new RecordingEngine("-a");
        var previous = new CompressedMemory("earlier");

        var memory = new PipelineEngine(a).Compress("ignored", 3, new CompressionOptions { PreviousResult = previous });

        Assert.Equal("earlier-a", memory.Text);
        Assert.Same(previous, a.Calls[0].Previous);
    }

    [Fact]
    public void The_trace_steps_are_the_stage_traces()
    {
        var (memory, trace) = new PipelineEngine(new FirstLastEngine(), new StopwordPrunerEngine()).Compress(Sentence, 4);

        Assert.NotNull(trace);
        Assert.Equal("pipeline", trace.EngineName);
        Assert.Equal(2, trace.Steps.Count);
        Assert.Equal("first_last", trace.Steps[0]["engine_name"]!.GetValue<string>());
        Assert.Equal(4, trace.Steps[0]["strategy_params"]!["budget"]!.GetValue<int>());
        Assert.Equal("stopword_pruner", trace.Steps[1]["engine_name"]!.GetValue<string>());
        Assert.Equal(4, trace.Steps[1]["strategy_params"]!["llm_token_budget"]!.GetValue<int>());
        Assert.Equal(4, trace.StrategyParams["budget"]!.GetValue<int>());
        Assert.Equal(
            new[] { "first_last", "stopword_pruner" },
            trace.StrategyParams["engines"]!.AsArray().Select(step => step!["engine_name"]!.GetValue<string>()).ToArray());
        Assert.Equal(Sentence.Length, trace.InputSummary["original_length"]!.GetValue<int>());
        Assert.Equal(memory.Text.Length, trace.OutputSummary["compressed_length"]!.GetValue<int>());
    }

    [Fact]
    public void Caller_parameters_reach_the_trace_and_every_stage()
    {
        var options = new CompressionOptions { Parameters = new Dictionary<string, JsonNode?> { ["query"] = "fox" } };

        var trace = new PipelineEngine(new FirstLastEngine(), new NoCompressionEngine()).Compress(Sentence, 4, options).Trace!;

        Assert.Equal(new[] { "budget", "query", "engines" }, trace.StrategyParams.Select(p => p.Key).ToArray());
        Assert.All(trace.Steps, step => Assert.Equal("fox", step["strategy_params"]!["query"]!.GetValue<string>()));
    }

    [Fact]
    public void A_caller_parameter_named_engines_is_replaced_by_the_stages_not_a_crash()
    {
        // Python builds {"budget": b, **kwargs, "engines": [...]}: the stages win and the key keeps its place.
        var options = new CompressionOptions { Parameters = new Dictionary<string, JsonNode?> { ["engines"] = "caller value", ["query"] = "fox" } };

        var trace = new PipelineEngine(new FirstLastEngine()).Compress(Sentence, 4, options).Trace!;

        Assert.Equal(new[] { "budget", "engines", "query" }, trace.StrategyParams.Select(p => p.Key).ToArray());
        Assert.Equal("first_last", trace.StrategyParams["engines"]![0]!["engine_name"]!.GetValue<string>());
    }

    [Fact]
    public void Stages_without_a_trace_add_no_step()
    {
        var silent = new FirstLastEngine(new EngineConfig { EnableTrace = false });

        var trace = new PipelineEngine(silent, new NoCompressionEngine()).Compress(Sentence, 4).Trace!;

        Assert.Equal("none", Assert.Single(trace.Steps)["engine_name"]!.GetValue<string>());
    }

    [Fact]
    public void The_engine_config_holds_the_budget_and_the_stages()
    {
        var memory = new PipelineEngine(new FirstLastEngine()).Compress(Sentence, 4);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"enable_trace": true, "budget": 4, "engines": [{"engine_name": "first_last", "engine_params": {}}]}"""),
            memory.EngineConfig));
    }

    [Fact]
    public void An_empty_pipeline_returns_the_input_with_a_note()
    {
        var (memory, trace) = new PipelineEngine(Array.Empty<PipelineStage>()).Compress("  keep me  ", 1);

        Assert.Equal("  keep me  ", memory.Text);
        Assert.Equal("Pipeline was empty or no operations performed.", memory.Metadata!["notes"]!.GetValue<string>());
        Assert.NotNull(trace);
        Assert.Empty(trace.Steps);
    }

    [Fact]
    public void An_empty_pipeline_keeps_the_previous_results_text_and_metadata()
    {
        var previous = new CompressedMemory("earlier") { Metadata = new JsonObject { ["source"] = "stage" } };

        var memory = new PipelineEngine(Array.Empty<PipelineStage>()).Compress("ignored", 1, new CompressionOptions { PreviousResult = previous });

        Assert.Equal("earlier", memory.Text);
        Assert.Equal("stage", memory.Metadata!["source"]!.GetValue<string>());
        Assert.Equal("Pipeline was empty or no operations performed.", memory.Metadata["notes"]!.GetValue<string>());
        Assert.False(previous.Metadata.ContainsKey("notes"));
    }

    [Fact]
    public void FromJson_builds_stages_through_the_resolver_with_their_params()
    {
        var json = JsonNode.Parse("""
            {"engines": [
              {"engine_name": "stopword_pruner", "engine_params": {"min_word_length": 5, "config": {"enable_trace": false, "remove_fillers": false}}},
              {"engine_name": "first_last"}
            ]}
            """);

        var pipeline = PipelineEngine.FromJson(json, BuiltIns());

        Assert.Equal(new[] { "stopword_pruner", "first_last" }, pipeline.Stages.Select(stage => stage.EngineName).ToArray());
        var pruner = Assert.IsType<StopwordPrunerEngine>(pipeline.Stages[0].Engine);
        Assert.Equal(5, pruner.Config.Get("min_word_length", 1));
        Assert.False(pruner.Config.Get("remove_fillers", true));
        Assert.False(pruner.Config.EnableTrace);
        Assert.IsType<FirstLastEngine>(pipeline.Stages[1].Engine);
        Assert.Equal("quick brown jumps", pipeline.Compress("The quick brown fox jumps over the lazy dog", 3).Text);
    }

    [Theory]
    [InlineData("null", "Pipeline config JSON must be a dictionary (object) with an 'engines' key.")]
    [InlineData("[]", "Pipeline config JSON must be a dictionary (object) with an 'engines' key.")]
    [InlineData("\"engines\"", "Pipeline config JSON must be a dictionary (object) with an 'engines' key.")]
    [InlineData("{}", "Pipeline config JSON dictionary must contain an 'engines' key.")]
    [InlineData("""{"stages": []}""", "Pipeline config JSON dictionary must contain an 'engines' key.")]
    [InlineData("""{"engines": "first_last"}""", "The 'engines' key in pipeline config JSON must contain a list of engine configurations.")]
    [InlineData("""{"engines": {}}""", "The 'engines' key in pipeline config JSON must contain a list of engine configurations.")]
    [InlineData("""{"engines": null}""", "The 'engines' key in pipeline config JSON must contain a list of engine configurations.")]
    [InlineData("""{"engines": [1]}""", "Each item in the 'engines' list must be a dictionary, found: number")]
    [InlineData("""{"engines": ["first_last"]}""", "Each item in the 'engines' list must be a dictionary, found: str")]
    [InlineData("""{"engines": [[]]}""", "Each item in the 'engines' list must be a dictionary, found: list")]
    [InlineData("""{"engines": [null]}""", "Each item in the 'engines' list must be a dictionary, found: null")]
    [InlineData("""{"engines": [true]}""", "Each item in the 'engines' list must be a dictionary, found: bool")]
    [InlineData("""{"engines": [{"engine_name": "\ud800"}]}""", "Pipeline config JSON holds a string that is not valid Unicode (an escaped lone surrogate such as \\ud800); escape whole surrogate pairs or write the characters themselves.")]
    [InlineData("""{"engines": [{"engine_name": "none", "engine_params": {"config": {"\udc00": 1}}}]}""", "Pipeline config JSON holds a string that is not valid Unicode (an escaped lone surrogate such as \\ud800); escape whole surrogate pairs or write the characters themselves.")]
    [InlineData("""{"engines": [{"engine_name": "stopword_pruner", "engine_params": {"stopwords_language": "x\udfff"}}]}""", "Pipeline config JSON holds a string that is not valid Unicode (an escaped lone surrogate such as \\ud800); escape whole surrogate pairs or write the characters themselves.")]
    [InlineData("""{"\ud800": 1, "engines": []}""", "Pipeline config JSON holds a string that is not valid Unicode (an escaped lone surrogate such as \\ud800); escape whole surrogate pairs or write the characters themselves.")]
    public void FromJson_rejects_malformed_shapes_with_the_exact_message(string json, string message)
    {
        var error = Assert.Throws<PipelineConfigurationException>(() => PipelineEngine.FromJson(JsonNode.Parse(json), BuiltIns()));

        Assert.Equal(message, error.Message);
        Assert.False(error.IsStageFailure);
    }

    [Theory]
    [InlineData("""{"engines": [{}]}""", "stage 0 has no 'engine_name' string naming the engine to run.")]
    [InlineData("""{"engines": [{"engine_name": 5}]}""", "stage 0 has no 'engine_name' string naming the engine to run.")]
    [InlineData("""{"engines": [{"engine_name": "none"}, {"engine_params": {}}]}""", "stage 1 has no 'engine_name' string naming the engine to run.")]
    [InlineData("""{"engines": [{"engine_name": "first_last", "engine_params": 5}]}""", "stage 0 ('first_last'): 'engine_params' must be an object, found: number")]
    [InlineData("""{"engines": [{"engine_name": "first_last", "engine_params": {"config": "x"}}]}""", "stage 0 ('first_last'): 'config' must be an object, found: str")]
    [InlineData("""{"engines": [{"engine_name": "first_last", "engine_params": {"enable_trace": "no"}}]}""", "stage 0 ('first_last'): Engine setting 'enable_trace' must be true or false; found \"no\".")]
    public void FromJson_reports_bad_stages_as_stage_failures(string json, string message)
    {
        var error = Assert.Throws<PipelineConfigurationException>(() => PipelineEngine.FromJson(JsonNode.Parse(json), BuiltIns()));

        Assert.Equal(message, error.Message);
        Assert.True(error.IsStageFailure);
    }

    [Fact]
    public void An_unknown_stage_id_is_a_stage_failure_naming_the_id()
    {
        var error = Assert.Throws<PipelineConfigurationException>(() =>
            PipelineEngine.FromJson(JsonNode.Parse("""{"engines": [{"engine_name": "first_last"}, {"engine_name": "no_such_engine"}]}"""), BuiltIns()));

        Assert.True(error.IsStageFailure);
        Assert.StartsWith("stage 1 ('no_such_engine'): Unknown engine 'no_such_engine'.", error.Message, StringComparison.Ordinal);
        Assert.IsType<EngineNotFoundException>(error.InnerException);
    }

    [Fact]
    public void An_empty_engines_list_is_an_empty_pipeline()
    {
        var pipeline = PipelineEngine.FromJson(JsonNode.Parse("""{"engines": []}"""), BuiltIns());

        Assert.Empty(pipeline.Stages);
        Assert.Equal(Sentence, pipeline.Compress(Sentence, 2).Text);
    }

    [Fact]
    public void A_negative_budget_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PipelineEngine(new FirstLastEngine()).Compress(Sentence, -1));
    }

    /// <summary>Throws whatever it is given from Compress.</summary>
    private sealed class ThrowingEngine(Func<Exception> failure) : CompressionEngine
    {
        public override string Id => "thrower";

        public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => throw failure();
    }

    private sealed class NothingEngine : CompressionEngine
    {
        public override string Id => "nothing";

        public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => null!;
    }

    private static PipelineEngine Around(CompressionEngine failing) => new(
    [
        PipelineStage.Of(new FirstLastEngine()),
        PipelineStage.Of(new NoCompressionEngine()),
        new PipelineStage("stopword_pruner", [], failing),
    ]);

    [Fact]
    public void A_stage_that_throws_while_compressing_is_named_with_its_index_and_id()
    {
        var inner = new InvalidOperationException("kaboom");

        var error = Assert.Throws<EngineException>(() => Around(new ThrowingEngine(() => inner)).Compress(Sentence, 4));

        Assert.Equal("Pipeline stage 2 ('stopword_pruner') failed: InvalidOperationException: kaboom", error.Message);
        Assert.Same(inner, error.InnerException);
    }

    [Fact]
    public void A_configuration_error_inside_a_stage_stays_a_configuration_error_with_the_stage_named()
    {
        var error = Assert.Throws<ConfigurationException>(() => Around(new ThrowingEngine(() => new ConfigurationException("'min_word_length' must be a number"))).Compress(Sentence, 4));

        Assert.Equal("Pipeline stage 2 ('stopword_pruner') failed: 'min_word_length' must be a number", error.Message);
    }

    [Fact]
    public void A_failing_stage_inside_a_nested_pipeline_names_both_stages()
    {
        var nested = new PipelineEngine([PipelineStage.Of(new FirstLastEngine()), new PipelineStage("pipeline", [], Around(new ThrowingEngine(() => new InvalidOperationException("deep"))))]);

        var error = Assert.Throws<EngineException>(() => nested.Compress(Sentence, 4));

        Assert.Equal("Pipeline stage 1 ('pipeline') failed: Pipeline stage 2 ('stopword_pruner') failed: InvalidOperationException: deep", error.Message);
    }

    [Fact]
    public void A_stage_whose_static_constructor_fails_shows_what_it_threw()
    {
        var error = Assert.Throws<EngineException>(() => Around(new ThrowingEngine(() => new TypeInitializationException("Acme.Vocabulary", new IOException("vocab.txt missing")))).Compress(Sentence, 4));

        Assert.Equal("Pipeline stage 2 ('stopword_pruner') failed: the static constructor of 'Acme.Vocabulary' threw IOException: vocab.txt missing", error.Message);
    }

    [Fact]
    public void A_stage_returning_nothing_is_named()
    {
        var error = Assert.Throws<EngineException>(() => Around(new NothingEngine()).Compress(Sentence, 4));

        Assert.Equal("Pipeline stage 2 ('stopword_pruner') failed: its engine returned no result; Compress must return a CompressedMemory", error.Message);
    }

    [Fact]
    public void Cancellation_is_not_turned_into_a_stage_failure()
    {
        using var cancel = new CancellationTokenSource();
        var pipeline = Around(new ThrowingEngine(() =>
        {
            cancel.Cancel();
            return new OperationCanceledException(cancel.Token);
        }));

        Assert.Throws<OperationCanceledException>(() => pipeline.Compress(Sentence, 4, new CompressionOptions { CancellationToken = cancel.Token }));
    }

    [Fact]
    public void A_null_stage_is_refused_when_the_pipeline_is_built_not_when_it_runs()
    {
        var error = Assert.Throws<ArgumentException>(() => new PipelineEngine([PipelineStage.Of(new FirstLastEngine()), null!]));

        Assert.StartsWith("Pipeline stage 1 is null; every stage needs an engine to run.", error.Message, StringComparison.Ordinal);
    }
}
