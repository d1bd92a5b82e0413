using System;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Tools;

/// <summary>
/// CM0013 (a context engine with <c>[EngineTool]</c> methods is not partial, so the dispatch cannot be generated; at the
/// class name) and CM0017 (<c>[EngineTool]</c> on a method that is static, not public, or not in a context engine; at the
/// method name).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EngineToolPlacementAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.EngineWithToolsIsNotPartial,
        DiagnosticDescriptors.EngineToolOnInvalidMethod);

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
            if (EngineSymbols.From(context.Compilation) is { EngineToolAttribute: not null } symbols)
            {
                context.RegisterSymbolAction(symbolContext => AnalyzeMethod(symbolContext, symbols), SymbolKind.Method);
                context.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols), SymbolKind.NamedType);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, EngineSymbols symbols)
    {
        try
        {
            var method = (IMethodSymbol)context.Symbol;
            if (symbols.ToolAttributeOf(method) is null || method.ContainingType is not { } type)
            {
                return;
            }

            var reason = !symbols.IsContextEngine(type) ? "its class '" + type.Name + "' is not a context engine"
                : method.IsStatic ? "it is static"
                : method.DeclaredAccessibility != Accessibility.Public ? "it is not public"
                : null;
            if (reason is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EngineToolOnInvalidMethod, SyntaxLocations.Declaration(method), method.Name, reason));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void AnalyzeType(SymbolAnalysisContext context, EngineSymbols symbols)
    {
        try
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class || !symbols.IsContextEngine(type) || !HasTools(type, symbols) || PartialTypes.IsPartialWithContainers(type))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.EngineWithToolsIsNotPartial,
                SyntaxLocations.ClassIdentifier(type, symbols.EngineAttributeOf(type), context.CancellationToken),
                type.Name));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static bool HasTools(INamedTypeSymbol type, EngineSymbols symbols)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method && symbols.ToolAttributeOf(method) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
