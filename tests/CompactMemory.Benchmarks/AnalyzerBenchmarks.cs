using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using CompactMemory.Analyzers.Manifest;
using CompactMemory.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Benchmarks;

/// <summary>
/// What the CompactMemory analyzers (CM0001–CM0018) add to a compile, through <see cref="CompilationWithAnalyzers"/>,
/// over synthetic projects of 100 and 1,000 correct context engines with three tools each (the generator's output
/// included, as in a real build). <see cref="Compile"/> binds and emits the project, what <c>csc</c> does without
/// analyzers. <see cref="AnalyzeWithNoOpAnalyzer"/> is the analyzer driver's own cost (a fresh compilation bound to
/// produce its events, one analyzer that does nothing): every analyzer package pays it, and in <c>csc</c> the events
/// come from the compile itself. <see cref="AnalyzeWithOurAnalyzers"/> adds every CompactMemory analyzer. Their share
/// of a compile is <c>(AnalyzeWithOurAnalyzers - AnalyzeWithNoOpAnalyzer) / Compile</c>; target: at most 10%.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(ManifestContentAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private readonly AnalyzerOptions _options = new([], new BuildProperties());
    private SyntaxTree[] _trees = [];
    private MetadataReference[] _references = [];

    /// <summary>Engines in the synthetic project.</summary>
    [Params(100, 1000)]
    public int Engines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = GeneratorBenchmarks.EngineTrees(Engines, options);

        _references = GeneratedEngines.References();
        var source = NewCompilation(trees);
        CSharpGeneratorDriver.Create([new EngineGenerator().AsSourceGenerator()], parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(source, out var withGenerated, out _);
        _trees = withGenerated.SyntaxTrees.ToArray();

        // The project must be correct: an error or a CompactMemory warning would measure a different path (CM0016
        // suggestions for parameters without descriptions are reported, as in a real project).
        var compilation = NewCompilation(_trees);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        var ours = compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(_options, null, true, false))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        if (errors.Length > 0 || ours.Length > 0)
        {
            throw new InvalidOperationException("The synthetic project is not clean:\n" + string.Join("\n", errors.Concat(ours)));
        }
    }

    /// <summary>Bind, check and emit, as <c>csc</c> does without analyzers.</summary>
    [Benchmark(Baseline = true)]
    public bool Compile() => Emit(NewCompilation(_trees));

    /// <summary>The analyzer driver over a fresh compilation with one analyzer that does nothing.</summary>
    [Benchmark]
    public int AnalyzeWithNoOpAnalyzer() => Analyze([new NoOpAnalyzer()]);

    /// <summary>The analyzer driver over a fresh compilation with every CompactMemory analyzer.</summary>
    [Benchmark]
    public int AnalyzeWithOurAnalyzers() => Analyze(Analyzers);

    private int Analyze(ImmutableArray<DiagnosticAnalyzer> analyzers) => NewCompilation(_trees)
        .WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(_options, null, concurrentAnalysis: true, logAnalyzerExecutionTime: false))
        .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult().Length;

    private CSharpCompilation NewCompilation(IEnumerable<SyntaxTree> trees) => CSharpCompilation.Create(
        "AnalyzerBench",
        trees,
        _references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static bool Emit(CSharpCompilation compilation)
    {
        using var stream = new MemoryStream();
        return compilation.Emit(stream).Success;
    }

    // A measuring stick handed to CompilationWithAnalyzers, never shipped or loaded by a compiler: the rules for
    // analyzer assemblies (the attribute, release tracking, netstandard2.0, extended rules) do not apply.
#pragma warning disable RS1001, RS1036, RS1041, RS2008

    /// <summary>Registers one symbol action that returns at once: the driver runs, nothing is analyzed.</summary>
    private sealed class NoOpAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new("BENCH0001", "Never", "Never", "Benchmark", DiagnosticSeverity.Info, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
        }
    }
#pragma warning restore RS1001, RS1036, RS1041, RS2008

    /// <summary>The build properties an engine project passes (CompilerVisibleProperty).</summary>
    private sealed class BuildProperties : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Global = new(new Dictionary<string, string>(StringComparer.Ordinal) { ["build_property.Version"] = "1.0.0" });
        private static readonly Options Empty = new(new Dictionary<string, string>(StringComparer.Ordinal));

        public override AnalyzerConfigOptions GlobalOptions => Global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
