using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Cli.Experiments;
using CompactMemory.Cli.Output;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.IO;
using CompactMemory.Manifest;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using CompactMemory.Text;

namespace CompactMemory.Cli.Commands;

/// <summary>
/// <c>compact-memory dev run-package-experiment PATH [--experiment NAME] [--json] [--timeout SECONDS]</c>: runs an engine
/// package's <c>experiments/*.yaml</c> (docs/experiments.md) and reports, per budget, tokens before and after, the
/// compression ratio and the mean time of one compression.
/// </summary>
internal static class ExperimentCommand
{
    /// <summary>The default time one engine call (creating the engine, one compression) may take.</summary>
    public const int DefaultTimeoutSeconds = 60;

    /// <summary>The most experiment files one package may hold.</summary>
    public const int MaxExperimentFiles = 1000;

    public static Command Create(CliContext context)
    {
        var path = new Argument<DirectoryInfo>("PACKAGE_PATH") { Description = "The engine package folder (it holds engine_package.yaml and experiments/)." };
        path.DirectoryMustExist("PACKAGE_PATH");
        var experiment = new Option<string>("--experiment") { HelpName = "NAME", Description = "Run only the experiment with this name (default: every experiments/*.yaml, in file name order)." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON: one object per experiment, one per line." };
        var timeout = new Option<int>("--timeout")
        {
            HelpName = "SECONDS",
            Description = "Seconds one engine call (creating the engine, one compression) may take before its budget is reported as failed.",
            DefaultValueFactory = _ => DefaultTimeoutSeconds,
        };
        timeout.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is < 1 or > 86_400)
            {
                result.AddError("Invalid value for '--timeout': give the seconds one engine call may take, from 1 to 86400.");
            }
        });
        var command = new Command("run-package-experiment", "Run an engine package's experiments (experiments/*.yaml): compression ratio, tokens before and after, and time, per budget.")
        {
            path, experiment, json, timeout,
        };
        command.SetAction(parse => Run(
            context,
            Path.TrimEndingDirectorySeparator(parse.GetValue(path)!.FullName),
            parse.GetValue(experiment),
            parse.GetValue(json),
            TimeSpan.FromSeconds(parse.GetValue(timeout))));
        return command;
    }

    private static int Run(CliContext context, string package, string? selected, bool json, TimeSpan timeout)
    {
        var error = context.Error;
        var manifestKind = FileKinds.Of(Path.Combine(package, ManifestSchema.FileName));
        if (manifestKind == FileKind.Missing)
        {
            error.WriteLine($"Error: '{PrintableText.Of(package)}' is not an engine package folder: it has no {ManifestSchema.FileName}. Give the folder that holds it (building an engine project lays one out).");
            return ExitCodes.Error;
        }

        var files = ListExperimentFiles(context, package, out var listFailure);
        if (listFailure is not null)
        {
            error.WriteLine("Error: " + listFailure);
            return ExitCodes.Error;
        }

        if (files.Count == 0)
        {
            error.WriteLine($"Error: The engine package at '{PrintableText.Of(package)}' has no experiments: add {ExperimentReader.FolderName}/NAME{ExperimentReader.Extension} beside {ManifestSchema.FileName} with a dataset and budgets (see docs/experiments.md).");
            return ExitCodes.Error;
        }

        var reads = files.Select(file => ExperimentReader.Read(package, file)).ToList();
        var problems = reads.ToDictionary(r => r.File, r => r.Problems.ToList(), StringComparer.Ordinal);
        var firstByName = new Dictionary<string, ExperimentReadResult>(StringComparer.Ordinal);
        foreach (var read in reads)
        {
            if (firstByName.TryGetValue(read.Name, out var first))
            {
                problems[read.File].Insert(0, new ExperimentProblem(read.File, read.NameLine, string.Create(CultureInfo.InvariantCulture,
                    $"the experiment name '{ExperimentQuote.Of(read.Name)}' is also the name of {PrintableText.Of(Relative(package, first.File))} (line {first.NameLine}); give each experiment its own name")));
            }
            else
            {
                firstByName[read.Name] = read;
            }
        }

        var chosen = reads;
        if (selected is not null)
        {
            chosen = reads.Where(r => r.Name == selected).ToList();
            if (chosen.Count == 0)
            {
                error.WriteLine($"Error: The engine package at '{PrintableText.Of(package)}' has no experiment named '{ExperimentQuote.Of(selected)}'. Available: {string.Join(", ", firstByName.Keys.Order(StringComparer.Ordinal).Select(n => ExperimentQuote.Of(n)))}");
                return ExitCodes.Error;
            }
        }

        var found = chosen.SelectMany(r => problems[r.File]).ToList();
        if (found.Count > 0)
        {
            ReportProblems(error, found);
            return ExitCodes.Error;
        }

        var experiments = chosen.Select(r => r.Experiment!).ToList();
        var engines = LoadEngines(context, package, experiments, timeout, out var failure);
        if (engines is null)
        {
            return failure;
        }

        var total = experiments.Sum(e => (long)e.Budgets.Count * e.Texts.Count * e.Repeat);
        var results = new List<ExperimentResult>();
        using (var progress = new ProgressBar(error, total, ProgressBar.IsTerminal(error)))
        {
            foreach (var experimentToRun in experiments)
            {
                var runner = new ExperimentRunner(
                    engines[experimentToRun],
                    timeout,
                    progress.Advance,
                    budget => progress.SetLabel(string.Create(CultureInfo.InvariantCulture, $"{experimentToRun.Name}, budget {budget}")));
                results.Add(runner.Run(experimentToRun));
            }
        }

        for (var i = 0; i < results.Count; i++)
        {
            if (json)
            {
                context.Output.WriteLine(ToJson(package, results[i]).ToJsonString(CliJson.Compact));
            }
            else
            {
                if (i > 0)
                {
                    context.Output.WriteLine();
                }

                WriteTable(context.Output, results[i], engines[results[i].Experiment].Kind);
            }
        }

        var failed = results.Where(r => r.HasErrors).ToList();
        foreach (var result in failed)
        {
            var count = result.Results.Count(r => r.Error is not null);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Error: Experiment '{ExperimentQuote.Of(result.Experiment.Name)}': {count} of {result.Results.Count} budget(s) failed; {(json ? "each result's \"error\" says why" : "the report says why")}."));
        }

        return failed.Count > 0 ? ExitCodes.Error : ExitCodes.Success;
    }

    /// <summary>The package's <c>experiments/*.yaml</c> (not in subfolders, not hidden), ordered by file name (ordinal).</summary>
    private static List<string> ListExperimentFiles(CliContext context, string package, out string? failure)
    {
        failure = null;
        var folder = Path.Combine(package, ExperimentReader.FolderName);
        var kind = FileKinds.Of(folder);
        if (kind == FileKind.Missing)
        {
            return [];
        }

        if (kind != FileKind.Directory)
        {
            failure = $"'{PrintableText.Of(folder)}' is {FileKinds.Describe(kind)}, not a folder; experiments are YAML files in the folder {ExperimentReader.FolderName}/ beside {ManifestSchema.FileName}.";
            return [];
        }

        var files = new List<string>();
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(file);
                if (name.StartsWith('.'))
                {
                    continue;
                }

                if (name.EndsWith(ExperimentReader.Extension, StringComparison.Ordinal))
                {
                    if (files.Count == MaxExperimentFiles)
                    {
                        failure = string.Create(CultureInfo.InvariantCulture, $"'{PrintableText.Of(folder)}' holds more than {MaxExperimentFiles:N0} experiment files; keep the ones worth running.");
                        return [];
                    }

                    files.Add(file);
                }
                else if (name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(ExperimentReader.Extension, StringComparison.OrdinalIgnoreCase))
                {
                    context.Error.WriteLine($"Warning: '{PrintableText.Of(Relative(package, file))}' is not read: experiment files end in '{ExperimentReader.Extension}'; rename it.");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = $"The folder '{PrintableText.Of(folder)}' cannot be read: {ex.Message}";
            return [];
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static void ReportProblems(TextWriter error, List<ExperimentProblem> problems)
    {
        var files = problems.Select(p => p.File).Distinct(StringComparer.Ordinal).Count();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Error: {problems.Count} problem(s) in {files} experiment file(s); nothing was run. Fix them and run again (docs/experiments.md describes the format):"));
        foreach (var problem in problems)
        {
            error.WriteLine(problem.ToString());
        }
    }

    /// <summary>
    /// Loads the package the way the registry and <c>dev validate-engine-package</c> do (with the plugin load time
    /// limit), and finds for each experiment the engine it runs: the package's own, or a built-in compression engine
    /// named by <c>engine_id</c> (a baseline to compare with). Null (after saying why) when the package does not load
    /// or an experiment names an engine it cannot run.
    /// </summary>
    private static Dictionary<Experiment, ExperimentEngine>? LoadEngines(
        CliContext context, string package, List<Experiment> experiments, TimeSpan timeout, out int failure)
    {
        failure = ExitCodes.Error;
        var error = context.Error;
        EnginePackageInspection inspection;
        try
        {
#pragma warning disable IL2026 // The CLI exists to load plugins; it is not trimmed.
            inspection = EnginePackageLoader.Load(package, EnginePackageLoader.DefaultTimeout);
#pragma warning restore IL2026
        }
        catch (Exception ex)
        {
            error.WriteLine($"Error: The engine package at '{PrintableText.Of(package)}' could not be loaded: {ex.GetType().Name}: {ex.Message}");
            return null;
        }

        foreach (var warning in inspection.Warnings)
        {
            error.WriteLine("Warning: " + warning);
        }

        if (!inspection.IsValid)
        {
            error.WriteLine($"Error: The engine package at '{PrintableText.Of(package)}' did not load, so its experiments cannot run:");
            foreach (var message in inspection.Errors)
            {
                error.WriteLine("- " + message);
            }

            return null;
        }

        var descriptor = inspection.Descriptor!;
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(package)) ?? package;
        var own = new EngineRegistration(descriptor, EngineSource.FromPluginDirectory(new PluginDirectory(parent, "package", 0), package));
        var builtIns = CompressCommand.CompressionEngineIds(registry);
        var engines = new Dictionary<Experiment, ExperimentEngine>();
        var problems = new List<ExperimentProblem>();
        foreach (var experiment in experiments)
        {
            var id = experiment.EngineId ?? descriptor.Id;
            if (id == descriptor.Id)
            {
                engines[experiment] = descriptor.Kind == EngineKind.Context
                    ? ExperimentEngine.Context(id, () => (IContextEngine)registry.Create(own, null))
                    : ExperimentEngine.Compression(id, () => (CompressionEngine)registry.Create(own, null));
            }
            else if (builtIns.Contains(id, StringComparer.Ordinal))
            {
                engines[experiment] = ExperimentEngine.Compression(id, () => registry.CreateCompressionEngine(id));
            }
            else
            {
                problems.Add(new ExperimentProblem(experiment.File, Math.Max(1, experiment.EngineIdLine),
                    $"engine_id '{ExperimentQuote.Of(id)}' is neither this package's engine ('{PrintableText.Of(descriptor.Id)}') nor a built-in compression engine ({string.Join(", ", builtIns)}); delete engine_id to run the package's engine"));
            }
        }

        if (problems.Count > 0)
        {
            ReportProblems(error, problems);
            return null;
        }

        return engines;
    }

    private static JsonObject ToJson(string package, ExperimentResult result) => new()
    {
        ["package"] = package,
        ["engine_id"] = result.EngineId,
        ["experiment"] = result.Experiment.Name,
        ["results"] = new JsonArray(result.Results.Select(r =>
        {
            var row = new JsonObject
            {
                ["budget"] = r.Budget,
                ["texts"] = r.Texts,
                ["tokens_before"] = r.TokensBefore,
                ["tokens_after"] = r.TokensAfter,
                ["compression_ratio"] = r.CompressionRatio,
                ["mean_ms"] = r.MeanMs,
            };
            if (r.Error is not null)
            {
                row["error"] = r.Error;
            }

            return (JsonNode)row;
        }).ToArray()),
    };

    private static void WriteTable(TextWriter output, ExperimentResult result, string kind)
    {
        var experiment = result.Experiment;
        var texts = experiment.Texts.Count;
        var title = string.Create(CultureInfo.InvariantCulture,
            $"Experiment: {experiment.Name} | Engine: {result.EngineId}{(kind == "context" ? " (context engine)" : string.Empty)} | Texts: {texts} | Repeat: {experiment.Repeat}");
        if (experiment.Description is { } description)
        {
            title += "\n" + PrintableText.Of(description.ReplaceLineEndings(" ").Trim());
        }

        var table = new TextTable("Budget", "Texts", "Tokens Before", "Tokens After", "Ratio", "Mean ms");
        foreach (var row in result.Results)
        {
            table.AddRow(
                Number(row.Budget),
                Number(row.Texts),
                Number(row.TokensBefore),
                row.TokensAfter is { } after ? Number(after) : "failed",
                row.CompressionRatio is { } ratio ? Ratio(ratio) : "-",
                row.MeanMs is { } ms ? Milliseconds(ms) : "-");
        }

        table.WriteTo(output, title);
        foreach (var row in result.Results.Where(r => r.Error is not null))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Budget {row.Budget} failed: {row.Error}"));
        }
    }

    /// <summary>How the table shows a count: invariant digits, no separators.</summary>
    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>How the table shows a compression ratio: three decimals.</summary>
    internal static string Ratio(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>How the table shows a mean time: two decimals, in milliseconds.</summary>
    internal static string Milliseconds(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Relative(string package, string file) => Path.GetRelativePath(package, file);
}
