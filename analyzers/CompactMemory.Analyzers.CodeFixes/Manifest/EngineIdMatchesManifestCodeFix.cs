using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompactMemory.Analyzers.CodeFixes.Manifest;

/// <summary>
/// CM0001: the attribute's id and the manifest's engine_id differ. Offers both directions: write the manifest's id into
/// <c>[CompressionEngine("...")]</c>, or write the attribute's id into engine_id. The analyzer reports at the attribute's
/// argument; a diagnostic placed in engine_package.yaml is handled too, finding the attributed class in the compilation.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EngineIdMatchesManifestCodeFix)), Shared]
public sealed class EngineIdMatchesManifestCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of "use the manifest's id in the attribute".</summary>
    public const string UseManifestIdKey = "CM0001.UseManifestId";

    /// <summary>The equivalence key of "set engine_id to the attribute's id".</summary>
    public const string UpdateManifestKey = "CM0001.UpdateManifest";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.EngineIdDiffersFromManifest);

    /// <inheritdoc />
    /// <remarks>
    /// Fix All is offered for the attribute edit only (a C# document change the batch fixer can merge, e.g. across the
    /// projects of a solution); the manifest edit changes an additional document, which the batch fixer drops, and a
    /// project has one manifest, so there is nothing to batch.
    /// </remarks>
    public override FixAllProvider GetFixAllProvider() => AttributeOnlyFixAll.Instance;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        try
        {
            var project = context.TextDocument.Project;
            if (ManifestText.Find(project) is not { } manifestDocument
                || await ProjectFacts.ReadAsync(project, context.CancellationToken).ConfigureAwait(false) is not { } facts)
            {
                return;
            }

            var manifestText = await manifestDocument.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            var manifestId = ManifestText.Read(manifestText).Manifest.EngineId;
            if (manifestId is null || await FindAttributeIdAsync(context, facts, manifestId).ConfigureAwait(false) is not { } found)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (found.Literal is { } literal && context.TextDocument.Project.GetDocument(literal.SyntaxTree) is { } document)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Use the manifest's engine id '{manifestId}' in [CompressionEngine]",
                            cancellationToken => UseManifestIdAsync(document, literal, manifestId, cancellationToken),
                            UseManifestIdKey),
                        diagnostic);
                }

                if (ManifestText.SetString(manifestText, ManifestSchema.EngineId, found.Id) is { } changed)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Set engine_id in engine_package.yaml to '{found.Id}'",
                            _ => Task.FromResult(project.Solution.WithAdditionalDocumentText(manifestDocument.Id, changed)),
                            UpdateManifestKey),
                        diagnostic);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Code fixes never throw: on input they cannot handle they offer nothing.
        }
    }

    /// <summary>The attribute's id, and its string literal when the id is written as one (a constant is not rewritten).</summary>
    private static async Task<(string Id, LiteralExpressionSyntax? Literal)?> FindAttributeIdAsync(CodeFixContext context, ProjectFacts facts, string manifestId)
    {
        if (context.TextDocument is Document document
            && await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is { } root
            && root.FindNode(context.Span, getInnermostNodeForTie: true) is { } node
            && node.FirstAncestorOrSelf<AttributeSyntax>() is { } attribute)
        {
            var expression = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null && a.NameColon is null)?.Expression;
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (expression is null || model?.GetConstantValue(expression, context.CancellationToken) is not { HasValue: true, Value: string id })
            {
                return null;
            }

            return (id, expression as LiteralExpressionSyntax);
        }

        // Reported in the manifest: the engine the manifest means, if its id differs.
        if (context.TextDocument is Document || await ManifestEngineAsync(context, facts).ConfigureAwait(false) is not { Id: { } engineId } engine || engineId == manifestId)
        {
            return null;
        }

        var syntax = engine.Attribute.ApplicationSyntaxReference is { } reference ? await reference.GetSyntaxAsync(context.CancellationToken).ConfigureAwait(false) : null;
        var literal = (syntax as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null && a.NameColon is null)?.Expression as LiteralExpressionSyntax;
        return (engineId, literal);
    }

    private static async Task<EngineClass?> ManifestEngineAsync(CodeFixContext context, ProjectFacts facts)
    {
        var text = await context.TextDocument.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        return facts.EngineFor(ManifestText.Read(text).Manifest);
    }

    private static async Task<Document> UseManifestIdAsync(Document document, LiteralExpressionSyntax literal, string id, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || !root.Contains(literal))
        {
            return document;
        }

        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(id)).WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }

    /// <summary>Fix All for <see cref="UseManifestIdKey"/> only, through the batch fixer.</summary>
    private sealed class AttributeOnlyFixAll : FixAllProvider
    {
        public static readonly AttributeOnlyFixAll Instance = new();

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) =>
            fixAllContext.CodeActionEquivalenceKey == UseManifestIdKey
                ? WellKnownFixAllProviders.BatchFixer.GetFixAsync(fixAllContext)
                : Task.FromResult<CodeAction?>(null);
    }
}
