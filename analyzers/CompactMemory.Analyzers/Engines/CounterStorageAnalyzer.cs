using System;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Engines;

/// <summary>
/// CM0011 (at the property name): a context engine's own token counter that cannot hold a value — its getter returns a
/// constant, or its setter drops the value it is given. The host writes the counters (the prompt-token sentinels,
/// the window on a model switch) and the engine's own code updates them, so such a counter is never maintained
/// whatever <c>UpdateFromResponse</c> does.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CounterStorageAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> Counters = ImmutableHashSet.Create(
        StringComparer.Ordinal, "LastPromptTokens", "LastCompletionTokens", "LastTotalTokens", "ThresholdTokens", "ContextLength", "CompressionCount");

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
                context.RegisterSyntaxNodeAction(nodeContext => Analyze(nodeContext, symbols), SyntaxKind.PropertyDeclaration);
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
            var declaration = (PropertyDeclarationSyntax)context.Node;
            if (!Counters.Contains(declaration.Identifier.ValueText) || declaration.ExplicitInterfaceSpecifier is not null
                || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { IsStatic: false } property
                || property.ContainingType is not { } type || !symbols.IsContextEngine(type))
            {
                return;
            }

            var problem = Problem(declaration, context.SemanticModel, context.CancellationToken);
            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.TokenCounterNeverMaintained, declaration.Identifier.GetLocation(), type.Name, property.Name, problem));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    /// <summary>What keeps the counter from holding a value, with the fix; null when it can.</summary>
    private static string? Problem(PropertyDeclarationSyntax declaration, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        const string Fix = "make it an auto-property ({ get; set; }) or store and return the value";
        if (declaration.ExpressionBody is { } arrow)
        {
            return IsConstant(arrow.Expression, model, cancellationToken) ? "its getter returns a constant; " + Fix : null;
        }

        if (declaration.AccessorList is not { } accessors)
        {
            return null;
        }

        foreach (var accessor in accessors.Accessors)
        {
            if (accessor.IsKind(SyntaxKind.GetAccessorDeclaration) && ReturnsConstant(accessor, model, cancellationToken))
            {
                return "its getter returns a constant; " + Fix;
            }

            if ((accessor.IsKind(SyntaxKind.SetAccessorDeclaration) || accessor.IsKind(SyntaxKind.InitAccessorDeclaration))
                && (accessor.Body is not null || accessor.ExpressionBody is not null) && !UsesValue(accessor))
            {
                return "its setter drops the value; " + Fix;
            }
        }

        return null;
    }

    private static bool ReturnsConstant(AccessorDeclarationSyntax getter, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        if (getter.ExpressionBody is { } arrow)
        {
            return IsConstant(arrow.Expression, model, cancellationToken);
        }

        return getter.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } value }
            && IsConstant(value, model, cancellationToken);
    }

    private static bool IsConstant(ExpressionSyntax expression, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        model.GetConstantValue(expression, cancellationToken).HasValue;

    private static bool UsesValue(AccessorDeclarationSyntax setter)
    {
        SyntaxNode? body = setter.Body ?? (SyntaxNode?)setter.ExpressionBody;
        if (body is null)
        {
            return true;
        }

        foreach (var node in body.DescendantNodes())
        {
            if (node is IdentifierNameSyntax { Identifier.ValueText: "value" })
            {
                return true;
            }
        }

        return false;
    }
}
