using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Analyzers.CodeFixes.Tools;

/// <summary>
/// CM0016: adds <c>[Description("TODO: …")]</c> (<c>System.ComponentModel.DescriptionAttribute</c>) to the undescribed
/// tool method, on a line of its own after its other attributes, or before the undescribed parameter, and adds
/// <c>using System.ComponentModel;</c> when the name is not already in scope. <c>[Description]</c> is what both the
/// analyzer and the generator read when <c>[EngineTool(Description = …)]</c> is absent or blank; the placeholder says
/// "TODO" so the author knows to write the real text.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddToolDescriptionCodeFix)), Shared]
public sealed class AddToolDescriptionCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the fix: stable, so Fix All groups every instance.</summary>
    public const string EquivalenceKey = "CM0016.AddDescription";

    /// <summary>The text of the added description for a tool, where <c>{0}</c> is the method name.</summary>
    public const string ToolPlaceholder = "TODO: describe what {0} does and when to call it.";

    /// <summary>The text of the added description for a parameter, where <c>{0}</c> is the parameter name.</summary>
    public const string ParameterPlaceholder = "TODO: describe {0}.";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ToolDescriptionMissing);

    /// <inheritdoc />
    /// <remarks>One pass per document, so the using directive is added once however many descriptions are.</remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        try
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || Target(root, context.Span) is not { } target)
            {
                return;
            }

            var title = target is MethodDeclarationSyntax method
                ? $"Add [Description] to tool method '{method.Identifier.ValueText}'"
                : $"Add [Description] to parameter '{((ParameterSyntax)target).Identifier.ValueText}'";
            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => FixAsync(context.Document, [context.Span], cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Code fixes never throw: on odd input nothing is offered.
        }
    }

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        FixAsync(document, diagnostics.Select(d => d.Location.SourceSpan), context.CancellationToken)!;

    /// <summary>The tool method or parameter whose name is at the span, when an attribute can be added to it.</summary>
    private static SyntaxNode? Target(SyntaxNode root, TextSpan span) =>
        root.FindToken(span.Start) is var token && token.Span == span
            ? token.Parent switch
            {
                MethodDeclarationSyntax method when method.AttributeLists.Count > 0 => method,
                ParameterSyntax parameter when parameter.Parent is ParameterListSyntax { Parent: MethodDeclarationSyntax } => parameter,
                _ => null,
            }
            : null;

    private static async Task<Document> FixAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var targets = spans.Select(span => Target(root, span)).OfType<SyntaxNode>().Distinct().ToList();
        if (targets.Count == 0)
        {
            return document;
        }

        // A parameter may sit inside a method that is fixed too: the method is rewritten around the fixed parameter.
        var newRoot = root.ReplaceNodes(targets, (_, rewritten) => rewritten switch
        {
            MethodDeclarationSyntax method => AddToMethod(method),
            ParameterSyntax parameter => AddToParameter(parameter),
            _ => rewritten,
        });
        var changed = document.WithSyntaxRoot(newRoot);
        changed = await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>[System.ComponentModel.Description("…")]</c>, marked so the namespace is imported and the name simplified.</summary>
    private static AttributeListSyntax Description(string text)
    {
        var name = SyntaxFactory.ParseName("System.ComponentModel.Description").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var argument = SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(text)));
        return SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(name, SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(argument)))));
    }

    /// <summary>The attribute goes on its own line after the method's last attribute, indented like the line that follows.</summary>
    private static MethodDeclarationSyntax AddToMethod(MethodDeclarationSyntax method)
    {
        var last = method.AttributeLists[method.AttributeLists.Count - 1];
        var next = last.GetLastToken().GetNextToken();
        var indentation = SyntaxFactory.TriviaList(next.LeadingTrivia.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
        var lineEnd = last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia))
            ? last.GetTrailingTrivia()
            : SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine("\n"));
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, ToolPlaceholder, method.Identifier.ValueText);
        var added = Description(text).WithLeadingTrivia(indentation).WithTrailingTrivia(lineEnd);
        return method.WithAttributeLists(method.AttributeLists.Add(added));
    }

    /// <summary>The attribute goes right before the parameter's other tokens, or last in its last attribute list.</summary>
    private static ParameterSyntax AddToParameter(ParameterSyntax parameter)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, ParameterPlaceholder, parameter.Identifier.ValueText);
        var added = Description(text).WithTrailingTrivia(SyntaxFactory.Space);
        if (parameter.AttributeLists.Count == 0)
        {
            var leading = parameter.GetLeadingTrivia();
            return parameter.WithoutLeadingTrivia().WithAttributeLists(SyntaxFactory.SingletonList(added.WithLeadingTrivia(leading)));
        }

        // Joins the last list ([NotNull, Description("…")]): a second list would lose the space between "][" to formatting.
        var last = parameter.AttributeLists[parameter.AttributeLists.Count - 1];
        return parameter.WithAttributeLists(parameter.AttributeLists.Replace(last, last.AddAttributes(added.Attributes[0])));
    }
}
