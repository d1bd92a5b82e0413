using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using System.Threading;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Tools;

/// <summary>
/// CM0015 (a tool name outside <c>^[a-zA-Z0-9_-]{1,64}$</c>, or used by an earlier tool of the same engine; at the name
/// argument) and CM0016 (a tool or one of its parameters has no description from <c>[Description]</c>,
/// <c>[EngineTool(Description = …)]</c> or an XML doc comment; at the method or parameter name). Like the generator,
/// the first declared method keeps a duplicated name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ToolDescriptionAnalyzer : DiagnosticAnalyzer
{
    private const string DescriptionAttribute = "System.ComponentModel.DescriptionAttribute";
    private static readonly Regex ValidName = new("^[a-zA-Z0-9_-]{1,64}$", RegexOptions.CultureInvariant);
    private static readonly Regex Summary = new(@"<summary>\s*(?<text>.*?)\s*</summary>", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex Param = new("<param name=\"(?<name>[^\"]*)\">\\s*(?<text>.*?)\\s*</param>", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ToolNameInvalidOrDuplicate,
        DiagnosticDescriptors.ToolDescriptionMissing);

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
                context.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols), SymbolKind.NamedType);
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
            if (type.TypeKind != TypeKind.Class || !symbols.IsContextEngine(type))
            {
                return;
            }

            var used = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol method || symbols.ToolAttributeOf(method) is not { } attribute)
                {
                    continue;
                }

                var name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                var problem = name is null || !ValidName.IsMatch(name) ? "is not a valid tool name"
                    : used.TryGetValue(name, out var first) ? "is already used by method '" + first + "'"
                    : null;
                if (problem is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ToolNameInvalidOrDuplicate, NameArgument(attribute, method, context.CancellationToken), name ?? string.Empty, problem));
                    continue;
                }

                used[name!] = method.Name;
                if (!method.IsStatic && method.DeclaredAccessibility == Accessibility.Public)
                {
                    ReportMissingDescriptions(context, method, attribute, name!);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void ReportMissingDescriptions(SymbolAnalysisContext context, IMethodSymbol method, AttributeData attribute, string toolName)
    {
        var documentation = Documentation(method, context.CancellationToken);
        var described = HasNamedDescription(attribute) || HasDescription(method) || (Summary.Match(documentation) is { Success: true } summary && summary.Groups["text"].Value.Length > 0);
        if (!described)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ToolDescriptionMissing, SyntaxLocations.Declaration(method), "Tool '" + toolName + "'"));
        }

        var documentedParameters = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match param in Param.Matches(documentation))
        {
            if (param.Groups["text"].Value.Length > 0)
            {
                documentedParameters.Add(param.Groups["name"].Value);
            }
        }

        foreach (var parameter in method.Parameters)
        {
            var typeName = parameter.Type.ToDisplayString();
            if (typeName is "System.Threading.CancellationToken" or "CompactMemory.Context.ToolCallContext" or "CompactMemory.Context.ToolCallContext?")
            {
                continue;
            }

            if (!HasDescription(parameter) && !HasDescription(parameter.Type) && !documentedParameters.Contains(parameter.Name))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ToolDescriptionMissing, SyntaxLocations.Declaration(parameter), "Parameter '" + parameter.Name + "' of tool '" + toolName + "'"));
            }
        }
    }

    private static bool HasNamedDescription(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Description" && argument.Value.Value is string text && text.Trim().Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDescription(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == DescriptionAttribute
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string text
                && text.Trim().Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The method's documentation XML; when the project does not parse doc comments, the raw <c>///</c> text.</summary>
    private static string Documentation(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var xml = method.GetDocumentationCommentXml(cancellationToken: cancellationToken);
        if (!string.IsNullOrWhiteSpace(xml))
        {
            return xml!;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            return reference.GetSyntax(cancellationToken).GetLeadingTrivia().ToFullString();
        }

        return string.Empty;
    }

    private static Location NameArgument(AttributeData attribute, IMethodSymbol method, CancellationToken cancellationToken) =>
        SyntaxLocations.AttributeArgument(attribute, 0, cancellationToken) ?? SyntaxLocations.Declaration(method);
}
