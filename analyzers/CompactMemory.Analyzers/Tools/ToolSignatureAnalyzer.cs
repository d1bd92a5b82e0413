using System;
using System.Collections.Immutable;
using System.Threading;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using CompactMemory.Generators.Tools;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Tools;

/// <summary>
/// CM0014: a tool parameter or result type cannot be described as a JSON schema. The signature is read by the
/// generator's own <see cref="ToolSignature"/> (linked source), so this rule fires exactly for the tools the generator
/// leaves without schema and dispatch, with its reason; at the parameter's type or the method's return type.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ToolSignatureAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ToolTypeHasNoJsonSchema);

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

            // Static, non-public and misplaced tools are CM0017's; only a method the generator would describe is read.
            if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.DeclaredAccessibility != Accessibility.Public
                || symbols.ToolAttributeOf(method) is not { } attribute || method.ContainingType is not { } engine || !symbols.IsContextEngine(engine))
            {
                return;
            }

            var reader = new ToolTypeReader(context.Compilation, engine, resultsOnly: false, context.CancellationToken);
            var resultReader = new ToolTypeReader(context.Compilation, engine, resultsOnly: true, context.CancellationToken);
            if (ToolSignature.Read(method, reader, resultReader, context.CancellationToken).Problem is not { } problem)
            {
                return;
            }

            var toolName = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string name && name.Length > 0 ? name : method.Name;
            var where = problem.Parameter is { } parameter ? $"parameter '{parameter.Name}' of tool '{toolName}'"
                : $"tool '{toolName}'";
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ToolTypeHasNoJsonSchema,
                Location(method, problem.Parameter, context.CancellationToken),
                problem.TypeName,
                where,
                problem.Reason,
                ToolSignature.SupportedTypes));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    /// <summary>The parameter's type, else the method's return type, else the method name.</summary>
    private static Location Location(IMethodSymbol method, IParameterSymbol? parameter, CancellationToken cancellationToken)
    {
        if (parameter is not null)
        {
            foreach (var reference in parameter.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } type })
                {
                    return type.GetLocation();
                }
            }

            return SyntaxLocations.Declaration(parameter);
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return method.IsGenericMethod && declaration.TypeParameterList is { } typeParameters
                    ? typeParameters.GetLocation()
                    : declaration.ReturnType.GetLocation();
            }
        }

        return SyntaxLocations.Declaration(method);
    }
}
