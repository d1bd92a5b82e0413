using System;
using System.IO;
using System.Text;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>
/// Files named on the command line that are not what they seem: a FIFO (opening it waits for a writer), a link to
/// <c>/dev/zero</c> (endless), bytes that are not UTF-8, a trace with an escaped lone surrogate. Each is refused with a
/// message naming the file, promptly. These tests need Unix (mkfifo, /dev/zero).
/// </summary>
public sealed class HostileFileArgumentTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    private string Fifo(string name)
    {
        var path = _temp.Combine(name);
        DirectoryInputTests.MakeFifo(path);
        return path;
    }

    private string DevZero(string name)
    {
        var path = _temp.Combine(name);
        File.CreateSymbolicLink(path, "/dev/zero");
        return path;
    }

    [Fact]
    public void A_fifo_given_as_the_file_to_compress_is_refused_instead_of_waiting_for_a_writer()
    {
        var fifo = Fifo("input.txt");

        var result = _cli.RunWithin(Patience, "compress", "--file", fifo, "--budget", "10");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Cannot read '{fifo}': it is a named pipe (FIFO), not a regular file", result.Error, StringComparison.Ordinal);
        Assert.Contains("--text -", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public void A_link_to_dev_zero_given_as_the_file_to_compress_is_refused_before_it_is_read()
    {
        var zero = DevZero("zero.txt");

        var result = _cli.RunWithin(Patience, "compress", "--file", zero, "--budget", "10");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Cannot read '{zero}': it is a device, not a regular file", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("zero")]
    public void A_trace_file_that_is_a_fifo_or_a_device_is_refused_promptly(string kind)
    {
        var path = kind == "fifo" ? Fifo("trace.json") : DevZero("trace.json");

        var result = _cli.RunWithin(Patience, "dev", "inspect-trace", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Cannot read '{path}': it is {(kind == "fifo" ? "a named pipe (FIFO)" : "a device")}, not a regular file", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_trace_file_that_is_not_utf8_is_refused_with_its_offset()
    {
        var path = _temp.Combine("latin1.json");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("{\"engine_name\": \"caf"), 0xE9, .. Encoding.ASCII.GetBytes("\"}")]);

        var result = _cli.RunWithin(Patience, "dev", "inspect-trace", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{path}' is not a compression trace: it is not valid UTF-8 text (", result.Error, StringComparison.Ordinal);
        Assert.Contains("offset 20", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"engine_name": "\ud800", "steps": []}""")]
    [InlineData("""{"engine_name": "none", "steps": [{"type": "\udc00", "details": {}}]}""")]
    [InlineData("""{"engine_name": "none", "\ud800": 1}""")]
    public void A_trace_with_an_escaped_lone_surrogate_is_not_a_trace_rather_than_an_unexpected_error(string json)
    {
        var path = _temp.Combine("surrogate.json");
        File.WriteAllText(path, json);

        var result = _cli.RunWithin(Patience, "dev", "inspect-trace", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: '{path}' is not a compression trace: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("not valid Unicode", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_unknown_engine_id_is_quoted_short_and_escaped()
    {
        var id = "\u0001" + new string('x', 100_000);

        var result = _cli.RunWithin(Patience, "compress", "--engine", id, "--text", "hi", "--budget", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: Unknown one-shot compression engine '\\u0001xxx", result.Error, StringComparison.Ordinal);
        Assert.Contains("...'. Available: first_last, none, pipeline, stopword_pruner", result.Error, StringComparison.Ordinal);
        Assert.True(result.Error.Length < 400, result.Error.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
