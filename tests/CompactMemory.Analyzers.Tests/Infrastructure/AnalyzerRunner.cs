using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using CompactMemory.Analyzers.Manifest;
using CompactMemory.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compiles sources against the framework and the contracts, adds additional files (engine_package.yaml) and
/// analyzer options (build properties, editorconfig-style severities), and runs every CompactMemory analyzer through
/// <see cref="CompilationWithAnalyzers"/>, the way the compiler does. Analyzer exceptions are collected, never lost.
/// </summary>
internal sealed class AnalyzerRunner
{
    public const string AssemblyName = "Contoso.Engines";

    private static readonly Lazy<MetadataReference[]> LazyReferences = new(LoadReferences);

    /// <summary>The framework and the contracts, as every test compilation references them.</summary>
    public static MetadataReference[] References => LazyReferences.Value;

    private readonly List<(string Path, string Text)> _sources = [];
    private readonly List<AdditionalText> _additionalFiles = [];
    private readonly Dictionary<string, string> _globalOptions = new(StringComparer.Ordinal) { ["build_property.Version"] = "1.0.0" };
    private readonly List<string> _configLines = [];

    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } = typeof(ManifestContentAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static string RepoRoot { get; } = typeof(AnalyzerRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>Adds a C# file; the path is what diagnostics report.</summary>
    public AnalyzerRunner Source(string path, string text)
    {
        _sources.Add((path, text));
        return this;
    }

    /// <summary>Adds the project's engine_package.yaml as an additional file.</summary>
    public AnalyzerRunner Manifest(string text, string path = "/project/engine_package.yaml")
    {
        _additionalFiles.Add(new InMemoryText(path, text));
        return this;
    }

    /// <summary>Sets an MSBuild property the way CompilerVisibleProperty does (<c>build_property.Name</c>).</summary>
    public AnalyzerRunner BuildProperty(string name, string? value)
    {
        if (value is null)
        {
            _globalOptions.Remove("build_property." + name);
        }
        else
        {
            _globalOptions["build_property." + name] = value;
        }

        return this;
    }

    /// <summary>Adds an .editorconfig-style line, such as <c>dotnet_diagnostic.CM0001.severity = none</c>.</summary>
    public AnalyzerRunner EditorConfig(string line)
    {
        _configLines.Add(line);
        return this;
    }

    /// <summary>Runs the given analyzers (all by default) and returns their diagnostics, sorted by place.</summary>
    public AnalyzerResult Run(params DiagnosticAnalyzer[] analyzers)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var config = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse("is_global = true\n" + string.Join("\n", _configLines), "/project/.globalconfig")), out _);
        var global = config.GlobalConfigOptions;
        var optionValues = new Dictionary<string, string>(_globalOptions, StringComparer.Ordinal);
        foreach (var pair in global.AnalyzerOptions)
        {
            optionValues[pair.Key] = pair.Value;
        }

        var compilation = CSharpCompilation.Create(
            AssemblyName,
            _sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), path: s.Path)),
            LazyReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(global.TreeOptions));
        var options = new AnalyzerOptions(_additionalFiles.ToImmutableArray(), new OptionsProvider(optionValues));
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers.Length == 0 ? AllAnalyzers : analyzers.ToImmutableArray(),
            new CompilationWithAnalyzersOptions(options, (ex, _, _) => exceptions.Enqueue(ex), concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new AnalyzerResult(
            diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray(),
            exceptions.ToImmutableArray(),
            compilation);
    }

    private static MetadataReference[] LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var contracts = new[] { typeof(CompressionEngine).Assembly.Location, typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location };
        return platform.Concat(contracts).Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class OptionsProvider(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(values);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
