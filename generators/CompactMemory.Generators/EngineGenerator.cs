using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CompactMemory.Generators.Emitting;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using CompactMemory.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Generators;

/// <summary>
/// Generates, for every <c>[CompressionEngine]</c> class: its manifest and tool schemas stamped on the assembly, its
/// tool dispatch (context engines), and one catalog per assembly with a factory per engine, plus the
/// <c>CompactMemoryEngines</c> aggregate of this catalog and every referenced one. It reports no diagnostics: on
/// input it cannot use it generates nothing for that class (the analyzers explain why).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class EngineGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var engines = context.SyntaxProvider
            .ForAttributeWithMetadataName(EngineParser.CompressionEngineAttribute, EngineParser.IsCandidate, EngineParser.Parse)
            .Where(static engine => engine is not null)
            .Select(static (engine, _) => engine!)
            .WithTrackingName(StepNames.Engines);

        var properties = context.AnalyzerConfigOptionsProvider
            .Select(ProjectReaders.ReadProperties)
            .WithTrackingName(StepNames.ProjectProperties);

        var facts = context.CompilationProvider
            .Select(ProjectReaders.ReadFacts)
            .WithTrackingName(StepNames.CompilationFacts);

        var manifests = context.AdditionalTextsProvider
            .Where(ProjectReaders.IsManifest)
            .Select(ProjectReaders.ReadManifest)
            .Where(static manifest => manifest is not null)
            .Select(static (manifest, _) => manifest!)
            .Collect()
            .Select(static (all, _) => all.OrderBy(m => m.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(StepNames.ManifestFiles);

        var assemblyName = facts.Select(static (f, _) => f.AssemblyName);
        var registrable = engines.Where(static engine => engine.CanRegister);

        // One output per kept engine: a duplicated id is stamped once, for the class the catalog keeps, and a class once
        // even when broken code gives it the attribute twice; hint names are unique ignoring case (two outputs with one
        // hint name make AddSource throw and fail the whole generator). Unchanged engines come out equal, so stay cached.
        var perEngine = registrable
            .Collect()
            .SelectMany(static (all, _) => KeptEngines(all))
            .Combine(properties)
            .Combine(assemblyName)
            .Combine(manifests)
            .Select(static (input, _) => (input.Left.Left.Left.Engine, input.Left.Left.Left.HintName, Properties: input.Left.Left.Right, AssemblyName: input.Left.Right, Manifest: ManifestComposer.ForEngine(input.Left.Left.Left.Engine.Id, input.Right)))
            .WithTrackingName(StepNames.EngineOutputs);
        context.RegisterSourceOutput(perEngine, static (output, input) =>
        {
            var yaml = ManifestComposer.Compose(input.Engine, input.Properties, input.AssemblyName, input.Manifest);
            output.AddSource(input.HintName, EngineEmitter.Emit(input.Engine, yaml, input.AssemblyName));
        });

        // The dispatch helpers, once per assembly, when any engine has tools (emitting them for an engine whose tools
        // end up unsupported is harmless: an unused internal class).
        var toolSupport = registrable
            .Select(static (engine, _) => engine.Tools.Count > 0)
            .Collect()
            .Select(static (flags, _) => flags.Contains(true))
            .Combine(assemblyName)
            .WithTrackingName(StepNames.ToolSupport);
        context.RegisterSourceOutput(toolSupport, static (output, input) =>
        {
            if (input.Left)
            {
                output.AddSource(Tools.ToolSupportEmitter.HintName, Tools.ToolSupportEmitter.EmitFile(input.Right));
            }
        });

        var catalog = registrable
            .Combine(properties)
            .Combine(assemblyName)
            .Combine(manifests)
            .Select(static (input, _) => input.Left.Left.Left.ToCatalogEntry(ManifestComposer.ComposeManifest(
                input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, ManifestComposer.ForEngine(input.Left.Left.Left.Id, input.Right))))
            .Collect()
            .Select(static (entries, _) => Deduplicate(entries))
            .WithTrackingName(StepNames.CatalogEntries)
            .Combine(properties)
            .Combine(facts)
            .WithTrackingName(StepNames.CatalogOutput);
        context.RegisterSourceOutput(catalog, static (output, input) =>
        {
            var text = CatalogEmitter.Emit(input.Left.Left, input.Left.Right, input.Right);
            if (text.Length > 0)
            {
                output.AddSource(CatalogEmitter.HintName, text);
            }
        });
    }

    /// <summary>
    /// The engines <see cref="Deduplicate"/> keeps (first class by ordinal name per id), at most one per class, each with
    /// a hint name unique ignoring case (classes <c>Engine</c> and <c>engine</c> may both exist).
    /// </summary>
    private static ImmutableArray<(EngineModel Engine, string HintName)> KeptEngines(ImmutableArray<EngineModel> engines)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var classes = new HashSet<string>(StringComparer.Ordinal);
        var hintNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var kept = ImmutableArray.CreateBuilder<(EngineModel, string)>();
        foreach (var engine in engines.OrderBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.FullyQualifiedName, StringComparer.Ordinal))
        {
            if (!ids.Contains(engine.Id) && !classes.Contains(engine.FullyQualifiedName))
            {
                ids.Add(engine.Id);
                classes.Add(engine.FullyQualifiedName);
                var hintName = EngineEmitter.HintName(engine);
                for (var n = 2; !hintNames.Add(hintName); n++)
                {
                    hintName = EngineEmitter.HintName(engine, n);
                }

                kept.Add((engine, hintName));
            }
        }

        return kept.ToImmutable();
    }

    /// <summary>Ordinal order by id; a duplicated id keeps its first class (an analyzer reports the clash).</summary>
    private static EquatableArray<CatalogEntry> Deduplicate(ImmutableArray<CatalogEntry> entries) =>
        entries
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ThenBy(e => e.FullyQualifiedName, StringComparer.Ordinal)
            .GroupBy(e => e.Id, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToEquatableArray();
}
