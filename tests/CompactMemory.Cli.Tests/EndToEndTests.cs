using System;
using System.IO;
using System.Linq;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>The real compact-memory program, run as a child process against the sample package built by the solution.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();
    private readonly string _plugins;

    public EndToEndTests()
    {
        // A copy of the sample package, as a user would drop it into a plugin directory.
        _plugins = _temp.CreateDirectory("engines");
        var package = Directory.CreateDirectory(Path.Combine(_plugins, "extractive_summary")).FullName;
        foreach (var file in Directory.GetFiles(Cli.SamplePackage))
        {
            File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
        }

        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = _plugins;
    }

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void The_sample_plugin_is_found_through_the_plugin_path_and_compresses_the_article()
    {
        var article = File.ReadAllText(Cli.SampleArticle);

        var result = _cli.RunProcess("compress", "--engine", "extractive_summary", "--budget", "80", "--file", Cli.SampleArticle);

        Assert.Equal(0, result.ExitCode);
        var summary = result.Output.TrimEnd('\n');
        Assert.InRange(summary.Length, 1, article.Length / 2);
        var sentences = summary.Split(". ", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(sentences, sentence => Assert.Contains(sentence.TrimEnd('.'), article, StringComparison.Ordinal));
        Assert.Matches(@"^Engine: extractive_summary \(Extractive Summarizer 1\.0\.0\) from local \(engines\); tokens: \d+ -> \d+\n$", result.Error);
        var tokens = result.Error.Split("tokens: ")[1].TrimEnd('\n').Split(" -> ").Select(int.Parse).ToArray();
        Assert.True(tokens[1] <= 80 && tokens[1] < tokens[0], $"expected at most 80 of {tokens[0]} tokens, got {tokens[1]}");
    }

    [Fact]
    public void The_real_command_lists_built_ins_and_the_sample_with_their_sources()
    {
        var result = _cli.RunProcess("dev", "list-engines");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Output.Split('\n').Skip(3).Where(line => line.Length > 0).ToArray();
        Assert.Equal(["extractive_summary", "first_last", "none", "pipeline", "stopword_pruner"], rows.Select(r => r.Split(' ')[0]).ToArray());
        Assert.Matches(@"^extractive_summary +Extractive Summarizer +1\.0\.0 +compression +local \(engines\)$", rows[0]);
        Assert.All(rows.Skip(1), row => Assert.EndsWith("built-in", row, StringComparison.Ordinal));
    }

    [Fact]
    public void The_sample_package_passes_validation()
    {
        var package = Path.Combine(_plugins, "extractive_summary");

        var result = _cli.RunProcess("dev", "validate-engine-package", package);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Engine package at '{package}' appears valid.\n", result.Output);
    }

    [Fact]
    public void Usage_errors_exit_with_code_2_from_the_real_command()
    {
        var result = _cli.RunProcess("compress", "--text", "hello");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("Error: Option '--budget' is required.", result.Error, StringComparison.Ordinal);
    }
}
