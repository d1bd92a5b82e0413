using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>
/// One regression test per reproduction of a broken dispatch promise: JSON escapes of unpaired surrogates (values,
/// property names, nested records, async tools), hostile tool names and argument text, numbers out of range, deep
/// nesting, and tool results and failures that are not valid Unicode or cannot be JSON. Each expected text is exact.
/// </summary>
public sealed class ToolHardeningTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static readonly Lazy<ToolCompilation> Sample = new(() =>
    {
        var directory = Path.Combine(RepositoryRoot(), "samples", "SearchableHistory");
        return ToolCompilation.Compile(
            "SearchableHistorySample",
            File.ReadAllText(Path.Combine(directory, "Models.cs")),
            File.ReadAllText(Path.Combine(directory, "SearchableHistoryEngine.cs")));
    });

    private static IContextEngine NewSample() => Sample.Value.Create("CompactMemory.Samples.SearchableHistory.SearchableHistoryEngine");

    private static IContextEngine NewFuzz() => ToolFuzzTests.Compiled.Value.Create(FuzzEngineSource.EngineType);

    /// <summary>The call completes without throwing; its result encodes to strict UTF-8 (each test then asserts the exact text).</summary>
    private static string Call(IContextEngine engine, string tool, string? arguments)
    {
        var call = engine.HandleToolCallAsync(tool, arguments!, null, CancellationToken.None).AsTask();
        var result = call.GetAwaiter().GetResult();
        Assert.True(call.IsCompletedSuccessfully);
        StrictUtf8.GetBytes(result);
        return result;
    }

    private static void AssertError(string message, string result) => Assert.Equal(ContextEngine.ErrorJson(message), result);

    // Reproduction 1: a JSON-escaped unpaired surrogate made GetString throw out of the dispatch.
    [Theory]
    [InlineData("history_search", """{"query": "\ud800"}""", """Tool 'history_search': argument 'query' must be a string; got "\ud800", which is not valid Unicode (\ud800 is half of a surrogate pair).""")]
    [InlineData("history_search", """{"query": "ok \udc00\ud800"}""", """Tool 'history_search': argument 'query' must be a string; got "ok \udc00\ud800", which is not valid Unicode (\udc00 is half of a surrogate pair).""")]
    [InlineData("history_search", """{"query": "q", "speaker": "\ud800"}""", """Tool 'history_search': argument 'speaker' must be one of "Any", "User", "Assistant", "Tool"; got "\ud800", which is not valid Unicode (\ud800 is half of a surrogate pair).""")]
    [InlineData("history_search", """{"query": "q", "limit": "\ud800"}""", """Tool 'history_search': argument 'limit' must be an integer; got "\ud800", which is not valid Unicode (\ud800 is half of a surrogate pair).""")]
    [InlineData("history_search", """{"\ud800": 1, "query": "q"}""", """Tool 'history_search': the arguments object has a property name that is not valid Unicode: "\ud800" (\ud800 is half of a surrogate pair).""")]
    [InlineData("history_search", """{"query": "q", "a\udbff\u0041": 1}""", """Tool 'history_search': the arguments object has a property name that is not valid Unicode: "a\udbff\u0041" (\udbff is half of a surrogate pair).""")]
    [InlineData("history_pin", """{"request": {"note": "\udc00"}}""", """Tool 'history_pin': argument 'request.note' must be a string or null; got "\udc00", which is not valid Unicode (\udc00 is half of a surrogate pair).""")]
    [InlineData("history_pin", """{"request": {"indexes": [1, "\ud800"]}}""", """Tool 'history_pin': argument 'request.indexes[1]' must be an integer; got "\ud800", which is not valid Unicode (\ud800 is half of a surrogate pair).""")]
    [InlineData("history_pin", """{"request": {"indexes": [1], "\udc00x": 1}}""", """Tool 'history_pin': argument 'request' has a property name that is not valid Unicode: "\udc00x" (\udc00 is half of a surrogate pair).""")]
    [InlineData("history_stats", """{"\ud800": 1}""", """Tool 'history_stats': the arguments object has a property name that is not valid Unicode: "\ud800" (\ud800 is half of a surrogate pair).""")]
    public void Unpaired_surrogate_escapes_in_the_sample_are_argument_errors(string tool, string arguments, string message)
    {
        AssertError(message, Call(NewSample(), tool, arguments));
    }

    [Fact]
    public void The_sample_still_works_and_ignores_unknown_arguments()
    {
        var engine = NewSample();
        Assert.Equal("[]", Call(engine, "history_search", """{"query": "q", "unknown": "\ud83d\ude00"}"""));
        Assert.Equal("""{"archived":0,"compactions":0,"pinned":[]}""", Call(engine, "history_stats", """{"x": 1}"""));
        Assert.Equal("Pinned 0 message(s): n.", Call(engine, "history_pin", """{"request": {"note": "n", "extra": {"\ud83d\ude00": 1}}}"""));
    }

    // Reproduction 2: the unknown-tool error embedded the raw name, so it could not be encoded as UTF-8.
    [Fact]
    public void An_unknown_tool_name_is_quoted_as_valid_unicode_and_bounded()
    {
        var engine = NewSample();
        Assert.Equal("{\"error\": \"Unknown context engine tool: \uFFFD\"}", Call(engine, "\ud800", "{}"));
        Assert.Equal("{\"error\": \"Unknown context engine tool: a\uFFFD\uFFFDb\ud83d\ude00\"}", Call(engine, "a\udc00\ud800b\ud83d\ude00", "{}"));

        var longName = new string('n', 96) + "\ud83d\ude00" + new string('n', 1000);
        Assert.Equal(ContextEngine.ErrorJson("Unknown context engine tool: " + new string('n', 96) + "..."), Call(engine, longName, "{}"));
        Assert.Equal(ContextEngine.ErrorJson("Unknown context engine tool: " + new string('n', 100)), Call(engine, new string('n', 100), "{}"));
    }

    [Fact]
    public void Error_json_replaces_unpaired_surrogates_and_keeps_pairs()
    {
        Assert.Equal("{\"error\": \"\uFFFDa\uFFFD\ud83d\ude00\uFFFD\"}", ContextEngine.ErrorJson("\udc00a\ud800\ud83d\ude00\ud800"));
        Assert.Equal("{\"error\": \"\"}", ContextEngine.ErrorJson(null!));
        Assert.Equal("{\"error\": \"Unknown context engine tool: \"}", ContextEngine.UnknownToolError(null!));
    }

    [Theory]
    [InlineData("t_guid", "a GUID string")]
    [InlineData("t_date_time", "an ISO 8601 date-time string")]
    [InlineData("t_date_time_offset", "an ISO 8601 date-time string")]
    [InlineData("t_time_span", "a time span string ([-][d.]hh:mm:ss[.fffffff])")]
    [InlineData("t_uri", "a URI string")]
    [InlineData("t_char", "a string of one character")]
    [InlineData("t_enum", "one of \"Calm\", \"Angry\", \"very-happy\"")]
    [InlineData("t_int", "an integer")]
    [InlineData("t_ulong", "an integer from 0 to 18446744073709551615")]
    [InlineData("t_double", "a number")]
    [InlineData("t_float", "a number")]
    [InlineData("t_decimal", "a number")]
    [InlineData("t_string", "a string")]
    public void Every_type_read_from_a_string_reports_unpaired_surrogate_escapes(string tool, string expected)
    {
        AssertError(
            "Tool '" + tool + "': argument 'v' must be " + expected + "; got \"\\ud800\", which is not valid Unicode (\\ud800 is half of a surrogate pair).",
            Call(NewFuzz(), tool, """{"v": "\ud800"}"""));
    }

    [Theory]
    [InlineData("t_nullables", """{"c": "\ud800"}""", "argument 'c' must be a GUID string or null; got \"\\ud800\"")]
    [InlineData("t_nullables", """{"b": "\ud800"}""", "argument 'b' must be one of \"Calm\", \"Angry\", \"very-happy\" or null; got \"\\ud800\"")]
    [InlineData("t_nullables", """{"f": "\ud800"}""", "argument 'f' must be a string of one character or null; got \"\\ud800\"")]
    [InlineData("t_collections", """{"strings": ["a", "\ud800"]}""", "argument 'strings[1]' must be a string; got \"\\ud800\"")]
    [InlineData("t_collections", """{"grid": [[1], [2, "\ud800"]]}""", "argument 'grid[1][1]' must be an integer; got \"\\ud800\"")]
    [InlineData("t_collections", """{"guids": [null, "\ud800"]}""", "argument 'guids[1]' must be a GUID string or null; got \"\\ud800\"")]
    [InlineData("t_record", """{"filter": {"text": "t", "tags": ["a", "\ud800"]}}""", "argument 'filter.tags[1]' must be a string; got \"\\ud800\"")]
    [InlineData("t_record", """{"filter": {"text": "t", "points": [{"x": 1, "y": "\ud800"}]}}""", "argument 'filter.points[0].y' must be an integer; got \"\\ud800\"")]
    [InlineData("t_record", """{"filter": {"text": "t", "when": "\ud800"}}""", "argument 'filter.when' must be an ISO 8601 date-time string or null; got \"\\ud800\"")]
    [InlineData("t_class", """{"settings": {"letter": "\ud800"}}""", "argument 'settings.letter' must be a string of one character; got \"\\ud800\"")]
    [InlineData("async_record", """{"filter": {"text": "\ud800"}}""", "argument 'filter.text' must be a string; got \"\\ud800\"")]
    [InlineData("async_task", """{"x": 1, "y": "\ud800"}""", "argument 'y' must be an integer; got \"\\ud800\"")]
    public void Unpaired_surrogate_escapes_are_reported_at_their_path(string tool, string arguments, string problem)
    {
        AssertError("Tool '" + tool + "': " + problem + ", which is not valid Unicode (\\ud800 is half of a surrogate pair).", Call(NewFuzz(), tool, arguments));
    }

    [Theory]
    [InlineData("t_record", """{"filter": {"\ud800": 1, "text": "t"}}""", "argument 'filter' has a property name")]
    [InlineData("t_record", """{"filter": {"text": "t", "origin": {"x": 1, "y": 2, "\ud800": 3}}}""", "argument 'filter.origin' has a property name")]
    [InlineData("t_class", """{"settings": {"\ud800\ud800\ud800\ud800\ud800": 1}}""", "argument 'settings' has a property name")]
    [InlineData("no_args", """{"\ud800": 1}""", "the arguments object has a property name")]
    [InlineData("token_only", """{"\ud800": 1}""", "the arguments object has a property name")]
    [InlineData("async_task", """{"x": 1, "\ud800": 1}""", "the arguments object has a property name")]
    public void Property_names_with_unpaired_surrogate_escapes_are_errors_naming_the_object(string tool, string arguments, string problem)
    {
        var result = Call(NewFuzz(), tool, arguments);
        Assert.StartsWith(ContextEngine.ErrorJson("Tool '" + tool + "': " + problem + " that is not valid Unicode: \"\\ud800")[..^2], result, StringComparison.Ordinal);
        Assert.EndsWith("(\\\\ud800 is half of a surrogate pair).\"}", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Argument_text_that_is_not_unicode_or_not_json_is_an_error_that_says_where()
    {
        var engine = NewFuzz();
        AssertError("Tool 't_string': the arguments are not valid Unicode text: an unpaired surrogate (U+D800) at index 7.", Call(engine, "t_string", "{\"v\": \"\ud800\"}"));
        AssertError("Tool 't_string': the arguments are not valid Unicode text: an unpaired surrogate (U+DC00) at index 1.", Call(engine, "t_string", "{\udc00}"));
        AssertError("Tool 't_int': the arguments are not valid JSON (at line 1, byte 9).", Call(engine, "t_int", """{"v": 1 /* c */}"""));
        AssertError("Tool 't_int': the arguments are not valid JSON (at line 1, byte 10).", Call(engine, "t_int", """{"v": 1} x"""));
        AssertError("Tool 't_int': the arguments are not valid JSON (at line 2, byte 1).", Call(engine, "t_int", "{\"v\": 1,\n}"));
        AssertError("Tool 't_int': the arguments are not valid JSON (at line 1, byte 1).", Call(engine, "t_int", "\uFEFF\uFEFF{}"));
        AssertError("Tool 't_int': the arguments must be a JSON object; got an array.", Call(engine, "t_int", "[1]"));
        AssertError("Tool 't_int': the arguments must be a JSON object; got a string.", Call(engine, "t_int", "\"\\ud800\""));
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_an_error_and_64_levels_are_read()
    {
        var engine = NewFuzz();
        AssertError("Tool 't_int': the arguments are nested deeper than 64 levels.", Call(engine, "t_int", "{\"v\": " + new string('[', 64) + new string(']', 64) + "}"));
        AssertError("Tool 't_int': the arguments are nested deeper than 64 levels.", Call(engine, "t_int", "{\"v\": " + string.Concat(Enumerable.Repeat("{\"v\": ", 100000))));
        AssertError("Tool 't_int': argument 'v' must be an integer; got an array.", Call(engine, "t_int", "{\"v\": " + new string('[', 63) + new string(']', 63) + "}"));

        // Brackets inside strings do not count.
        AssertError("Tool 't_int': argument 'v' must be an integer; got \"" + new string('[', 56) + "....", Call(engine, "t_int", "{\"v\": \"" + new string('[', 100) + "\"}"));
    }

    [Theory]
    [InlineData("\uFEFF{\"v\": 5}", "5")]
    [InlineData("{\"v\": 1, \"v\": 2}", "2")]
    [InlineData("{\"v\": 1, \"V\": 2}", "1")]
    public void A_bom_is_skipped_and_the_last_of_repeated_arguments_wins(string arguments, string expected)
    {
        Assert.Equal(expected, Call(NewFuzz(), "t_int", arguments));
    }

    [Fact]
    public void Repeated_properties_take_the_last_value_and_a_last_null_means_the_default()
    {
        var engine = NewFuzz();
        JsonAssert.Equal("""{"text": "b", "limit": 10, "mood": "Calm"}""", Call(engine, "t_record", """{"filter": {"text": "a", "TEXT": "b", "limit": 3, "limit": null}}"""));
        Assert.Equal("""["dflt","7","Angry","null","True","0.5","null"]""", Call(engine, "t_defaults", """{"count": 3, "count": null, "text": "x", "text": null}"""));
        JsonAssert.Equal("""{"name": "default-name", "ratio": 0.5, "letter": "a", "span": "00:00:00"}""", Call(engine, "t_class", """{"settings": {"ratio": 2, "ratio": null}}"""));
    }

    [Theory]
    [InlineData("t_double", "1e400", "a number", "1e400")]
    [InlineData("t_double", "\"-1e400\"", "a number", "\"-1e400\"")]
    [InlineData("t_float", "3.4e39", "a number", "3.4e39")]
    [InlineData("t_decimal", "79228162514264337593543950336", "a number", "79228162514264337593543950336")]
    [InlineData("t_ulong", "18446744073709551616", "an integer from 0 to 18446744073709551615", "18446744073709551616")]
    [InlineData("t_ulong", "-1", "an integer from 0 to 18446744073709551615", "-1")]
    [InlineData("t_long", "-9223372036854775809", "an integer", "-9223372036854775809")]
    [InlineData("t_sbyte", "\"-129\"", "an integer from -128 to 127", "\"-129\"")]
    [InlineData("t_int", "1e2", "an integer", "1e2")]
    public void Numbers_out_of_range_are_errors(string tool, string value, string expected, string got)
    {
        AssertError("Tool '" + tool + "': argument 'v' must be " + expected + "; got " + got + ".", Call(NewFuzz(), tool, "{\"v\": " + value + "}"));
    }

    [Fact]
    public void Long_values_are_cut_and_never_between_a_surrogate_pair()
    {
        var engine = NewFuzz();
        AssertError("Tool 't_long': argument 'v' must be an integer; got " + new string('9', 57) + "....", Call(engine, "t_long", "{\"v\": " + new string('9', 100000) + "}"));

        // The raw value is "x…x😀…": 55 x's after the quote, then the pair at the cut; the cut moves before the pair.
        var value = "\"" + new string('x', 55) + "\ud83d\ude00" + new string('y', 20) + "\"";
        AssertError("Tool 't_int': argument 'v' must be an integer; got \"" + new string('x', 55) + "....", Call(engine, "t_int", "{\"v\": " + value + "}"));
    }

    [Fact]
    public void Values_the_type_refuses_are_argument_errors_with_the_types_message()
    {
        var engine = NewFuzz();
        AssertError("Tool 't_validated': argument 'range' was rejected by Fuzz.Range: low > high \uFFFD.", Call(engine, "t_validated", """{"range": {"low": 2, "high": 1}}"""));
        AssertError(
            "Tool 't_validated': argument 'range' was rejected by Fuzz.Range: a label has at most 3 characters (Parameter 'value').",
            Call(engine, "t_validated", """{"range": {"low": 1, "high": 2, "label": "long"}}"""));
        JsonAssert.Equal("""{"low": 1, "high": 2, "label": "abc"}""", Call(engine, "t_validated", """{"range": {"low": 1, "high": 2, "label": "abc"}}"""));
    }

    [Fact]
    public void String_results_that_are_not_valid_unicode_come_back_with_U_FFFD()
    {
        var engine = NewFuzz();
        Assert.Equal("a\uFFFD", Call(engine, "raw_cut", """{"v": "a\ud83d\ude00", "at": 2}"""));
        Assert.Equal("a\uFFFD", Call(engine, "async_raw_cut", """{"v": "a😀", "at": 2}"""));
        Assert.Equal("a\ud83d\ude00", Call(engine, "raw_cut", """{"v": "a😀", "at": 3}"""));

        // System.Text.Json's writer escapes U+FFFD, as JsonSerializer does.
        Assert.Equal("""["a\uFFFD"]""", Call(engine, "t_cut", """{"v": "a😀", "at": 2}"""));
        Assert.Equal("""["a\uFFFD"]""", Call(engine, "async_value_task", """{"v": "a😀", "at": 2}"""));
        Assert.Equal("plain \"text\" 😀", Call(engine, "raw_echo", """{"v": "plain \"text\" \ud83d\ude00"}"""));
    }

    [Theory]
    [InlineData(0, "cancelled, but not by the caller t")]
    [InlineData(1, "ThrowingMessage")]
    [InlineData(2, "NullMessage")]
    [InlineData(3, "InvalidOperationException")]
    [InlineData(4, "many t (inner)")]
    [InlineData(5, "t\uFFFDt")]
    [InlineData(7, "task cancelled t")]
    public async Task Failures_are_error_json_whatever_the_exception(int kind, string message)
    {
        var engine = NewFuzz();
        AssertError("Context engine tool 'failures' failed: " + message, Call(engine, "failures", "{\"kind\": " + kind + ", \"text\": \"t\"}"));
        AssertError("Context engine tool 'async_failures' failed: " + message, await engine.HandleToolCallAsync("async_failures", "{\"kind\": " + kind + ", \"text\": \"t\"}"));
    }

    [Fact]
    public void Long_exception_messages_are_cut()
    {
        AssertError("Context engine tool 'failures' failed: " + new string('m', 497) + "...", Call(NewFuzz(), "failures", """{"kind": 6}"""));
        AssertError("Context engine tool 'raw_throw' failed: x\uFFFD", Call(NewFuzz(), "raw_throw", """{"message": "x😀", "at": 2}"""));
    }

    [Theory]
    [InlineData(0, "NaN")]
    [InlineData(1, "Infinity")]
    [InlineData(2, "-Infinity")]
    public void A_result_json_cannot_hold_is_a_clear_failure(int kind, string value)
    {
        AssertError(
            "Context engine tool 'not_finite' failed: its result holds " + value + ", which JSON cannot represent (JSON numbers are finite)",
            Call(NewFuzz(), "not_finite", "{\"kind\": " + kind + "}"));
    }

    [Fact]
    public void A_null_task_is_a_clear_failure()
    {
        AssertError("Context engine tool 'null_task' failed: the method returned null instead of a Task.", Call(NewFuzz(), "null_task", "{}"));
    }

    [Fact]
    public void A_result_that_throws_while_it_is_written_is_a_failure_and_the_next_result_is_whole()
    {
        var engine = NewFuzz();
        AssertError("Context engine tool 'exploding' failed: getter \uFFFD", Call(engine, "exploding", """{"count": 2}"""));
        Assert.Equal("[]", Call(engine, "exploding", """{"count": 0}"""));
        JsonAssert.Equal("""{"x": 1, "y": 2}""", Call(engine, "async_task", """{"x": 1, "y": 2}"""));
    }

    /// <summary>
    /// The generated dispatch of every supported type parses as C# 7.3 (Roslyn compiles only one language version at a
    /// time and the engine's own source is newer; ToolHostTests compiles a C# 7.3 engine's dispatch in full).
    /// </summary>
    [Fact]
    public void The_dispatch_of_every_type_parses_as_CSharp_7_3()
    {
        var generated = ToolFuzzTests.Compiled.Value.GeneratedSource;
        var last = ToolFuzzTests.Compiled.Value.Create(FuzzEngineSource.EngineType).GetToolSchemas().Count - 1;
        Assert.Contains("__CompactMemory_Tool" + last.ToString(System.Globalization.CultureInfo.InvariantCulture) + "(", generated, StringComparison.Ordinal);
        var tree = CSharpSyntaxTree.ParseText(generated, new CSharpParseOptions(LanguageVersion.CSharp7_3));
        Assert.Empty(tree.GetDiagnostics());
        var support = ToolFuzzTests.Compiled.Value.Output.SyntaxTrees.Single(t => t.FilePath.EndsWith("CompactMemoryToolSupport.g.cs", StringComparison.Ordinal));
        Assert.Empty(CSharpSyntaxTree.ParseText(support.ToString(), new CSharpParseOptions(LanguageVersion.CSharp7_3)).GetDiagnostics());
    }

    [Fact]
    public void Json_names_that_are_not_valid_unicode_get_no_tool()
    {
        var compiled = ToolCompilation.Compile("BadNames", """
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            using System.Threading;
            using System.Threading.Tasks;
            using CompactMemory;
            using CompactMemory.Context;
            using Microsoft.Extensions.AI;

            namespace BadNames;

            public sealed record Named([property: JsonPropertyName("a\ud800")] int Value);

            public enum Choice { [JsonStringEnumMemberName("\udc00")] One, Two }

            [CompressionEngine("bad_names")]
            public sealed partial class Engine : ContextEngine
            {
                public override string Name => "bad_names";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                [EngineTool("ok")] public string Ok() => "ok";
                [EngineTool("named")] public string UsesNamed(Named named) => "";
                [EngineTool("choice")] public string UsesChoice(Choice choice) => "";
            }
            """);
        var engine = compiled.Create("BadNames.Engine");

        Assert.Equal(["ok"], engine.GetToolSchemas().Select(s => s.Name));
        Assert.Equal(ContextEngine.UnknownToolError("named"), Call(engine, "named", "{}"));
        Assert.Equal(ContextEngine.UnknownToolError("choice"), Call(engine, "choice", "{}"));
    }

    /// <summary>
    /// Schema text the developer wrote with an unpaired surrogate (a description, a default) is written with U+FFFD, as
    /// System.Text.Json writes Microsoft.Extensions.AI's schemas, so the schemas parse and encode to UTF-8.
    /// </summary>
    [Fact]
    public void Descriptions_and_defaults_with_unpaired_surrogates_give_schemas_that_parse()
    {
        var compiled = ToolCompilation.Compile("BadText", """
            using System.Collections.Generic;
            using System.ComponentModel;
            using System.Threading;
            using System.Threading.Tasks;
            using CompactMemory;
            using CompactMemory.Context;
            using Microsoft.Extensions.AI;

            namespace BadText;

            [CompressionEngine("bad_text")]
            public sealed partial class Engine : ContextEngine
            {
                public override string Name => "bad_text";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                [EngineTool("echo"), Description("Echoes \ud800 text.")]
                public string Echo([Description("The text \udc00.")] string text = "x\ud800") => text;
            }
            """);
        var engine = compiled.Create("BadText.Engine");

        var schema = engine.GetToolSchemas().Single();
        Assert.Equal("Echoes \uFFFD text.", schema.Description);
        Assert.Equal("{\"type\":\"object\",\"properties\":{\"text\":{\"description\":\"The text \uFFFD.\",\"type\":\"string\",\"default\":\"x\uFFFD\"}}}", schema.Parameters.GetRawText());
        StrictUtf8.GetBytes(schema.Parameters.GetRawText());
        Assert.Equal("x\uFFFD", Call(engine, "echo", "{}"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CompactMemory.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CompactMemory.Sdk.sln) is not above " + AppContext.BaseDirectory);
    }
}
