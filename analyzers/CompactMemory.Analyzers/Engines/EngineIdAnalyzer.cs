using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Engines;

/// <summary>
/// CM0006 (the attribute's id is empty, has whitespace — error — or is not lowercase snake_case/kebab-case — warning) and
/// CM0007 (two engines of the compilation share an id), reported at the attribute's id argument. The id rules are the
/// shared <see cref="EngineIdRules"/> the manifest reader and the registry use.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EngineIdAnalyzer : DiagnosticAnalyzer
{
    private const string ManifestFieldName = "engine_id";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.EngineIdMalformed,
        DiagnosticDescriptors.DuplicateEngineId);

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
            if (EngineSymbols.From(context.Compilation) is not { } symbols)
            {
                return;
            }

            var engines = new ConcurrentQueue<(string Id, string ClassName, Location Location)>();
            context.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols, engines), SymbolKind.NamedType);
            context.RegisterCompilationEndAction(endContext => ReportDuplicates(endContext, engines));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void Analyze(SymbolAnalysisContext context, EngineSymbols symbols, ConcurrentQueue<(string Id, string ClassName, Location Location)> engines)
    {
        try
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (symbols.EngineAttributeOf(type) is not { } attribute)
            {
                return;
            }

            var (id, location) = EngineSymbols.IdOf(attribute, type, context.CancellationToken);
            if (id is null)
            {
                return;
            }

            if (EngineIdRules.Check(id) is { } problem)
            {
                var message = problem.Message.StartsWith(ManifestFieldName, StringComparison.Ordinal)
                    ? "[CompressionEngine] id" + problem.Message.Substring(ManifestFieldName.Length)
                    : problem.Message;
                context.ReportDiagnostic(problem.Severity == ManifestSeverity.Error
                    ? Diagnostic.Create(DiagnosticDescriptors.EngineIdMalformed, location, message)
                    : Diagnostic.Create(DiagnosticDescriptors.EngineIdMalformed, location, DiagnosticSeverity.Warning, null, null, message));
            }

            if (id.Trim().Length > 0)
            {
                engines.Enqueue((id, type.ToDisplayString(), location));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentQueue<(string Id, string ClassName, Location Location)> engines)
    {
        try
        {
            var byId = new Dictionary<string, List<(string ClassName, Location Location)>>(StringComparer.Ordinal);
            foreach (var (id, className, location) in engines)
            {
                if (!byId.TryGetValue(id, out var list))
                {
                    byId[id] = list = new List<(string, Location)>();
                }

                list.Add((className, location));
            }

            foreach (var pair in byId)
            {
                if (pair.Value.Count < 2)
                {
                    continue;
                }

                foreach (var (className, location) in pair.Value)
                {
                    var others = new List<string>();
                    foreach (var (other, _) in pair.Value)
                    {
                        if (!ReferenceEquals(other, className) && !others.Contains(other))
                        {
                            others.Add(other);
                        }
                    }

                    others.Sort(StringComparer.Ordinal);
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateEngineId, location, pair.Key, string.Join("', '", others)));
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }
}
