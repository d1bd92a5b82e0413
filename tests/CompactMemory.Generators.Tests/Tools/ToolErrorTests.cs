using System;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>
/// Every kind of failure comes back as exact error JSON built by <see cref="ContextEngine.ErrorJson"/>, never as an
/// exception; only the caller's own cancellation ends the call cancelled.
/// </summary>
public sealed class ToolErrorTests
{
    private const string Origin = """, "origin": {"x": 1, "y": 2}""";

    private static IContextEngine NewEngine() => DispatchTests.Compiled.Value.Create(DispatchEngineSource.EngineType);

    private static string Call(string tool, string arguments) => ToolCompilation.Call(NewEngine(), tool, arguments);

    [Fact]
    public void An_unknown_tool_is_the_contracts_error()
    {
        Assert.Equal(ContextEngine.UnknownToolError("nope"), Call("nope", "{}"));
        Assert.Equal("""{"error": "Unknown context engine tool: nope"}""", Call("nope", "{}"));
        Assert.Equal("""{"error": "Unknown context engine tool: "}""", Call(null!, "{}"));
    }

    [Theory]
    [InlineData("""{"query": """, "Tool 'required': the arguments are not valid JSON (at line 1, byte 11).")]
    [InlineData("""{"query": "q",}""", "Tool 'required': the arguments are not valid JSON (at line 1, byte 15).")]
    [InlineData("""[1]""", "Tool 'required': the arguments must be a JSON object; got an array.")]
    [InlineData("\"text\"", "Tool 'required': the arguments must be a JSON object; got a string.")]
    [InlineData("5", "Tool 'required': the arguments must be a JSON object; got a number.")]
    [InlineData("{}", "Tool 'required': missing required argument 'query' (a string).")]
    [InlineData("""{"query": "q"}""", "Tool 'required': missing required argument 'limit' (an integer).")]
    [InlineData("""{"Query": "q", "limit": 1}""", "Tool 'required': missing required argument 'query' (a string).")]
    [InlineData("""{"query": "q", "limit": 1, "origin": {"x": 1}}""", "Tool 'required': missing required argument 'origin.y' (an integer).")]
    [InlineData("""{"query": 5, "limit": 1""" + Origin + "}", "Tool 'required': argument 'query' must be a string; got a number.")]
    [InlineData("""{"query": null, "limit": 1""" + Origin + "}", "Tool 'required': argument 'query' must be a string; got null.")]
    [InlineData("""{"query": "q", "limit": true""" + Origin + "}", "Tool 'required': argument 'limit' must be an integer; got a boolean.")]
    [InlineData("{\"query\": \"q\", \"limit\": \"ten\"" + Origin + "}", "Tool 'required': argument 'limit' must be an integer; got \"ten\".")]
    [InlineData("""{"query": "q", "limit": 1.5""" + Origin + "}", "Tool 'required': argument 'limit' must be an integer; got 1.5.")]
    [InlineData("""{"query": "q", "limit": 3000000000""" + Origin + "}", "Tool 'required': argument 'limit' must be an integer; got 3000000000.")]
    [InlineData("""{"query": "q", "limit": 1, "origin": [1, 2]}""", "Tool 'required': argument 'origin' must be an object; got an array.")]
    [InlineData("""{"query": "q", "limit": 1, "origin": {"x": {}, "y": 2}}""", "Tool 'required': argument 'origin.x' must be an integer; got an object.")]
    public void Bad_arguments_name_the_tool_the_argument_and_the_expected_type(string arguments, string message)
    {
        Assert.Equal(ContextEngine.ErrorJson(message), Call("required", arguments));
    }

    [Theory]
    [InlineData("echo_bytes", """{"small": 300, "medium": 1}""", "Tool 'echo_bytes': argument 'small' must be an integer from 0 to 255; got 300.")]
    [InlineData("echo_bytes", """{"small": -1, "medium": 1}""", "Tool 'echo_bytes': argument 'small' must be an integer from 0 to 255; got -1.")]
    [InlineData("echo_bytes", """{"small": 1, "medium": "70000"}""", "Tool 'echo_bytes': argument 'medium' must be an integer from 0 to 65535; got \"70000\".")]
    [InlineData("echo_enum", """{"mood": "Happy"}""", "Tool 'echo_enum': argument 'mood' must be one of \"Calm\", \"Angry\"; got \"Happy\".")]
    [InlineData("echo_enum", """{"mood": 1}""", "Tool 'echo_enum': argument 'mood' must be one of \"Calm\", \"Angry\"; got a number.")]
    [InlineData("echo_nullable", """{"a": "x", "b": null, "c": null, "d": null}""", "Tool 'echo_nullable': argument 'a' must be an integer or null; got \"x\".")]
    [InlineData("echo_nullable", """{"a": null, "b": null, "c": null}""", "Tool 'echo_nullable': missing required argument 'd' (a GUID string or null).")]
    [InlineData("echo_records", """{"points": [{"x": 1, "y": 2}, {"x": "a", "y": 1}]}""", "Tool 'echo_records': argument 'points[1].x' must be an integer; got \"a\".")]
    [InlineData("echo_records", """{"points": [{"x": 1, "y": 2}, null]}""", "Tool 'echo_records': argument 'points[1]' must be an object; got null.")]
    [InlineData("echo_records", """{"points": {"x": 1}}""", "Tool 'echo_records': argument 'points' must be an array; got an object.")]
    [InlineData("echo_arrays", """{"values": [1], "names": ["a"], "moods": ["Calm"], "ratios": [1], "grid": [[1], [2, "x"]]}""", "Tool 'echo_arrays': argument 'grid[1][1]' must be an integer; got \"x\".")]
    [InlineData("echo_record", """{"filter": {"text": "t", "origin": {"x": 1}}}""", "Tool 'echo_record': missing required argument 'filter.origin.y' (an integer).")]
    [InlineData("echo_record", """{"filter": {"text": "t", "tags": ["a", 1]}}""", "Tool 'echo_record': argument 'filter.tags[1]' must be a string; got a number.")]
    [InlineData("echo_init", """{"box": {}}""", "Tool 'echo_init': missing required argument 'box.label' (a string).")]
    [InlineData("echo_misc", """{"id": "nope"}""", "Tool 'echo_misc': argument 'id' must be a GUID string; got \"nope\".")]
    [InlineData("echo_misc", """{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "at": "yesterday"}""", "Tool 'echo_misc': argument 'at' must be an ISO 8601 date-time string; got \"yesterday\".")]
    [InlineData("echo_misc", """{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "at": "2024-01-01", "when": "2024-01-01", "span": "90 minutes"}""", "Tool 'echo_misc': argument 'span' must be a time span string ([-][d.]hh:mm:ss[.fffffff]); got \"90 minutes\".")]
    [InlineData("echo_misc", """{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "at": "2024-01-01", "when": "2024-01-01", "span": "00:01:00", "link": "x", "letter": "ab"}""", "Tool 'echo_misc': argument 'letter' must be a string of one character; got \"ab\".")]
    [InlineData("echo_numbers", """{"f": 1e39, "d": 1, "m": 1}""", "Tool 'echo_numbers': argument 'f' must be a number; got 1e39.")]
    [InlineData("echo_settings", """{"settings": {"size": "big"}}""", "Tool 'echo_settings': argument 'settings.size' must be an integer or null; got \"big\".")]
    public void Nested_and_typed_errors_give_the_full_path(string tool, string arguments, string message)
    {
        Assert.Equal(ContextEngine.ErrorJson(message), Call(tool, arguments));
    }

    [Fact]
    public void Long_values_are_shortened_in_messages()
    {
        var value = new string('x', 100);
        Assert.Equal(
            ContextEngine.ErrorJson("Tool 'echo_enum': argument 'mood' must be one of \"Calm\", \"Angry\"; got \"" + new string('x', 56) + "...."),
            Call("echo_enum", $$"""{"mood": "{{value}}"}"""));
    }

    [Fact]
    public void The_exact_json_text_of_an_argument_error()
    {
        Assert.Equal(
            """{"error": "Tool 'required': argument 'limit' must be an integer; got \"ten\"."}""",
            Call("required", """{"query": "q", "limit": "ten"}"""));
    }

    [Fact]
    public async Task Exceptions_from_tools_are_error_json()
    {
        Assert.Equal("""{"error": "Context engine tool 'throws' failed: boom \"quoted\""}""", Call("throws", "{}"));
        Assert.Equal("""{"error": "Context engine tool 'async_throws' failed: async boom"}""", await ToolCompilation.CallAsync(NewEngine(), "async_throws", "{}"));

        // A cancellation the caller did not ask for (a tool's own timeout) is the tool failing, not the call being cancelled.
        Assert.Equal("""{"error": "Context engine tool 'cancels' failed: inner timeout"}""", Call("cancels", "{}"));
    }

    [Fact]
    public async Task The_callers_cancellation_ends_the_call_cancelled()
    {
        using var source = new CancellationTokenSource();
        var engine = NewEngine();
        var waiting = engine.HandleToolCallAsync("wait", "{}", null, source.Token).AsTask();
        await source.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.HandleToolCallAsync("wait_sync", "{}", null, source.Token).AsTask());
        Assert.Equal("not cancelled", await engine.HandleToolCallAsync("wait_sync", "{}", null, CancellationToken.None));
    }
}
