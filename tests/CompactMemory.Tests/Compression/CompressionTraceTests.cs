using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.Compression;
using Xunit;

namespace CompactMemory.Tests.Compression;

public sealed class CompressionTraceTests
{
    private static readonly string[] TraceKeys =
    [
        "engine_name",
        "strategy_params",
        "input_summary",
        "steps",
        "output_summary",
        "processing_ms",
        "final_compressed_object_preview",
        "original_tokens",
        "compressed_tokens",
    ];

    private static CompressionTrace FullTrace()
    {
        var trace = new CompressionTrace("first_last")
        {
            ProcessingMs = 12.5,
            FinalCompressedObjectPreview = "one two nine ten",
            OriginalTokens = 10,
            CompressedTokens = 4,
        };
        trace.StrategyParams["budget"] = 4;
        trace.InputSummary["input_length"] = 47;
        trace.OutputSummary["final_length"] = 16;
        trace.AddStep("first_last", new JsonObject { ["kept_first_tokens"] = 2, ["kept_last_tokens"] = 2 });
        trace.AddStep("no_details");
        return trace;
    }

    private static string[] KeysOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(property => property.Name).ToArray();
    }

    [Fact]
    public void ToJson_writes_the_fields_in_the_contract_order()
    {
        Assert.Equal(TraceKeys, KeysOf(FullTrace().ToJson()));
        Assert.Equal(TraceKeys, KeysOf(FullTrace().ToJson(indented: false)));
    }

    [Fact]
    public void An_empty_trace_still_writes_every_field_with_nulls_and_empty_containers()
    {
        var json = JsonNode.Parse(new CompressionTrace("none").ToJson())!.AsObject();

        Assert.Equal(TraceKeys, json.Select(field => field.Key).ToArray());
        Assert.Equal("none", json["engine_name"]!.GetValue<string>());
        Assert.Empty(json["strategy_params"]!.AsObject());
        Assert.Empty(json["steps"]!.AsArray());
        Assert.Null(json["processing_ms"]);
        Assert.Null(json["final_compressed_object_preview"]);
        Assert.Null(json["original_tokens"]);
        Assert.Null(json["compressed_tokens"]);
    }

    [Fact]
    public void ToJson_writes_the_values()
    {
        var json = JsonNode.Parse(FullTrace().ToJson())!.AsObject();

        Assert.Equal(4, json["strategy_params"]!["budget"]!.GetValue<int>());
        Assert.Equal(12.5, json["processing_ms"]!.GetValue<double>());
        Assert.Equal("first_last", json["steps"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(2, json["steps"]![0]!["details"]!["kept_last_tokens"]!.GetValue<int>());
        Assert.False(json["steps"]![1]!.AsObject().ContainsKey("details"));
    }

    [Fact]
    public void Indented_output_uses_two_spaces()
    {
        var lines = FullTrace().ToJson().Split('\n');

        Assert.Equal("{", lines[0]);
        Assert.StartsWith("  \"engine_name\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain('\n', FullTrace().ToJson(indented: false));
    }

    [Fact]
    public void Parse_of_ToJson_round_trips_to_equal_json()
    {
        var original = FullTrace().ToJson();

        var parsed = CompressionTrace.Parse(original);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), JsonNode.Parse(parsed.ToJson())));
        Assert.Equal("first_last", parsed.EngineName);
        Assert.Equal(12.5, parsed.ProcessingMs);
        Assert.Equal(10, parsed.OriginalTokens);
        Assert.Equal(4, parsed.CompressedTokens);
        Assert.Equal("one two nine ten", parsed.FinalCompressedObjectPreview);
        Assert.Equal(2, parsed.Steps.Count);
    }

    [Fact]
    public void An_empty_trace_round_trips()
    {
        var original = new CompressionTrace("none").ToJson();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), JsonNode.Parse(CompressionTrace.Parse(original).ToJson())));
    }

    [Fact]
    public void Unknown_fields_are_preserved_after_the_known_ones()
    {
        const string json = """
            {
              "custom_field": {"a": 1, "b": [true, null]},
              "engine_name": "x",
              "strategy_params": {},
              "input_summary": {},
              "steps": [],
              "another": [1, 2, 3]
            }
            """;

        var trace = CompressionTrace.Parse(json);
        var written = JsonNode.Parse(trace.ToJson())!.AsObject();

        Assert.Equal(2, trace.AdditionalFields.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": 1, "b": [true, null]}"""), written["custom_field"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[1, 2, 3]"), written["another"]));
        Assert.Equal(TraceKeys.Concat(["custom_field", "another"]).ToArray(), written.Select(field => field.Key).ToArray());
    }

    [Fact]
    public void Parse_without_engine_name_names_the_field()
    {
        var error = Assert.Throws<FormatException>(() => CompressionTrace.Parse("""{"strategy_params": {}, "input_summary": {}}"""));

        Assert.Contains("engine_name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_with_steps_not_a_list_names_the_field()
    {
        var error = Assert.Throws<FormatException>(() => CompressionTrace.Parse("""{"engine_name": "x", "steps": {"type": "a"}}"""));

        Assert.Contains("steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_with_a_step_that_is_not_an_object_names_the_step()
    {
        var error = Assert.Throws<FormatException>(() => CompressionTrace.Parse("""{"engine_name": "x", "steps": [{}, 3]}"""));

        Assert.Contains("step 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_with_processing_ms_a_string_names_the_field()
    {
        var error = Assert.Throws<FormatException>(() => CompressionTrace.Parse("""{"engine_name": "x", "processing_ms": "12"}"""));

        Assert.Contains("processing_ms", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"engine_name": 5}""", "engine_name")]
    [InlineData("""{"engine_name": "x", "strategy_params": []}""", "strategy_params")]
    [InlineData("""{"engine_name": "x", "original_tokens": 1.5}""", "original_tokens")]
    [InlineData("""{"engine_name": "x", "compressed_tokens": "3"}""", "compressed_tokens")]
    [InlineData("""{"engine_name": "x", "final_compressed_object_preview": 3}""", "final_compressed_object_preview")]
    public void Parse_with_a_wrongly_typed_field_names_it(string json, string field)
    {
        var error = Assert.Throws<FormatException>(() => CompressionTrace.Parse(json));

        Assert.Contains("'" + field + "'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("\"engine_name\"")]
    public void Parse_of_something_that_is_not_a_json_object_is_a_format_error(string json)
    {
        Assert.Throws<FormatException>(() => CompressionTrace.Parse(json));
    }

    [Fact]
    public void CompressedMemory_deconstructs_into_itself_and_its_trace()
    {
        var trace = new CompressionTrace("none");
        var result = new CompressedMemory("text") { Trace = trace };

        var (memory, deconstructedTrace) = result;

        Assert.Same(result, memory);
        Assert.Same(trace, deconstructedTrace);
    }

    [Fact]
    public void CompressedMemory_without_a_trace_deconstructs_to_a_null_trace()
    {
        var (memory, trace) = new CompressedMemory("text");

        Assert.Equal("text", memory.Text);
        Assert.Null(trace);
    }

    [Fact]
    public void CompressedMemory_ToJson_has_the_contract_keys_and_embeds_the_trace()
    {
        var result = new CompressedMemory("short") { EngineId = "first_last", EngineConfig = new JsonObject { ["enable_trace"] = true }, Trace = FullTrace() };

        var json = JsonNode.Parse(result.ToJson())!.AsObject();

        Assert.Equal(new[] { "text", "metadata", "engine_id", "engine_config", "trace" }, json.Select(field => field.Key).ToArray());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FullTrace().ToJson()), json["trace"]));
    }
}
