using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using CompactMemory.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CompactMemory.Benchmarks;

/// <summary>
/// An assembly of <see cref="Count"/> generated compression engines (<c>Engine000</c>..), compiled with Roslyn and
/// loaded into the default context, plus the <c>Catalog.All</c> descriptor array the SDK's source generator would emit.
/// </summary>
public sealed class GeneratedEngines
{
    /// <summary>How many engines the assembly holds.</summary>
    public const int Count = 500;

    private static int _compilations;

    private GeneratedEngines(Assembly assembly, EngineDescriptor[] descriptors)
    {
        Assembly = assembly;
        Descriptors = descriptors;
    }

    /// <summary>The loaded assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>The descriptors from the generated <c>Catalog.All</c>.</summary>
    public IReadOnlyList<EngineDescriptor> Descriptors { get; }

    /// <summary>The id of engine <paramref name="index"/>, e.g. <c>engine_042</c>.</summary>
    public static string IdOf(int index) => "engine_" + index.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>Generates, compiles and loads the engines.</summary>
    public static GeneratedEngines Build()
    {
        var assemblyName = "BenchEngines" + Interlocked.Increment(ref _compilations).ToString(CultureInfo.InvariantCulture)
            + "_" + Guid.NewGuid().ToString("N")[..8];
        var tree = CSharpSyntaxTree.ParseText(GenerateSource(), new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [tree],
            References(),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException(
                "Generated engines did not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        var assembly = Assembly.Load(stream.ToArray());
        var catalog = assembly.GetType("BenchEngines.Catalog", throwOnError: true)!;
        var descriptors = (EngineDescriptor[])catalog.GetField("All", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        if (descriptors.Length != Count)
        {
            throw new InvalidOperationException($"Catalog.All has {descriptors.Length} descriptors; expected {Count}.");
        }

        return new GeneratedEngines(assembly, descriptors);
    }

    private static string GenerateSource()
    {
        var source = new StringBuilder();
        source.AppendLine("using System;");
        source.AppendLine("using CompactMemory;");
        source.AppendLine("using CompactMemory.Compression;");
        source.AppendLine();
        source.AppendLine("namespace BenchEngines;");
        source.AppendLine();
        for (var i = 0; i < Count; i++)
        {
            var number = i.ToString("D3", CultureInfo.InvariantCulture);
            source.Append(CultureInfo.InvariantCulture, $"[CompactMemory.CompressionEngine(\"engine_{number}\")]\n");
            source.Append(CultureInfo.InvariantCulture, $"public sealed class Engine{number} : CompactMemory.Compression.CompressionEngine\n");
            source.Append("{\n");
            source.Append("    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new CompressedMemory(text);\n");
            source.Append("}\n\n");
        }

        // What the SDK's source generator emits: one descriptor per engine, with a factory that calls the constructor.
        source.Append("public static class Catalog\n{\n");
        source.Append("    public static EngineDescriptor[] All = new EngineDescriptor[]\n    {\n");
        for (var i = 0; i < Count; i++)
        {
            var number = i.ToString("D3", CultureInfo.InvariantCulture);
            source.Append(CultureInfo.InvariantCulture, $"        new EngineDescriptor(\"engine_{number}\", EngineKind.Compression, typeof(Engine{number}), _ => new Engine{number}()),\n");
        }

        source.Append("    };\n}\n");
        return source.ToString();
    }

    internal static MetadataReference[] References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var sdk = new[]
        {
            typeof(CompressionEngine).Assembly.Location,
            typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location,
        };
        return platform.Concat(sdk)
            .Where(path => path.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    }
}
