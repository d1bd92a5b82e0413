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

namespace CompactMemory.Analyzers.CodeFixes.Engines;

/// <summary>CM0013: adds <c>partial</c> to every declaration of the engine, so the tool dispatch can be generated.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeEnginePartialCodeFix)), Shared]
public sealed class MakeEnginePartialCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the fix: stable, so Fix All groups every instance.</summary>
    public const string EquivalenceKey = "CM0013.AddPartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.EngineWithToolsIsNotPartial);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent?.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{declaration.Identifier.ValueText}' partial",
                    cancellationToken => AddPartialAsync(context.Document, declaration, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Solution> AddPartialAsync(Document document, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return solution;
        }

        // Every declaration must say partial, including those in other files; group them by document.
        foreach (var group in type.DeclaringSyntaxReferences.GroupBy(reference => reference.SyntaxTree))
        {
            var target = solution.GetDocument(group.Key);
            if (target is null)
            {
                continue;
            }

            var targetRoot = await group.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            var nodes = group.Select(reference => reference.GetSyntax(cancellationToken)).OfType<ClassDeclarationSyntax>()
                .Where(node => !node.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
            var newRoot = targetRoot.ReplaceNodes(nodes, (_, node) => AddPartial(node));
            solution = solution.WithDocumentSyntaxRoot(target.Id, newRoot);
        }

        return solution;
    }

    /// <summary><c>partial</c> goes last among the modifiers, right before <c>class</c>, keeping the trivia.</summary>
    private static ClassDeclarationSyntax AddPartial(ClassDeclarationSyntax node)
    {
        if (node.Modifiers.Count == 0)
        {
            var partial = SyntaxFactory.Token(node.Keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return node.WithKeyword(node.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return node.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
    }
}
