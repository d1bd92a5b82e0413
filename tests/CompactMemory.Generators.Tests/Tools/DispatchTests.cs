using System;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>The generated dispatch, compiled and run: the right method, the right values, the right result text.</summary>
public sealed class DispatchTests
{
    internal static readonly Lazy<ToolCompilation> Compiled = new(() => ToolCompilation.Compile("Dispatch", DispatchEngineSource.Source));

    private static IContextEngine NewEngine() => Compiled.Value.Create(DispatchEngineSource.EngineType);

    private static string Call(string tool, string arguments) => ToolCompilation.Call(NewEngine(), tool, arguments);

    [Theory]
    [InlineData("echo_ints", """{"a": -5, "b": 9007199254740993, "c": 255, "d": -128, "e": -32768, "f": 65535, "g": 4294967295, "h": 18446744073709551615}""", "-5|9007199254740993|255|-128|-32768|65535|4294967295|18446744073709551615")]
    [InlineData("echo_ints", """{"a": "12", "b": "-3", "c": "7", "d": "1", "e": "2", "f": "3", "g": "4", "h": "5"}""", "12|-3|7|1|2|3|4|5")]
    [InlineData("echo_numbers", """{"f": 0.1, "d": 1e-7, "m": 12.50}""", "0.1|1E-07|12.50")]
    [InlineData("echo_numbers", """{"f": "2.5", "d": "-1", "m": "3"}""", "2.5|-1|3")]
    [InlineData("echo_defaults", "{}", "'dflt'|7|Angry|null|True|0.5")]
    [InlineData("echo_defaults", """{"text": "t", "count": 1, "mood": "Calm", "ratio": 0.25, "flag": false, "half": null}""", "'t'|1|Calm|0.25|False|null")]
    [InlineData("echo_defaults", """{"text": null, "count": null, "mood": null, "flag": null}""", "'dflt'|7|Angry|null|True|0.5")]
    [InlineData("echo_nullable", """{"a": null, "b": null, "c": null, "d": null}""", "null|null|null|null")]
    [InlineData("echo_nullable", """{"a": 1, "b": "x", "c": "angry", "d": "0f8fad5b-d9cb-469f-a165-70867728950e"}""", "1|'x'|Angry|0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("echo_enum", """{"mood": "Angry"}""", "Angry")]
    [InlineData("echo_enum", """{"mood": "cAlM"}""", "Calm")]
    [InlineData("echo_arrays", """{"values": [1, 2], "names": ["a"], "moods": ["Calm", "Angry"], "ratios": [], "grid": [[1], [2, 3]]}""", "[1,2]|['a']|[Calm,Angry]|[]|[[1],[2,3]]")]
    [InlineData("echo_record", """{"filter": {"text": "t"}}""", "'t'|10|Calm|null|null|null")]
    [InlineData("echo_record", """{"filter": {"Text": "t", "LIMIT": 3, "mood": "Angry", "tags": ["a", "b"], "origin": {"x": 1, "y": 2}, "unknown": [1]}}""", "'t'|3|Angry|['a','b']|1|2")]
    [InlineData("echo_record", """{"filter": {"text": "t", "limit": null, "tags": null, "origin": null}}""", "'t'|10|Calm|null|null|null")]
    [InlineData("echo_records", """{"points": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]}""", "[12,34]")]
    [InlineData("echo_settings", """{"settings": {}}""", "'default-name'|null|0.5")]
    [InlineData("echo_settings", """{"settings": {"name": "n", "size": 3, "ratio": 2, "computed": 1}}""", "'n'|3|2")]
    [InlineData("echo_settings", """{"settings": {"name": null, "size": null}}""", "'default-name'|null|0.5")]
    [InlineData("echo_init", """{"box": {"label": "L"}}""", "[7]|null|'L'")]
    [InlineData("echo_init", """{"box": {"label": "L", "items": [1, 2], "note": "n"}}""", "[1,2]|'n'|'L'")]
    [InlineData("echo_misc", """{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "at": "2024-05-06T07:08:09Z", "when": "2024-05-06T07:08:09.5+02:00", "span": "1.02:03:04.5", "link": "docs/readme.md", "letter": "q"}""",
        "0f8fad5b-d9cb-469f-a165-70867728950e|'2024-05-06T07:08:09.0000000Z'|'2024-05-06T07:08:09.5000000+02:00'|1.02:03:04.5000000|'docs/readme.md'|'q'")]
    [InlineData("context", """{"tag": "t"}""", "t:none")]
    [InlineData("required", """{"query": "q", "limit": 2, "origin": {"x": 5, "y": 6}, "extra": true}""", "'q'|2|5")]
    public void Arguments_reach_the_method_converted(string tool, string arguments, string expected)
    {
        Assert.Equal(expected, Call(tool, arguments));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData(null)]
    public void Empty_arguments_mean_an_empty_object(string? arguments)
    {
        Assert.Equal("none", Call("no_args", arguments!));
        Assert.Equal("'dflt'|7|Angry|null|True|0.5", Call("echo_defaults", arguments!));
    }

    [Fact]
    public async Task The_callers_token_and_context_are_passed()
    {
        var engine = NewEngine();
        using var source = new CancellationTokenSource();
        Assert.Equal("token", await engine.HandleToolCallAsync("token", "{}", null, source.Token));
        Assert.Equal(source.Token, (CancellationToken)engine.GetType().GetProperty("LastToken")!.GetValue(engine)!);

        var context = new ToolCallContext { Messages = [new ChatMessage(ChatRole.User, "a"), new ChatMessage(ChatRole.User, "b")] };
        Assert.Equal("t:2", await engine.HandleToolCallAsync("context", """{"tag": "t"}""", context));
    }

    [Fact]
    public async Task Async_tools_are_awaited()
    {
        var engine = NewEngine();
        Assert.Equal("42", await ToolCompilation.CallAsync(engine, "async_task", """{"x": 21}"""));
        JsonAssert.Equal("""{"x": 1, "y": 2}""", await ToolCompilation.CallAsync(engine, "async_value_task", """{"x": 1, "y": 2}"""));
        Assert.Equal("""{"ok": true}""", await ToolCompilation.CallAsync(engine, "async_void_task", """{"note": "a"}"""));
        Assert.Equal("""{"ok": true}""", await ToolCompilation.CallAsync(engine, "async_void_value_task", """{"note": "b"}"""));
        Assert.Equal("""{"raw": true}""", await ToolCompilation.CallAsync(engine, "async_string", "{}"));
        Assert.Equal("""{"ok": true}""", await ToolCompilation.CallAsync(engine, "void_tool", """{"note": "c"}"""));
        Assert.Equal(["a", "b", "c"], (System.Collections.Generic.List<string>)engine.GetType().GetProperty("Notes")!.GetValue(engine)!);
    }

    [Fact]
    public void Strings_are_returned_as_they_are_and_null_as_json_null()
    {
        Assert.Equal("plain text, not JSON", Call("text", "{}"));
        Assert.Equal("null", Call("text_null", "{}"));
        Assert.Equal("null", Call("report_null", "{}"));
        Assert.Equal("null", Call("maybe", """{"some": false}"""));
        Assert.Equal("5", Call("maybe", """{"some": true}"""));
    }

    /// <summary>Results are written as <c>JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions)</c> writes them (compactly).</summary>
    [Theory]
    [InlineData("report", "{}")]
    [InlineData("report_null", "{}")]
    [InlineData("numbers", "{}")]
    [InlineData("moods", "{}")]
    [InlineData("maybe", """{"some": true}""")]
    [InlineData("async_value_task", """{"x": 3, "y": 4}""")]
    [InlineData("async_task", """{"x": 4}""")]
    public async Task Results_are_serialized_like_the_default_options(string tool, string arguments)
    {
        var engine = NewEngine();
        var method = engine.GetType().GetMethods().Single(m => m.GetCustomAttribute<EngineToolAttribute>()?.Name == tool);
        var values = method.GetParameters().Select(p => JsonDocument.Parse(arguments).RootElement.GetProperty(p.Name!).Deserialize(p.ParameterType, AIJsonUtilities.DefaultOptions)).ToArray();
        var result = method.Invoke(engine, values);
        if (result is Task task)
        {
            await task;
            result = task.GetType().GetProperty("Result")!.GetValue(task);
        }
        else if (result?.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            result = type.GetProperty("Result")!.GetValue(result);
        }

        var expected = JsonSerializer.Serialize(result, result?.GetType() ?? typeof(object), AIJsonUtilities.DefaultOptions);
        var actual = await ToolCompilation.CallAsync(engine, tool, arguments);

        JsonAssert.Equal(expected, actual);
        Assert.DoesNotContain('\n', actual.Replace("\\n", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Results_leave_out_null_properties_and_keep_text_readable()
    {
        var report = Call("report", "{}");

        Assert.DoesNotContain("\"note\"", report, StringComparison.Ordinal);
        Assert.DoesNotContain("\"missing\"", report, StringComparison.Ordinal);
        Assert.Contains("\"names\":[\"x\",\"é \\\"quoted\\\" <tag> & +\"]", report, StringComparison.Ordinal);
        Assert.Contains("\"took\":\"01:30:30\"", report, StringComparison.Ordinal);
        Assert.Contains("\"link\":\"https://example.com/a b?q=1\"", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_calls_do_not_share_results()
    {
        var engine = NewEngine();
        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(() => ToolCompilation.CallAsync(engine, "async_value_task", $$"""{"x": {{i}}, "y": 0}"""))).ToArray();
        var results = await Task.WhenAll(calls);
        for (var i = 0; i < results.Length; i++)
        {
            JsonAssert.Equal($$"""{"x": {{i}}, "y": 0}""", results[i]);
        }
    }
}
