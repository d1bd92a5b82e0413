using System.Collections.Generic;
using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Incremental;

/// <summary>
/// What each kind of edit re-runs, read from the tracked steps the way System.Text.Json's generator tests do: the same
/// compilation is all cached, edits that change no model regenerate nothing, and a model edit regenerates only its own
/// outputs.
/// </summary>
public sealed class CacheabilityTests
{
    internal const string Alpha = """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Acme.Incremental;

        [CompressionEngine("alpha", DisplayName = "Alpha")]
        public sealed class AlphaEngine : CompressionEngine
        {
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
            {
                return new CompressedMemory("alpha:" + text) { EngineId = Id };
            }
        }
        """;

    internal const string Beta = """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Acme.Incremental;

        [CompressionEngine("beta", DisplayName = "Beta", Version = "1.0.0")]
        public sealed class BetaEngine : CompressionEngine
        {
            public BetaEngine(EngineConfig? config = null) : base(config) { }

            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("beta:" + text) { EngineId = Id };
        }
        """;

    internal const string Gamma = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        namespace Acme.Incremental;

        [CompressionEngine("gamma", DisplayName = "Gamma")]
        public sealed partial class GammaEngine : ContextEngine
        {
            private readonly List<string> _log = new();

            public override string Name => "gamma";

            [EngineTool("gamma_grep")]
            [Description("Finds logged messages that contain a pattern.")]
            public string Grep([Description("The text to look for.")] string pattern, int limit = 10)
                => string.Join("\n", _log.Where(line => line.Contains(pattern, StringComparison.Ordinal)).Take(limit));

            protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
                IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
            {
                _log.AddRange(messages.Select(m => m.Text));
                return Task.FromResult(messages);
            }
        }
        """;

    internal const string Unrelated = """
        namespace Acme.Incremental;

        public static class Unrelated
        {
            public static int Answer() => 42;
        }
        """;

    internal const string GammaManifest = """
        package_format_version: "1.0"
        engine_id: gamma
        engine_class_name: Acme.Incremental.GammaEngine
        engine_module: Acme.Incremental
        display_name: Gamma
        version: "1.0.0"
        authors:
          - name: Ada Lovelace
        description: "Logs and searches."
        dependencies:
          - Microsoft.Data.Sqlite
        """;

    [Fact]
    public void The_same_compilation_twice_is_cached_at_every_step()
    {
        var compilation = Compilation();
        var driver = Driver().RunGenerators(compilation).RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];

        foreach (var step in TrackedSteps.AllNames)
        {
            TrackedSteps.AllCachedOrUnchanged(TrackedSteps.Outputs(result, step).Select(o => o.Reason), step);
        }

        TrackedSteps.AllCachedOrUnchanged(TrackedSteps.SourceOutputs(result).Select(o => o.Reason), "source outputs");
        Assert.Contains(result.GeneratedSources, s => s.HintName == "CompactMemoryEngines.g.cs");
    }

    [Fact]
    public void An_edit_inside_a_method_body_changes_no_model_and_regenerates_nothing()
    {
        var (before, after) = RunEdit(Alpha, Alpha.Replace("\"alpha:\" + text", "\"ALPHA:\" + text.Trim()"));

        TrackedSteps.AllCachedOrUnchanged(TrackedSteps.Outputs(after, StepNames.Engines).Select(o => o.Reason), StepNames.Engines);
        AssertNothingRegenerated(before, after);
    }

    [Fact]
    public void An_edit_to_an_unrelated_file_leaves_the_engines_cached_and_regenerates_nothing()
    {
        var (before, after) = RunEdit(Unrelated, Unrelated.Replace("=> 42;", "=> 43;\n\n    public static string Name => \"changed\";"));

        Assert.All(TrackedSteps.Outputs(after, StepNames.Engines), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        AssertNothingRegenerated(before, after);
    }

    [Fact]
    public void Changing_one_display_name_regenerates_that_engine_and_the_catalog_only()
    {
        var (before, after) = RunEdit(Beta, Beta.Replace("DisplayName = \"Beta\"", "DisplayName = \"Beta, renamed\""));

        var engines = TrackedSteps.ReasonsFor(TrackedSteps.Outputs(after, StepNames.Engines), "beta");
        Assert.Equal([IncrementalStepRunReason.Modified], engines.Engine);
        TrackedSteps.AllCachedOrUnchanged(engines.Others, StepNames.Engines + " of the other engines");

        var outputs = TrackedSteps.ReasonsFor(TrackedSteps.Outputs(after, StepNames.EngineOutputs), "beta");
        Assert.Equal([IncrementalStepRunReason.Modified], outputs.Engine);
        TrackedSteps.AllCachedOrUnchanged(outputs.Others, StepNames.EngineOutputs + " of the other engines");

        Assert.Equal([IncrementalStepRunReason.Modified], TrackedSteps.Outputs(after, StepNames.CatalogEntries).Select(o => o.Reason));
        Assert.Equal([IncrementalStepRunReason.Modified], TrackedSteps.Outputs(after, StepNames.CatalogOutput).Select(o => o.Reason));
        Assert.Equal(2, TrackedSteps.SourceOutputs(after).Count(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)));
        Assert.Equal(["Acme.Incremental.BetaEngine.CompressionEngine.g.cs", "CompactMemoryEngines.g.cs"], ChangedFiles(before, after));
    }

    [Fact]
    public void Changing_one_tool_description_regenerates_that_engine_only_and_not_the_catalog()
    {
        var (before, after) = RunEdit(Gamma, Gamma.Replace("Finds logged messages that contain a pattern.", "Finds logged lines containing a pattern."));

        var outputs = TrackedSteps.ReasonsFor(TrackedSteps.Outputs(after, StepNames.EngineOutputs), "gamma");
        Assert.Equal([IncrementalStepRunReason.Modified], outputs.Engine);
        TrackedSteps.AllCachedOrUnchanged(outputs.Others, StepNames.EngineOutputs + " of the other engines");
        TrackedSteps.AllCachedOrUnchanged(TrackedSteps.Outputs(after, StepNames.CatalogEntries).Select(o => o.Reason), StepNames.CatalogEntries);
        TrackedSteps.AllCachedOrUnchanged(TrackedSteps.Outputs(after, StepNames.CatalogOutput).Select(o => o.Reason), StepNames.CatalogOutput);
        Assert.Equal(1, TrackedSteps.SourceOutputs(after).Count(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)));
        Assert.Equal(["Acme.Incremental.GammaEngine.CompressionEngine.g.cs"], ChangedFiles(before, after));
    }

    internal static CSharpCompilation Compilation() => GeneratorHarness.Compilation("Acme.Incremental", Alpha, Beta, Gamma, Unrelated);

    internal static GeneratorDriver Driver() => GeneratorHarness.Driver(
        new Dictionary<string, string> { ["Version"] = "1.2.0", ["Authors"] = "Acme" },
        [GeneratorHarness.Text("/src/engine_package.yaml", GammaManifest)]);

    /// <summary>Runs the four-file project, then again with <paramref name="original"/>'s tree replaced by <paramref name="edited"/>.</summary>
    private static (GeneratorRunResult Before, GeneratorRunResult After) RunEdit(string original, string edited)
    {
        Assert.NotEqual(original, edited);
        var compilation = Compilation();
        var driver = Driver().RunGenerators(compilation);
        var before = driver.GetRunResult().Results[0];

        var oldTree = compilation.SyntaxTrees.Single(t => t.ToString() == original);
        var newCompilation = compilation.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(edited, GeneratorHarness.ParseOptions, oldTree.FilePath));
        var after = driver.RunGenerators(newCompilation).GetRunResult().Results[0];
        Assert.Null(after.Exception);
        return (before, after);
    }

    private static void AssertNothingRegenerated(GeneratorRunResult before, GeneratorRunResult after)
    {
        foreach (var step in new[] { StepNames.EngineOutputs, StepNames.CatalogEntries, StepNames.CatalogOutput, StepNames.ProjectProperties, StepNames.ManifestFiles, StepNames.CompilationFacts })
        {
            TrackedSteps.AllCachedOrUnchanged(TrackedSteps.Outputs(after, step).Select(o => o.Reason), step);
        }

        TrackedSteps.AllCachedOrUnchanged(TrackedSteps.SourceOutputs(after).Select(o => o.Reason), "source outputs");
        Assert.Empty(ChangedFiles(before, after));
    }

    private static string[] ChangedFiles(GeneratorRunResult before, GeneratorRunResult after)
    {
        var old = before.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        return after.GeneratedSources
            .Where(s => !old.TryGetValue(s.HintName, out var text) || text != s.SourceText.ToString())
            .Select(s => s.HintName)
            .Order(System.StringComparer.Ordinal)
            .ToArray();
    }
}
