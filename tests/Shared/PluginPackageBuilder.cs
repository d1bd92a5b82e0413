using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CompactMemory.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CompactMemory.Testing;

/// <summary>
/// Builds real engine packages for tests: C# source compiled with Roslyn into an assembly, written into a package
/// folder beside an <c>engine_package.yaml</c>. Each build gets a unique assembly name so packages never collide.
/// </summary>
internal sealed class PluginPackageBuilder
{
    private static int _counter;
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    /// <summary>The manifest's engine_id.</summary>
    public string EngineId { get; init; } = "sample_engine";

    /// <summary>The id in the class's [CompressionEngine] attribute; the manifest id when null.</summary>
    public string? ClassId { get; init; }

    /// <summary>The class's namespace.</summary>
    public string Namespace { get; init; } = "TestPlugins";

    /// <summary>The class name.</summary>
    public string ClassName { get; init; } = "SampleEngine";

    /// <summary>The text the engine returns; the engine prefixes it to the input's first token budget of text.</summary>
    public string OutputPrefix { get; init; } = "compressed:";

    /// <summary>Replaces the whole generated engine source when set (use {ASSEMBLY} for nothing; it is compiled as is).</summary>
    public string? Source { get; init; }

    /// <summary>Extra YAML lines appended to the manifest.</summary>
    public string ExtraManifest { get; init; } = string.Empty;

    /// <summary>Replaces the whole manifest when set.</summary>
    public string? Manifest { get; init; }

    /// <summary>The version written to the manifest.</summary>
    public string Version { get; init; } = "2.1.0";

    /// <summary>Extra assemblies the engine source references (paths), which are also copied into the package.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>Whether to write a README.md.</summary>
    public bool WithReadme { get; init; } = true;

    /// <summary>
    /// Runs this source generator over the engine source before emitting (as an engine project built with the SDK
    /// would), so the assembly carries a generated engine catalog. Test projects that set it reference the generator.
    /// </summary>
    public ISourceGenerator? Generator { get; init; }

    /// <summary>Writes the package into <c>pluginDirectory/packageName</c> and returns the package folder.</summary>
    public string WriteTo(string pluginDirectory, string packageName)
    {
        var folder = Directory.CreateDirectory(Path.Combine(pluginDirectory, packageName)).FullName;
        var assemblyName = "TestPlugin" + Interlocked.Increment(ref _counter).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        var source = Source ?? DefaultSource();
        Compile(assemblyName, source, Path.Combine(folder, assemblyName + ".dll"), Dependencies, Generator);
        foreach (var dependency in Dependencies)
        {
            File.Copy(dependency, Path.Combine(folder, Path.GetFileName(dependency)), overwrite: true);
        }

        var manifest = Manifest?.Replace("{MODULE}", assemblyName, StringComparison.Ordinal) ?? $"""
            package_format_version: "1.0"
            engine_id: {EngineId}
            engine_class_name: {Namespace}.{ClassName}
            engine_module: {assemblyName}
            display_name: "Test {EngineId}"
            version: "{Version}"
            authors:
              - "Test Author <test@example.com>"
            description: "A test engine."
            {ExtraManifest}
            """;
        File.WriteAllText(Path.Combine(folder, "engine_package.yaml"), manifest);
        if (WithReadme)
        {
            File.WriteAllText(Path.Combine(folder, "README.md"), "# Test engine\n");
        }

        return folder;
    }

    /// <summary>Compiles a plain class library (for dependency tests) and returns its path.</summary>
    public static string CompileLibrary(string directory, string assemblyName, string source)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, assemblyName + ".dll");
        Compile(assemblyName, source, path, [], null);
        return path;
    }

    private string DefaultSource() => $$"""
        using CompactMemory;
        using CompactMemory.Compression;

        namespace {{Namespace}};

        [CompressionEngine("{{ClassId ?? EngineId}}")]
        public sealed class {{ClassName}} : CompressionEngine
        {
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
            {
                var tokenizer = TokenizerOf(options);
                var trace = StartTrace(budget, options);
                var output = "{{OutputPrefix}}" + tokenizer.Truncate(text, budget);
                trace?.AddStep("prefix");
                return new CompressedMemory(output) { EngineId = Id, Trace = trace };
            }
        }
        """;

    private static void Compile(string assemblyName, string source, string outputPath, IReadOnlyList<string> dependencies, ISourceGenerator? generator)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(source, parseOptions);
        Compilation compilation = CSharpCompilation.Create(
            assemblyName,
            [tree],
            References.Value.Concat(dependencies.Select(d => MetadataReference.CreateFromFile(d))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        if (generator is not null)
        {
            CSharpGeneratorDriver.Create([generator], parseOptions: parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        }

        using var stream = File.Create(outputPath);
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("Test plugin did not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
    }

    private static MetadataReference[] LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var sdk = new[]
        {
            typeof(CompressionEngine).Assembly.Location,
            typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location,
        };
        return platform.Concat(sdk).Distinct(StringComparer.Ordinal).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToArray();
    }
}
