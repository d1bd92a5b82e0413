using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Engines;

/// <summary>
/// CM0011 (at the method name): an <c>UpdateFromResponse</c> of a context engine that neither calls the base method nor
/// assigns <c>LastPromptTokens</c>, <c>LastCompletionTokens</c> and <c>LastTotalTokens</c>; a <c>CompressAsync</c>
/// that neither calls the base method nor changes <c>CompressionCount</c>. The host reads these counters to decide when
/// to compact, so an engine that never updates them compacts too late or never.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CounterMaintenanceAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] UsageCounters = { "LastPromptTokens", "LastCompletionTokens", "LastTotalTokens" };
    private static readonly string[] CompressionCounters = { "CompressionCount" };

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.TokenCounterNeverMaintained);

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
                context.RegisterSyntaxNodeAction(nodeContext => Analyze(nodeContext, symbols), SyntaxKind.MethodDeclaration);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, EngineSymbols symbols)
    {
        try
        {
            var declaration = (MethodDeclarationSyntax)context.Node;
            var name = declaration.Identifier.ValueText;
            var counters = name switch
            {
                "UpdateFromResponse" => UsageCounters,
                "CompressAsync" => CompressionCounters,
                _ => null,
            };
            SyntaxNode? body = declaration.Body ?? (SyntaxNode?)declaration.ExpressionBody;
            if (counters is null || body is null
                || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { IsStatic: false } method
                || method.ContainingType is not { } type || !symbols.IsContextEngine(type)
                || !IsContractMember(method, symbols))
            {
                return;
            }

            var maintained = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in body.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } access }
                        when access.Name.Identifier.ValueText == name:
                        return; // the base method maintains the counters
                    case AssignmentExpressionSyntax assignment:
                        AddCounter(assignment.Left, maintained, context);
                        break;
                    case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression):
                        AddCounter(postfix.Operand, maintained, context);
                        break;
                    case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression):
                        AddCounter(prefix.Operand, maintained, context);
                        break;
                }
            }

            var missing = new List<string>();
            foreach (var counter in counters)
            {
                if (!maintained.Contains(counter))
                {
                    missing.Add(counter);
                }
            }

            if (missing.Count > 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.TokenCounterNeverMaintained, declaration.Identifier.GetLocation(), type.Name, string.Join(", ", missing), "call the base method or assign the counter"));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    /// <summary>An override of the contract's method, or the implementation of the interface member.</summary>
    private static bool IsContractMember(IMethodSymbol method, EngineSymbols symbols)
    {
        if (method.IsOverride)
        {
            return true;
        }

        foreach (var member in symbols.IContextEngine!.GetMembers(method.Name))
        {
            if (member is IMethodSymbol contract
                && method.ContainingType.FindImplementationForInterfaceMember(contract) is { } implementation
                && SymbolEqualityComparer.Default.Equals(implementation, method))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddCounter(ExpressionSyntax target, HashSet<string> maintained, SyntaxNodeAnalysisContext context)
    {
        if (context.SemanticModel.GetSymbolInfo(target, context.CancellationToken).Symbol is IPropertySymbol property)
        {
            maintained.Add(property.Name);
        }
    }
}
