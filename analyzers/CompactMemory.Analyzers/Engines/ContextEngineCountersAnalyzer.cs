using System;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Engines;

/// <summary>
/// CM0010: a class implementing <c>IContextEngine</c> must expose each of the six token counters as a public, readable,
/// instance <c>int</c> property with the canonical name (an explicit interface implementation does not count: the host
/// reads the counters by name). Reported at the class's identifier, once per missing counter.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContextEngineCountersAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The six counters, in the order the contract declares them.</summary>
    internal static readonly ImmutableArray<string> CounterNames = ImmutableArray.Create(
        "LastPromptTokens", "LastCompletionTokens", "LastTotalTokens", "ThresholdTokens", "ContextLength", "CompressionCount");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ContextEngineLacksTokenCounter);

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
            if (EngineSymbols.From(context.Compilation) is { IContextEngine: not null } symbols)
            {
                context.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols), SymbolKind.NamedType);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void Analyze(SymbolAnalysisContext context, EngineSymbols symbols)
    {
        try
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class || !symbols.IsContextEngine(type))
            {
                return;
            }

            Location? location = null;
            foreach (var counter in CounterNames)
            {
                if (!HasReadableIntProperty(type, counter))
                {
                    location ??= SyntaxLocations.ClassIdentifier(type, symbols.EngineAttributeOf(type), context.CancellationToken);
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContextEngineLacksTokenCounter, location, type.Name, counter));
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    /// <summary>The most derived property with the name decides, as it does for the host reading it by name.</summary>
    private static bool HasReadableIntProperty(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(name))
            {
                if (member is IPropertySymbol property)
                {
                    return property is { IsStatic: false, DeclaredAccessibility: Accessibility.Public, GetMethod.DeclaredAccessibility: Accessibility.Public }
                        && property.Type.SpecialType == SpecialType.System_Int32;
                }
            }
        }

        return false;
    }
}
