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
/// CM0012: a context engine's <c>Name</c> returns a constant different from its <c>[CompressionEngine]</c> id. Only
/// constants are judged (an expression-bodied property, a getter returning one expression); reported at the property name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContextEngineNameAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ContextEngineNameDiffersFromId);

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
            if (declaration.Identifier.ValueText != "Name"
                || PropertyGetters.ReturnedExpression(declaration) is not { } returned
                || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { IsStatic: false, ContainingType: { } type }
                || !symbols.IsContextEngine(type)
                || symbols.EngineAttributeOf(type) is not { } attribute
                || attribute.ConstructorArguments.Length != 1
                || attribute.ConstructorArguments[0].Value is not string id)
            {
                return;
            }

            var constant = context.SemanticModel.GetConstantValue(returned, context.CancellationToken);
            if (constant.HasValue && constant.Value is string name && !string.Equals(name, id, StringComparison.Ordinal))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContextEngineNameDiffersFromId, declaration.Identifier.GetLocation(), type.Name, name, id));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }
}
