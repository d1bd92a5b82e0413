using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using Xunit;

namespace CompactMemory.Tests.Hardening;

/// <summary>One test per break the public-API probes found, with the exact reproduction.</summary>
public sealed class PublicApiRegressionTests
{
    /// <summary>
    /// A bound that only a hang or a blow-up crosses (the bugs these tests pin took minutes): a liveness check on a
    /// shared, loaded machine, not a speed claim. Speed is measured in tests/CompactMemory.Benchmarks.
    /// </summary>
    private static readonly TimeSpan LivenessBound = TimeSpan.FromSeconds(60);

    private static EngineRegistry BuiltIns()
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        return registry;
    }

    private static JsonObject Deep(int depth)
    {
        var node = new JsonObject();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["a"] = node };
        }

        return node;
    }

    /// <summary>Was: the process died of a stack overflow in JsonNode.DeepClone, inside every Compress (Config.ToJsonObject).</summary>
    [Fact]
    public void A_setting_nested_50000_deep_is_a_ConfigurationException_not_a_stack_overflow()
    {
        var config = new EngineConfig();
        config.Extras["deep"] = Deep(50_000);

        var ex = Assert.Throws<ConfigurationException>(() => new NoCompressionEngine(config).Compress("hello", 5));
        Assert.Contains("Engine setting 'deep' is nested more than 128 levels deep", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => EngineConfig.FromJsonObject(new JsonObject { ["deep"] = Deep(50_000) }));
    }

    /// <summary>Was: ArgumentException from System.Text.Json (".NET number values such as positive and negative infinity…") out of Compress/ToJson/Get.</summary>
    [Fact]
    public void NaN_and_infinity_in_settings_and_parameters_are_ConfigurationExceptions_naming_the_key()
    {
        var config = new EngineConfig();
        config.Extras["min_word_length"] = JsonValue.Create(double.NaN);
        var get = Assert.Throws<ConfigurationException>(() => config.Get("min_word_length", 1));
        Assert.Contains("'min_word_length' must be a whole number; found a number JSON cannot represent", get.Message, StringComparison.Ordinal);
        var compress = Assert.Throws<ConfigurationException>(() => new StopwordPrunerEngine(config).Compress("hello world", 5));
        Assert.Contains("'min_word_length'", compress.Message, StringComparison.Ordinal);

        var options = new CompressionOptions { Parameters = new Dictionary<string, JsonNode?> { ["temperature"] = JsonValue.Create(double.PositiveInfinity) } };
        var parameter = Assert.Throws<ConfigurationException>(() => new NoCompressionEngine().Compress("hello", 5, options));
        Assert.Equal("Compression parameter 'temperature' holds Infinity, which JSON cannot represent; use null or a finite number.", parameter.Message);
    }

    /// <summary>Was: InvalidOperationException "CurrentDepth (1000) is equal to or larger than the maximum allowed depth" from ToJson.</summary>
    [Fact]
    public void A_result_that_JSON_cannot_hold_is_one_clear_InvalidOperationException()
    {
        var trace = new CompressionTrace("mine");
        trace.AddStep("deep", Deep(300));
        var ex = Assert.Throws<InvalidOperationException>(() => trace.ToJson());
        Assert.StartsWith("This cannot be written as JSON: a value in it is NaN or infinity, or it nests more than 256 levels deep.", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new CompressedMemory("x") { Metadata = new JsonObject { ["n"] = double.NaN } }.ToJson());
    }

    /// <summary>
    /// Was: <c>{"engine_name": "x", "processing_ms": 1e999}</c> parsed to an infinite ProcessingMs, and ToJson of that
    /// trace threw (TraceParsingHardeningTests' mutation property hit it whenever the timing shifted the mutations there).
    /// </summary>
    [Fact]
    public void A_trace_with_an_infinite_processing_time_is_a_FormatException()
    {
        var ex = Assert.Throws<FormatException>(() => CompressionTrace.Parse("""{"engine_name": "x", "processing_ms": 1e999}"""));
        Assert.Equal("Trace field 'processing_ms' must be a finite number.", ex.Message);
    }

    private static JsonObject NestedPipelines(int depth)
    {
        var config = new JsonObject { ["engines"] = new JsonArray(new JsonObject { ["engine_name"] = "none" }) };
        for (var i = 1; i < depth; i++)
        {
            config = new JsonObject { ["engines"] = new JsonArray(new JsonObject { ["engine_name"] = "pipeline", ["engine_params"] = config }) };
        }

        return config;
    }

    /// <summary>Was: 3,000 nested pipelines ran for minutes and took gigabytes (a message chain of "Pipeline stage 0 ('pipeline') failed: " per level).</summary>
    [Theory]
    [InlineData(17)]
    [InlineData(40)]
    public void Pipelines_nested_deeper_than_16_are_refused_quickly_with_one_message(int depth)
    {
        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<PipelineConfigurationException>(() => BuiltIns().CreateCompressionEngine("pipeline", EngineConfig.FromJsonObject(NestedPipelines(depth))));
        Assert.True(watch.Elapsed < LivenessBound, watch.Elapsed.ToString());
        Assert.True(ex.IsNestingLimit);
        Assert.StartsWith("Pipelines are nested more than 16 deep", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipeline_configuration_nested_3000_deep_is_refused_without_recursing_into_it()
    {
        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<ConfigurationException>(() => EngineConfig.FromJsonObject(NestedPipelines(3000)));
        Assert.Contains("Engine setting 'engines' is nested more than 128 levels deep", ex.Message, StringComparison.Ordinal);
        var config = new EngineConfig();
        config.Extras["engines"] = NestedPipelines(3000)["engines"]!.DeepClone();
        Assert.Throws<ConfigurationException>(() => BuiltIns().CreateCompressionEngine("pipeline", config));
        Assert.True(watch.Elapsed < LivenessBound, watch.Elapsed.ToString());
    }

    /// <summary>Was: from about 20 nested pipelines the trace could not be read back (the reader stopped at 64 levels), and at 30 Compress threw.</summary>
    [Fact]
    public void Sixteen_nested_pipelines_compress_and_their_trace_round_trips()
    {
        var engine = BuiltIns().CreateCompressionEngine("pipeline", EngineConfig.FromJsonObject(NestedPipelines(16)));
        var result = engine.Compress("hello brave new world", 2);

        Assert.Equal("hello brave", result.Text);
        var json = result.Trace!.ToJson();
        Assert.Equal(json, CompressionTrace.Parse(json).ToJson());
        _ = result.ToJson();
    }

    [Fact]
    public void Pipelines_of_pipeline_instances_nested_deeper_than_16_are_an_ArgumentException()
    {
        CompressionEngine engine = new NoCompressionEngine();
        for (var i = 0; i < 16; i++)
        {
            engine = new PipelineEngine(engine);
        }

        var ex = Assert.Throws<ArgumentException>(() => new PipelineEngine(engine));
        Assert.StartsWith("Pipelines are nested more than 16 deep", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Was: 1.5 s (a 1 MB × 4 edit-distance table, computed twice) and a 1 MB message; with 500 engines it would take minutes.</summary>
    [Fact]
    public void An_unknown_id_of_a_megabyte_is_refused_with_a_short_message_and_no_edit_distance()
    {
        var available = Enumerable.Range(0, 10_000).Select(i => "engine_" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var watch = Stopwatch.StartNew();
        var ex = new EngineNotFoundException(new string('e', 1 << 20), available);
        var near = new EngineNotFoundException("engine_0999", available);

        Assert.True(watch.Elapsed < LivenessBound, watch.Elapsed.ToString());
        Assert.Null(ex.ClosestMatch);
        Assert.True(ex.Message.Length < 2000, ex.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("eee...'.", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("engine_00049 and 9950 more ('compact-memory engine list' shows them all)", ex.Message, StringComparison.Ordinal);
        Assert.Equal("engine_00999", near.ClosestMatch);
    }

    /// <summary>Was: the id was quoted raw, so a NUL or a line break went into the message (and onto a terminal).</summary>
    [Fact]
    public void An_unknown_id_with_control_characters_is_quoted_escaped()
    {
        var ex = Assert.Throws<EngineNotFoundException>(() => BuiltIns().Get("no\0ne\n"));
        Assert.StartsWith("Unknown engine 'no\\u0000ne\\u000a'. Did you mean 'none'?", ex.Message, StringComparison.Ordinal);
        Assert.Equal("no\0ne\n", ex.RequestedId);
    }

    /// <summary>Was: ArgumentException "Null character in path." out of PluginSearchPath.FromEnvironment, so EngineRegistry.CreateDefault threw.</summary>
    [Fact]
    public void A_NUL_in_the_plugin_path_or_HOME_is_kept_as_written_and_searched_as_missing()
    {
        string? Environment(string name) => name switch
        {
            PluginSearchPath.EnvironmentVariable => "a\0b" + System.IO.Path.PathSeparator + "/nonexistent/engines",
            "HOME" => "/h\0me",
            _ => null,
        };

        var directories = PluginSearchPath.FromEnvironment(Environment);
        Assert.Equal(["a\0b", "/nonexistent/engines", "/h\0me/.local/share/compact_memory/plugins"], directories.Select(d => d.Path));
        var registry = BuiltIns();
        registry.AddPluginDirectories(directories);
        Assert.Equal(["first_last", "none", "pipeline", "stopword_pruner"], registry.Ids);
        Assert.Empty(registry.Failures);
    }

    [Fact]
    public void FromPaths_refuses_a_path_with_a_NUL_naming_its_index()
    {
        var ex = Assert.Throws<ArgumentException>(() => PluginSearchPath.FromPaths(["/tmp", "a\0b"]));
        Assert.StartsWith("Plugin directory 1 is 'a\\u0000b', which holds a NUL character and cannot name a directory", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PluginSearchPath.FromPaths([null!]));
    }

    /// <summary>Was: a cancelled token was ignored by none, first_last, stopword_pruner and an empty pipeline.</summary>
    [Theory]
    [InlineData("none")]
    [InlineData("first_last")]
    [InlineData("stopword_pruner")]
    [InlineData("pipeline")]
    public void A_cancelled_token_stops_every_built_in_before_any_work(string id)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = new CompressionOptions { CancellationToken = cancelled.Token };
        Assert.ThrowsAny<OperationCanceledException>(() => BuiltIns().CreateCompressionEngine(id).Compress("some text", 5, options));
    }

    private sealed class Engine : ContextEngine
    {
        public override string Name => "engine";

        protected override System.Threading.Tasks.Task<IReadOnlyList<Microsoft.Extensions.AI.ChatMessage>> CompressCoreAsync(
            IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
            => System.Threading.Tasks.Task.FromResult(messages);
    }

    /// <summary>Was: (int)(contextLength * NaN) and out-of-range products depended on the runtime's conversion; CompressionCount wrapped to int.MinValue.</summary>
    [Fact]
    public async System.Threading.Tasks.Task UpdateModel_saturates_the_threshold_and_the_compression_count_saturates()
    {
        var engine = new Engine { ThresholdPercent = double.NaN };
        engine.UpdateModel("m", 1000);
        Assert.Equal(0, engine.ThresholdTokens);
        engine.ThresholdPercent = 1e10;
        engine.UpdateModel("m", 1000);
        Assert.Equal(int.MaxValue, engine.ThresholdTokens);
        engine.UpdateModel("m", -1000);
        Assert.Equal(int.MinValue, engine.ThresholdTokens);
        Assert.False(engine.ShouldCompress(int.MaxValue));

        engine.CompressionCount = int.MaxValue;
        _ = await engine.CompressAsync([]);
        Assert.Equal(int.MaxValue, engine.CompressionCount);
    }

    [Fact]
    public void A_status_metric_JSON_cannot_hold_is_named()
    {
        var status = new ContextEngineStatus { Extra = new Dictionary<string, JsonNode?> { ["ratio"] = JsonValue.Create(double.NaN) } };
        var ex = Assert.Throws<InvalidOperationException>(() => status.ToJsonObject());
        Assert.Equal("Status metric 'ratio' holds NaN, which JSON cannot represent; use null or a finite number.", ex.Message);
    }
}
