using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using CompactMemory.Compression;
using CompactMemory.Registry;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Generators.Tests.Infrastructure;

/// <summary>Runs the engine generator on source text, the way the compiler does, and compiles and loads the result.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> LazyReferences = new(LoadReferences);

    public static IReadOnlyList<MetadataReference> References => LazyReferences.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>A compilation of the given sources against the framework, the contracts and the runtime.</summary>
    public static CSharpCompilation Compilation(string assemblyName, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A driver that tracks every step, so tests can read each step's output and caching reason.</summary>
    public static GeneratorDriver Driver(IReadOnlyDictionary<string, string>? properties = null, IEnumerable<AdditionalText>? additionalTexts = null) =>
        CSharpGeneratorDriver.Create(
            [new EngineGenerator().AsSourceGenerator()],
            additionalTexts ?? [],
            ParseOptions,
            new TestOptionsProvider(properties ?? new Dictionary<string, string>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns the run and the compilation with the generated sources added.</summary>
    public static (GeneratorDriverRunResult Run, Compilation Output, GeneratorDriver Driver) Run(
        CSharpCompilation compilation,
        IReadOnlyDictionary<string, string>? properties = null,
        IEnumerable<AdditionalText>? additionalTexts = null)
    {
        var driver = Driver(properties, additionalTexts).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output, driver);
    }

    /// <summary>Compiles the output; throws with every error when it does not compile.</summary>
    public static Assembly Load(Compilation output)
    {
        using var stream = new MemoryStream();
        var result = output.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("The generated code does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        // Not collectible: nothing keeps a collectible context alive, and it could unload before a lazily loaded dependency resolves.
        return new AssemblyLoadContext(output.AssemblyName, isCollectible: false).LoadFromStream(stream);
    }

    /// <summary>Errors and warnings in the output compilation (generated files included).</summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    public static AdditionalText Text(string path, string content) => new InMemoryText(path, content);

    private static MetadataReference[] LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var sdk = new[]
        {
            typeof(CompressionEngine).Assembly.Location,
            typeof(EngineRegistry).Assembly.Location,
            typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location,
        };
        return platform.Concat(sdk).Distinct(StringComparer.Ordinal).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToArray();
    }

    private sealed class InMemoryText(string path, string content) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(content);
    }

    private sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value));

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new([]);

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
