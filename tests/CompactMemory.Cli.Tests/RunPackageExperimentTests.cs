using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Cli.Commands;
using CompactMemory.Testing;
using CompactMemory.Tokens;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary><c>dev run-package-experiment</c> on packages with real compiled engines.</summary>
public sealed class RunPackageExperimentTests : IDisposable
{
    private const string Article = "The quick brown fox jumps over the lazy dog. It was not amused, and neither was the cat watching from the fence.";
    private const string Inline = "Short inline text, with a few words, to compress.";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly DefaultTokenizer Tokenizer = DefaultTokenizer.Instance;
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    /// <summary>What the test engine (PluginPackageBuilder's default) returns: its prefix, then the text cut to the budget.</summary>
    private static int ExpectedTokensAfter(string text, int budget, string prefix = "compressed:") =>
        Tokenizer.CountTokens(prefix + Tokenizer.Truncate(text, budget));

    private string Package(string name = "pkg", PluginPackageBuilder? builder = null)
    {
        var folder = (builder ?? new PluginPackageBuilder { EngineId = "sample_engine" }).WriteTo(_temp.Path, name);
        Directory.CreateDirectory(Path.Combine(folder, "experiments", "data"));
        File.WriteAllText(Path.Combine(folder, "experiments", "data", "article.txt"), Article);
        return folder;
    }

    private static string WriteExperiment(string package, string file, string yaml)
    {
        var path = Path.Combine(package, "experiments", file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    private CliResult Run(params string[] args) => _cli.RunWithin(Limit, ["dev", "run-package-experiment", .. args]);

    [Fact]
    public void The_table_reports_every_budget_with_tokens_ratio_and_time()
    {
        var package = Package();
        WriteExperiment(package, "grid.yaml", $"""
            description: Two texts at two budgets.
            dataset:
              - file: data/article.txt
              - text: "{Inline}"
            budgets: [5, 12]
            repeat: 2
            """);

        var result = Run(package);

        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Experiment: grid | Engine: sample_engine | Texts: 2 | Repeat: 2", lines[0]);
        Assert.Equal("Two texts at two budgets.", lines[1]);
        Assert.Equal(["Budget", "Texts", "Tokens", "Before", "Tokens", "After", "Ratio", "Mean", "ms"], Cells(lines[2]));
        Assert.Equal(6, lines.Length);
        var before = Tokenizer.CountTokens(Article) + Tokenizer.CountTokens(Inline);
        foreach (var (budget, line) in new[] { 5, 12 }.Zip(lines[4..]))
        {
            var after = ExpectedTokensAfter(Article, budget) + ExpectedTokensAfter(Inline, budget);
            var cells = Cells(line);
            Assert.Equal(
                [budget.ToString(CultureInfo.InvariantCulture), "2", before.ToString(CultureInfo.InvariantCulture), after.ToString(CultureInfo.InvariantCulture), ((double)after / before).ToString("0.000", CultureInfo.InvariantCulture)],
                cells[..5]);
            Assert.True(double.Parse(cells[5], CultureInfo.InvariantCulture) >= 0, line);
        }
    }

    [Fact]
    public void Json_reports_every_budget_with_the_computed_values()
    {
        var package = Package();
        WriteExperiment(package, "grid.yaml", $"""
            name: my-grid
            dataset:
              - file: data/article.txt
              - text: "{Inline}"
            budgets: [3, 8, 1000]
            """);

        var result = Run(package, "--json");

        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal(["package", "engine_id", "experiment", "results"], json.Select(p => p.Key));
        Assert.Equal(package, (string?)json["package"]);
        Assert.Equal("sample_engine", (string?)json["engine_id"]);
        Assert.Equal("my-grid", (string?)json["experiment"]);
        var rows = json["results"]!.AsArray();
        var before = Tokenizer.CountTokens(Article) + Tokenizer.CountTokens(Inline);
        Assert.Equal([3, 8, 1000], rows.Select(r => (int)r!["budget"]!));
        foreach (var row in rows.Select(r => r!.AsObject()))
        {
            var budget = (int)row["budget"]!;
            var after = ExpectedTokensAfter(Article, budget) + ExpectedTokensAfter(Inline, budget);
            Assert.Equal(["budget", "texts", "tokens_before", "tokens_after", "compression_ratio", "mean_ms"], row.Select(p => p.Key));
            Assert.Equal(2, (int)row["texts"]!);
            Assert.Equal(before, (int)row["tokens_before"]!);
            Assert.Equal(after, (int)row["tokens_after"]!);
            Assert.Equal((double)after / before, (double)row["compression_ratio"]!);
            Assert.True((double)row["mean_ms"]! >= 0);
        }
    }

    [Fact]
    public void Every_experiment_runs_in_file_name_order_and_json_prints_one_line_each()
    {
        var package = Package();
        WriteExperiment(package, "b.yaml", "dataset: [{text: two words}]\nbudgets: [1]\n");
        WriteExperiment(package, "a.yaml", "dataset: [{text: three more words}]\nbudgets: [2]\n");
        WriteExperiment(package, "B2.yaml", "dataset: [{text: x}]\nbudgets: [4]\n");
        File.WriteAllText(Path.Combine(package, "experiments", "notes.txt"), "not an experiment");

        var json = Run(package, "--json");
        var table = Run(package);

        Assert.Equal(0, json.ExitCode);
        var names = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => (string)JsonNode.Parse(line)!["experiment"]!).ToArray();
        Assert.Equal(["B2", "a", "b"], names);
        Assert.Equal(0, table.ExitCode);
        Assert.Equal(["B2", "a", "b"], table.Output.Split('\n').Where(l => l.StartsWith("Experiment: ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));
    }

    [Fact]
    public void One_experiment_runs_by_name()
    {
        var package = Package();
        WriteExperiment(package, "a.yaml", "dataset: [{text: some words}]\nbudgets: [1]\n");
        WriteExperiment(package, "b.yaml", "name: second\ndataset: [{text: some words}]\nbudgets: [2]\n");

        var result = Run(package + Path.DirectorySeparatorChar, "--experiment", "second", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("second", (string?)JsonNode.Parse(result.Output)!["experiment"]);
        Assert.Equal(package, (string?)JsonNode.Parse(result.Output)!["package"]);
    }

    [Fact]
    public void An_unknown_experiment_lists_the_available_names()
    {
        var package = Package();
        WriteExperiment(package, "a.yaml", "dataset: [{text: some words}]\nbudgets: [1]\n");
        WriteExperiment(package, "b.yaml", "name: second\ndataset: [{text: some words}]\nbudgets: [2]\n");

        var result = Run(package, "--experiment", "third");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal($"Error: The engine package at '{package}' has no experiment named 'third'. Available: a, second\n", result.Error);
    }

    [Fact]
    public void A_package_without_experiments_says_how_to_add_one()
    {
        var package = Package();
        Directory.Delete(Path.Combine(package, "experiments"), recursive: true);
        var missing = Run(package);
        Directory.CreateDirectory(Path.Combine(package, "experiments"));
        var empty = Run(package, "--json");

        foreach (var result in new[] { missing, empty })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Equal(string.Empty, result.Output);
            Assert.Equal($"Error: The engine package at '{package}' has no experiments: add experiments/NAME.yaml beside engine_package.yaml with a dataset and budgets (see docs/experiments.md).\n", result.Error);
        }
    }

    [Fact]
    public void A_folder_that_is_not_a_package_is_named()
    {
        var folder = _temp.CreateDirectory("plain");

        var result = Run(folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: '{folder}' is not an engine package folder: it has no engine_package.yaml. Give the folder that holds it (building an engine project lays one out).\n", result.Error);
    }

    [Fact]
    public void A_missing_path_is_a_usage_error()
    {
        var result = Run(_temp.Combine("nowhere"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for 'PACKAGE_PATH': Directory '{_temp.Combine("nowhere")}' does not exist.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_experiment_files_are_reported_with_file_line_and_fix_and_nothing_runs()
    {
        var package = Package();
        var bad = WriteExperiment(package, "bad.yaml", """
            name: bad
            dataset:
              - file: ../../outside.txt
              - file: data/missing.txt
            budgets: [40, 0]
            colour: blue
            """);
        var broken = WriteExperiment(package, "broken.yaml", "dataset: [\n");
        File.WriteAllText(_temp.Combine("outside.txt"), "secret");

        var result = Run(package, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Error: 5 problem(s) in 2 experiment file(s); nothing was run. Fix them and run again (docs/experiments.md describes the format):", lines[0]);
        Assert.StartsWith($"{bad}:3: file '../../outside.txt' is outside the package folder", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{bad}:4: file 'data/missing.txt' does not exist", lines[2], StringComparison.Ordinal);
        Assert.StartsWith($"{bad}:5: budget 0 is not positive; give a list of positive whole numbers of tokens", lines[3], StringComparison.Ordinal);
        Assert.StartsWith($"{bad}:6: unknown key 'colour'; the keys of an experiment are name, description, engine_id, dataset, budgets, repeat", lines[4], StringComparison.Ordinal);
        Assert.StartsWith($"{broken}:2: invalid YAML", lines[5], StringComparison.Ordinal);
        Assert.Equal(6, lines.Length);
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_file_does_not_stop_another_experiment_chosen_by_name()
    {
        var package = Package();
        WriteExperiment(package, "bad.yaml", "budgets: [1]\n");
        WriteExperiment(package, "good.yaml", "dataset: [{text: fine words}]\nbudgets: [1]\n");

        var result = Run(package, "--experiment", "good");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void Two_experiments_with_one_name_are_a_problem()
    {
        var package = Package();
        WriteExperiment(package, "a.yaml", "name: same\ndataset: [{text: words}]\nbudgets: [1]\n");
        var second = WriteExperiment(package, "b.yaml", "dataset: [{text: words}]\nbudgets: [1]\nname: same\n");

        var result = Run(package, "--experiment", "same");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{second}:3: the experiment name 'same' is also the name of {Path.Combine("experiments", "a.yaml")} (line 1); give each experiment its own name\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_that_throws_fails_its_budget_and_the_run_goes_on()
    {
        var package = Package(builder: new PluginPackageBuilder { EngineId = "fragile", ClassName = "Fragile", Source = FailingEngine("fragile", "Fragile", "throw new System.InvalidOperationException(\"no budget \" + budget + \" today\");", failOn: 7) });
        WriteExperiment(package, "grid.yaml", "dataset:\n  - file: data/article.txt\nbudgets: [5, 7, 9]\n");

        var json = Run(package, "--json");
        var table = Run(package);

        Assert.Equal(1, json.ExitCode);
        var rows = JsonNode.Parse(json.Output)!["results"]!.AsArray();
        Assert.Equal(ExpectedTokensAfter(Article, 5, prefix: string.Empty), (int)rows[0]!["tokens_after"]!);
        Assert.Equal(ExpectedTokensAfter(Article, 9, prefix: string.Empty), (int)rows[2]!["tokens_after"]!);
        Assert.Null(rows[0]!["error"]);
        var failed = rows[1]!.AsObject();
        Assert.Equal(["budget", "texts", "tokens_before", "tokens_after", "compression_ratio", "mean_ms", "error"], failed.Select(p => p.Key));
        Assert.Equal(Tokenizer.CountTokens(Article), (int)failed["tokens_before"]!);
        Assert.Null(failed["tokens_after"]);
        Assert.Null(failed["compression_ratio"]);
        Assert.Null(failed["mean_ms"]);
        Assert.Equal($"engine 'fragile' failed on {Path.Combine("experiments", "data", "article.txt")} (budget 7): InvalidOperationException: no budget 7 today", (string?)failed["error"]);
        Assert.Equal("Error: Experiment 'grid': 1 of 3 budget(s) failed; each result's \"error\" says why.\n", json.Error);

        Assert.Equal(1, table.ExitCode);
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["7", "1", Tokenizer.CountTokens(Article).ToString(CultureInfo.InvariantCulture), "failed", "-", "-"], Cells(lines[4]));
        Assert.Equal("Budget 7 failed: " + (string?)failed["error"], lines[^1]);
    }

    [Fact]
    public void An_engine_that_never_returns_fails_its_budget_within_the_time_limit()
    {
        var package = Package(builder: new PluginPackageBuilder { EngineId = "stuck", ClassName = "Stuck", Source = FailingEngine("stuck", "Stuck", "System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);", failOn: 3) });
        WriteExperiment(package, "grid.yaml", "dataset:\n  - text: a few words to compress here\nbudgets: [3, 4]\n");

        var result = Run(package, "--json", "--timeout", "1");

        Assert.Equal(1, result.ExitCode);
        var rows = JsonNode.Parse(result.Output)!["results"]!.AsArray();
        Assert.Equal("engine 'stuck' did not finish text on line 2 (budget 3) within 1 s; the run went on without it (raise --timeout if the engine is only slow)", (string?)rows[0]!["error"]);
        Assert.Equal(ExpectedTokensAfter("a few words to compress here", 4, prefix: string.Empty), (int)rows[1]!["tokens_after"]!);
    }

    [Fact]
    public void An_engine_that_cannot_be_created_fails_every_budget()
    {
        var source = """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace TestPlugins;

            [CompressionEngine("unbuildable")]
            public sealed class Unbuildable : CompressionEngine
            {
                public Unbuildable() => throw new System.InvalidOperationException("no model file");

                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
            }
            """;
        var package = Package(builder: new PluginPackageBuilder { EngineId = "unbuildable", ClassName = "Unbuildable", Source = source });
        WriteExperiment(package, "grid.yaml", "dataset:\n  - text: words\nbudgets: [3, 4]\n");

        var result = Run(package, "--json");

        Assert.Equal(1, result.ExitCode);
        foreach (var row in JsonNode.Parse(result.Output)!["results"]!.AsArray())
        {
            Assert.StartsWith("engine 'unbuildable' could not be created: Engine 'unbuildable' (package) could not be created: InvalidOperationException: no model file", (string?)row!["error"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_built_in_engine_can_be_the_baseline_and_an_unknown_engine_id_is_a_problem()
    {
        var package = Package();
        WriteExperiment(package, "baseline.yaml", "engine_id: none\ndataset:\n  - file: data/article.txt\nbudgets: [6]\n");
        var typo = WriteExperiment(package, "typo.yaml", "dataset:\n  - file: data/article.txt\nbudgets: [6]\nengine_id: sampel_engine\n");

        var baseline = Run(package, "--experiment", "baseline", "--json");
        var unknown = Run(package, "--experiment", "typo");

        Assert.Equal(0, baseline.ExitCode);
        var json = JsonNode.Parse(baseline.Output)!;
        Assert.Equal("none", (string?)json["engine_id"]);
        Assert.Equal(Tokenizer.CountTokens(Tokenizer.Truncate(Article, 6)), (int)json["results"]![0]!["tokens_after"]!);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains($"{typo}:4: engine_id 'sampel_engine' is neither this package's engine ('sample_engine') nor a built-in compression engine (first_last, none, pipeline, stopword_pruner); delete engine_id to run the package's engine\n", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_that_does_not_load_is_reported_like_validation()
    {
        var package = Package(builder: new PluginPackageBuilder { EngineId = "sample_engine", ClassId = "other_id" });
        WriteExperiment(package, "grid.yaml", "dataset: [{text: words}]\nbudgets: [1]\n");

        var result = Run(package);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: The engine package at '{package}' did not load, so its experiments cannot run:\n- ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_engine_runs_its_shipped_experiment()
    {
        // The sample's build lays experiments/ into its plugin folder; a copy of the package with the sample's own
        // experiments folder runs whether or not that layout is present.
        var package = _temp.CreateDirectory("extractive_summary");
        foreach (var file in Directory.GetFiles(Cli.SamplePackage))
        {
            File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
        }

        var experiments = Path.Combine(Path.GetDirectoryName(Cli.SampleArticle)!, "experiments");
        foreach (var file in Directory.GetFiles(experiments, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(package, "experiments", Path.GetRelativePath(experiments, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        var result = Run(package, "--json");

        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal("article", (string?)json["experiment"]);
        Assert.Equal("extractive_summary", (string?)json["engine_id"]);
        var article = File.ReadAllText(Cli.SampleArticle);
        foreach (var row in json["results"]!.AsArray())
        {
            Assert.Equal(Tokenizer.CountTokens(article), (int)row!["tokens_before"]!);
            Assert.InRange((int)row["tokens_after"]!, 1, (int)row["budget"]!);
        }
    }

    [Fact]
    public void A_context_engine_compacts_each_conversation_at_a_context_length_of_the_budget()
    {
        var source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using CompactMemory;
            using CompactMemory.Context;
            using CompactMemory.Tokens;
            using Microsoft.Extensions.AI;
            namespace TestPlugins;
            [CompressionEngine("keep_tail")]
            public sealed class KeepTail : ContextEngine
            {
                public override string Name => "keep_tail";
                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                {
                    var kept = new List<ChatMessage>();
                    var used = 0;
                    for (var i = messages.Count - 1; i >= 0; i--)
                    {
                        var tokens = DefaultTokenizer.Instance.CountTokens(messages[i].Text);
                        if (!force || used + tokens > ThresholdTokens) break;
                        used += tokens;
                        kept.Insert(0, messages[i]);
                    }
                    return Task.FromResult<IReadOnlyList<ChatMessage>>(kept);
                }
            }
            """;
        var package = Package(builder: new PluginPackageBuilder { EngineId = "keep_tail", ClassName = "KeepTail", Source = source });
        string[] turns =
        [
            "User: My build fails after I upgraded the SDK.",
            "Assistant: Which SDK version do you have?",
            "User: dotnet --version prints 8.0.100.",
            "Assistant: The analyzers need the compiler of SDK 8.0.400 or later; install a newer SDK.",
            "User: That fixed it, thank you.",
        ];
        File.WriteAllText(Path.Combine(package, "experiments", "data", "chat.txt"), string.Join("\n", turns));
        WriteExperiment(package, "chat.yaml", "dataset:\n  - file: data/chat.txt\nbudgets: [10, 30, 1000]\n");

        var result = Run(package, "--json");
        var table = Run(package);

        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        var messages = turns.Select(turn => Tokenizer.CountTokens(turn[(turn.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToArray();
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal("keep_tail", (string?)json["engine_id"]);
        foreach (var row in json["results"]!.AsArray())
        {
            var threshold = (int)((int)row!["budget"]! * 0.75);
            var after = 0;
            foreach (var tokens in messages.Reverse())
            {
                if (after + tokens > threshold)
                {
                    break;
                }

                after += tokens;
            }

            Assert.Equal(messages.Sum(), (int)row["tokens_before"]!);
            Assert.Equal(after, (int)row["tokens_after"]!);
        }

        Assert.StartsWith("Experiment: chat | Engine: keep_tail (context engine) | Texts: 1 | Repeat: 1\n", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_labels_are_relative_to_the_package_as_named_even_through_a_link()
    {
        var package = Package(builder: new PluginPackageBuilder { EngineId = "fragile", ClassName = "Fragile", Source = FailingEngine("fragile", "Fragile", "throw new System.InvalidOperationException(\"no\");", failOn: 1) });
        WriteExperiment(package, "grid.yaml", "dataset:\n  - file: data/article.txt\nbudgets: [1]\n");
        var link = _temp.Combine("linked");
        Directory.CreateSymbolicLink(link, package);

        var result = Run(link, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(link, (string?)JsonNode.Parse(result.Output)!["package"]);
        Assert.StartsWith($"engine 'fragile' failed on {Path.Combine("experiments", "data", "article.txt")} (budget 1)", (string?)JsonNode.Parse(result.Output)!["results"]![0]!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_out_of_range_is_a_usage_error()
    {
        var package = Package();

        var result = Run(package, "--timeout", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Invalid value for '--timeout'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_is_listed_under_dev()
    {
        var result = _cli.Run("dev", "--help");

        Assert.Contains("run-package-experiment", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_number_formats_are_invariant()
    {
        Assert.Equal("0.143", ExperimentCommand.Ratio(40.0 / 279));
        Assert.Equal("1.50", ExperimentCommand.Milliseconds(1.499));
        Assert.Equal("12345", ExperimentCommand.Number(12345));
    }

    /// <summary>An engine that returns the text cut to the budget, except at <paramref name="failOn"/> where it runs <paramref name="failure"/>.</summary>
    private static string FailingEngine(string id, string className, string failure, int failOn) => $$"""
        using CompactMemory;
        using CompactMemory.Compression;

        namespace TestPlugins;

        [CompressionEngine("{{id}}")]
        public sealed class {{className}} : CompressionEngine
        {
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
            {
                if (budget == {{failOn}})
                {
                    {{failure}}
                }

                return new CompressedMemory(TokenizerOf(options).Truncate(text, budget));
            }
        }
        """;

    /// <summary>A table line's cells (cells are separated by two or more spaces; headers are split on single spaces too).</summary>
    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
