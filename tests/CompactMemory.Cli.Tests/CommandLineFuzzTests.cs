using System;
using System.IO;
using System.Linq;
using CompactMemory.Testing;
using CsCheck;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>Generated command lines: every one ends with exit code 0, 1 or 2 and a message, never an unexpected error.</summary>
public sealed class CommandLineFuzzTests : IDisposable
{
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void No_generated_command_line_ends_in_an_unexpected_error()
    {
        var docs = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(docs, "a.txt"), "alpha beta gamma");
        var text = _temp.Combine("in.txt");
        File.WriteAllText(text, "one two three four five");
        var binary = _temp.Combine("bad.bin");
        File.WriteAllBytes(binary, [0x61, 0x00, 0xFF, 0xC3]);
        var trace = _temp.Combine("trace.json");
        Assert.Equal(0, _cli.Run("compress", "--text", "one two three", "-e", "first_last", "-b", "2", "-q", "--output-trace", trace, "-o", _temp.Combine("seed.txt")).ExitCode);

        // Paths stay inside the temp directory, so whatever a command writes lands there.
        var path = Gen.OneOf<string>(docs, text, binary, trace, _temp.Combine("missing"), _temp.Combine("a\0b"), _temp.Combine("out", "x.txt"), _temp.Combine("in.txt", "below"), string.Empty);
        var word = Gen.OneOf(
            Gen.String[0, 16],
            Gen.OneOf<string>("-", "@x", "--budget", "-1", "0", "7", "2147483648", "none", "pipeline", "first_last", "stopword_pruner", "keep_all", "{\"engines\": []}", "{\"engines\": [{\"engine_name\": \"pipeline\"}]}", "{", "*.txt", "../x", "**", "/etc/*", "[", "a/", "."));
        var compressOption = Gen.OneOf(
            word.Select(v => new[] { "--text", v }),
            path.Select(v => new[] { "--file", v }),
            path.Select(v => new[] { "--dir", v }),
            word.Select(v => new[] { "-e", v }),
            word.Select(v => new[] { "-b", v }),
            word.Select(v => new[] { "--pipeline-config", v }),
            path.Select(v => new[] { "-o", v }),
            path.Select(v => new[] { "--output-dir", v }),
            path.Select(v => new[] { "--output-trace", v }),
            word.Select(v => new[] { "--pattern=" + v }),
            Gen.OneOf<string>("--json", "-r", "--verbose-stats", "-q", "--allow-invalid-utf8", "--help").Select(v => new[] { v }));
        var compress = compressOption.Array[0, 7].Select(options => new[] { "compress" }.Concat(options.SelectMany(o => o)).ToArray());
        var other = Gen.OneOf(
            Gen.Const(new[] { "engine", "list" }),
            word.Select(v => new[] { "engine", "info", v }),
            Gen.Bool.Select(json => json ? new[] { "dev", "list-engines", "--json" } : ["dev", "list-engines"]),
            Gen.Select(path, word).Select(t => new[] { "dev", "inspect-trace", t.Item1, "--type", t.Item2 }),
            word.Select(v => new[] { v }),
            Gen.Const(new[] { "--version" }));
        var commandLine = Gen.Frequency((4, compress), (1, other));

        Property.ForAll(Gen.Select(commandLine, Gen.Byte.Array[0, 12]), (args, stdin) =>
        {
            var result = _cli.RunWithInputBytes(stdin, args);

            Assert.Contains(result.ExitCode, new[] { 0, 1, 2 });
            Assert.DoesNotContain("unexpected error", result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
            if (result.ExitCode != 0)
            {
                Assert.NotEqual(string.Empty, result.Error);
            }
        }, cases: 10_000, seed: 20260301, print: t => string.Join(" ", t.Item1.Select(a => "'" + a.Replace("\0", "\\0", StringComparison.Ordinal) + "'")));
    }
}
