using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Generators.Tests.Aggregation;

/// <summary>A compiled project: its generator run, its PE image, and the reference other projects compile against.</summary>
internal sealed record BuiltProject(string AssemblyName, GeneratorDriverRunResult Run, byte[] Image)
{
    public MetadataReference Reference { get; } = MetadataReference.CreateFromImage(Image);

    public string? GeneratedText(string hintName) =>
        Run.Results[0].GeneratedSources.Where(s => s.HintName == hintName).Select(s => s.SourceText.ToString()).SingleOrDefault();
}

/// <summary>Compiles projects through the generator against each other's images, as MSBuild does with project references.</summary>
internal static class LibraryBuilder
{
    public static BuiltProject Build(string assemblyName, IEnumerable<MetadataReference> references, params string[] sources)
    {
        var compilation = GeneratorHarness.Compilation(assemblyName, sources).WithReferences(references);
        var (run, output, _) = GeneratorHarness.Run(compilation);
        Assert.Null(run.Results[0].Exception);
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        Assert.Empty(GeneratorHarness.Problems(output));
        return new BuiltProject(assemblyName, run, stream.ToArray());
    }

    /// <summary>The framework, the contracts and the runtime, plus the given projects.</summary>
    public static IEnumerable<MetadataReference> WithSdk(params BuiltProject[] projects) =>
        GeneratorHarness.References.Concat(projects.Select(p => p.Reference));

    /// <summary>Loads projects into one context (the first is returned); anything else resolves from the test's own context.</summary>
    /// <remarks>
    /// Not collectible: a collectible context starts unloading once its object is finalized, and dependencies load
    /// lazily (a DI factory may run long after loading), so the few small test assemblies simply stay loaded.
    /// </remarks>
    public static Assembly Load(BuiltProject main, params BuiltProject[] dependencies) =>
        new ImageLoadContext(main.AssemblyName, dependencies).LoadFromStream(new MemoryStream(main.Image));

    private sealed class ImageLoadContext(string name, BuiltProject[] dependencies) : AssemblyLoadContext(name, isCollectible: false)
    {
        private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var project = Array.Find(dependencies, p => p.AssemblyName == assemblyName.Name);
            if (project is null)
            {
                return null;
            }

            if (!_loaded.TryGetValue(project.AssemblyName, out var assembly))
            {
                assembly = LoadFromStream(new MemoryStream(project.Image));
                _loaded[project.AssemblyName] = assembly;
            }

            return assembly;
        }
    }
}
