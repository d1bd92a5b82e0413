using System;
using System.IO;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

public sealed class InspectTraceTests : IDisposable
{
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    private string Write(string name, string content)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Invalid_json_is_an_error_naming_the_file()
    {
        var path = Write("bad.json", "{ nope");

        var result = _cli.Run("dev", "inspect-trace", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: Invalid JSON in trace file '{path}': ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_that_is_not_a_trace_is_an_error_naming_the_missing_field()
    {
        var path = Write("other.json", "{\"steps\": []}");

        var result = _cli.Run("dev", "inspect-trace", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: '{path}' is not a compression trace: Trace field 'engine_name' is missing.\n", result.Error);
    }

    [Fact]
    public void A_type_filter_keeps_matching_steps_and_says_when_none_match()
    {
        var path = Write("t.json", """
            {"engine_name": "x", "strategy_params": {}, "input_summary": {},
             "steps": [{"type": "a", "details": {"n": 1}}, {"type": "b"}, {"type": "a", "details": {"long": "0123456789012345678901234567890123456789"}}]}
            """);

        var filtered = _cli.Run("dev", "inspect-trace", path, "--type", "a");
        var none = _cli.Run("dev", "inspect-trace", path, "--type", "zzz");

        Assert.Equal(0, filtered.ExitCode);
        Assert.Equal(
            """
            Compression Trace: t.json | Engine: x
            Index  Type  Details Preview
            -----  ----  -----------------------------------------------------
            0      a     {"n":1}
            2      a     {"long":"0123456789012345678901234567890123456789"...

            """,
            filtered.Output);
        Assert.Equal("No steps found with type 'zzz'.\n", none.Output);
    }

    [Fact]
    public void A_trace_without_steps_says_so()
    {
        var path = Write("empty.json", "{\"engine_name\": \"x\", \"strategy_params\": {}, \"input_summary\": {}}");

        var result = _cli.Run("dev", "inspect-trace", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No steps found in the trace.\n", result.Output);
    }
}
