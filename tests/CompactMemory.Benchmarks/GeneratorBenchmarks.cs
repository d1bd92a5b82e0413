using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CompactMemory.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CompactMemory.Benchmarks;

/// <summary>
/// The engine generator over synthetic projects of 100 and 1,000 context engines with three tools each: a cold run
/// (a new driver, as in a clean build) versus the incremental re-run after an edit to an unrelated file (what the IDE
/// pays on every keystroke). Target: the re-run costs at most 5% of the cold run, and the cold run grows linearly.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    /// <summary>Engines per synthetic source file.</summary>
    private const int EnginesPerFile = 10;
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _unrelated = null!;
    private GeneratorDriver _primed = null!;
    private int _edits;

    /// <summary>Engines in the synthetic project.</summary>
    [Params(100, 1000)]
    public int Engines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = EngineTrees(Engines, options);

        _unrelated = CSharpSyntaxTree.ParseText(Unrelated(0), options, path: "Unrelated.cs");
        trees.Add(_unrelated);
        _compilation = CSharpCompilation.Create(
            "GeneratorBench",
            trees,
            GeneratedEngines.References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _primed = NewDriver().RunGenerators(_compilation);

        var generated = _primed.GetRunResult().Results[0];
        // One file per engine, the catalog, and the shared tool-dispatch helpers.
        if (generated.Exception is not null || generated.GeneratedSources.Length != Engines + 2)
        {
            throw new InvalidOperationException($"Expected {Engines + 2} generated files, got {generated.GeneratedSources.Length}: {generated.Exception}");
        }
    }

    /// <summary>A clean build: a new driver runs every step over every engine.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver Cold() => NewDriver().RunGenerators(Edited());

    /// <summary>An edit to a file without engines: every engine step is cached, nothing is emitted again.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalAfterUnrelatedEdit() => _primed.RunGenerators(Edited());

    private static CSharpGeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
        [new EngineGenerator().AsSourceGenerator()],
        parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>The project with the unrelated file's method body changed (a fresh compilation each call).</summary>
    private CSharpCompilation Edited() =>
        _compilation.ReplaceSyntaxTree(_unrelated, CSharpSyntaxTree.ParseText(Unrelated(++_edits), (CSharpParseOptions)_unrelated.Options, path: "Unrelated.cs"));

    private static string Unrelated(int edit) => $$"""
        namespace Bench.Other;

        public static class Helper
        {
            public static int Value() => {{edit.ToString(CultureInfo.InvariantCulture)}};
        }
        """;

    /// <summary>A synthetic project of <paramref name="engines"/> correct context engines, <see cref="EnginesPerFile"/> a file.</summary>
    internal static List<SyntaxTree> EngineTrees(int engines, CSharpParseOptions options)
    {
        var trees = new List<SyntaxTree>();
        for (var file = 0; file * EnginesPerFile < engines; file++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(EngineFile(file, Math.Min(EnginesPerFile, engines - (file * EnginesPerFile))), options, path: $"Engines{file}.cs"));
        }

        return trees;
    }

    /// <summary>The <paramref name="file"/>th file of a synthetic project: <paramref name="count"/> correct context engines with three tools each.</summary>
    private static string EngineFile(int file, int count)
    {
        var source = new StringBuilder("""
            using System.Collections.Generic;
            using System.ComponentModel;
            using System.Threading;
            using System.Threading.Tasks;
            using CompactMemory;
            using CompactMemory.Context;
            using Microsoft.Extensions.AI;

            namespace Bench.Engines;

            """);
        for (var i = 0; i < count; i++)
        {
            var n = ((file * EnginesPerFile) + i).ToString("D4", CultureInfo.InvariantCulture);
            source.Append($$"""

                [CompressionEngine("engine_{{n}}", DisplayName = "Engine {{n}}")]
                public sealed partial class Engine{{n}} : ContextEngine
                {
                    public override string Name => "engine_{{n}}";

                    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                        => Task.FromResult(messages);

                    [EngineTool("grep_{{n}}"), Description("Searches the history.")]
                    public string Grep([Description("What to look for.")] string query, int limit = 10) => query + limit;

                    [EngineTool("expand_{{n}}"), Description("Expands a summary node.")]
                    public Task<string> ExpandAsync(long nodeId, bool includeChildren, CancellationToken cancellationToken) => Task.FromResult(nodeId.ToString());

                    [EngineTool("stats_{{n}}"), Description("Reports statistics.")]
                    public int[] Stats(double[]? weights = null) => new[] { 1, 2, 3 };
                }

                """);
        }

        return source.ToString();
    }
}
