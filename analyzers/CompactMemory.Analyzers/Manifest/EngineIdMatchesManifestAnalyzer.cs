using System;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Manifest;

/// <summary>
/// CM0001: the id in <c>[CompressionEngine("id")]</c> differs from the manifest's engine_id. Reported at the attribute's
/// id argument, with the manifest line as an additional location. Projects without a hand-written manifest are skipped:
/// the generator then writes the manifest from the attribute, so the two cannot disagree.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EngineIdMatchesManifestAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.EngineIdDiffersFromManifest);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(Start);
    }

    private static void Start(CompilationStartAnalysisContext context)
    {
        try
        {
            if (EngineSymbols.From(context.Compilation) is not { } symbols
                || ManifestDocument.Find(context.Options, context.CancellationToken) is not { Manifest.EngineId: { } manifestId } document)
            {
                return;
            }

            // When the manifest names an existing engine class, only that class must match; otherwise every engine must.
            var named = document.Manifest.EngineClassName is { } className ? context.Compilation.GetTypeByMetadataName(className) : null;
            if (named is not null && symbols.EngineAttributeOf(named) is null)
            {
                named = null;
            }

            context.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols, document, manifestId, named), SymbolKind.NamedType);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void Analyze(SymbolAnalysisContext context, EngineSymbols symbols, ManifestDocument document, string manifestId, INamedTypeSymbol? named)
    {
        try
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (symbols.EngineAttributeOf(type) is not { } attribute
                || (named is not null && !SymbolEqualityComparer.Default.Equals(named, type)))
            {
                return;
            }

            var (id, location) = EngineSymbols.IdOf(attribute, type, context.CancellationToken);
            if (id is not null && !string.Equals(id, manifestId, StringComparison.Ordinal))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.EngineIdDiffersFromManifest,
                    location,
                    new[] { document.FieldLocation(ManifestSchema.EngineId) },
                    id,
                    manifestId));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }
}
