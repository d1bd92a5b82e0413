using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Generators.Parsing;

/// <summary>Reads MSBuild properties and compilation facts into equatable models.</summary>
internal static class ProjectReaders
{
    public static ProjectProperties ReadProperties(AnalyzerConfigOptionsProvider provider, CancellationToken cancellationToken)
    {
        var options = provider.GlobalOptions;
        string? Get(string name) => options.TryGetValue("build_property." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        return new ProjectProperties(
            Get("RootNamespace"),
            Get("Version"),
            Get("Authors"),
            Get("Description"),
            Get("Title"),
            string.Equals(Get("CompactMemoryRegisterEnginesOnLoad"), "true", StringComparison.OrdinalIgnoreCase));
    }

    public static CompilationFacts ReadFacts(Compilation compilation, CancellationToken cancellationToken)
    {
        var catalogs = new List<string>();
        try
        {
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Only assemblies built against the contracts can carry a catalog; skip the framework cheaply.
                if (!assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "CompactMemory.Abstractions")))
                {
                    continue;
                }

                foreach (var attribute in assembly.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() == "CompactMemory.EngineCatalogAttribute"
                        && attribute.ConstructorArguments.Length == 1
                        && attribute.ConstructorArguments[0].Value is INamedTypeSymbol catalog
                        && catalog.DeclaredAccessibility == Accessibility.Public)
                    {
                        catalogs.Add(catalog.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A broken reference must not break generation: the aggregate then lists what could be read.
        }

        catalogs.Sort(StringComparer.Ordinal);
        return new CompilationFacts(
            compilation.AssemblyName ?? "Engines",
            compilation.GetTypeByMetadataName("CompactMemory.Registry.EngineRegistry") is not null,
            compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection") is not null,
            catalogs.Distinct(StringComparer.Ordinal).ToEquatableArray(),
            compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute") is not null);
    }

    public static bool IsManifest(AdditionalText text) =>
        string.Equals(System.IO.Path.GetFileName(text.Path), CompactMemory.Manifest.ManifestSchema.FileName, StringComparison.OrdinalIgnoreCase);

    public static ManifestFile? ReadManifest(AdditionalText text, CancellationToken cancellationToken)
    {
        var content = text.GetText(cancellationToken)?.ToString();
        return content is null ? null : new ManifestFile(text.Path, content, CompactMemory.Manifest.EngineManifestReader.Read(content).Manifest.EngineId);
    }
}
