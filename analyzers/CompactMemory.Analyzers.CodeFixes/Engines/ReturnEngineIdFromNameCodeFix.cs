using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompactMemory.Analyzers.CodeFixes.Engines;

/// <summary>
/// CM0012: makes the context engine's <c>Name</c> return its <c>[CompressionEngine]</c> id, replacing the returned
/// constant expression (a literal or a <c>const</c>) with the id as a string literal. The contract has no member that
/// exposes the id, so the literal is the one expression that is right on every target.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReturnEngineIdFromNameCodeFix)), Shared]
public sealed class ReturnEngineIdFromNameCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the fix: stable, so Fix All groups every instance.</summary>
    public const string EquivalenceKey = "CM0012.ReturnId";

    private const string EngineAttribute = "CompactMemory.CompressionEngineAttribute";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ContextEngineNameDiffersFromId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        try
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindToken(context.Span.Start).Parent is not PropertyDeclarationSyntax { Identifier.ValueText: "Name" } property
                || model is null
                || PropertyGetters.ReturnedExpression(property) is not { } returned
                || model.GetDeclaredSymbol(property, context.CancellationToken)?.ContainingType is not { } type
                || IdOf(type, model.Compilation) is not { } id)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Return the engine id \"{id}\" from Name",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(returned, Literal(id).WithTriviaFrom(returned)))),
                        EquivalenceKey),
                    diagnostic);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Code fixes never throw: on odd input nothing is offered.
        }
    }

    private static LiteralExpressionSyntax Literal(string id) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(id));

    /// <summary>The id of the type's <c>[CompressionEngine]</c>, as the analyzer reads it; null when there is none.</summary>
    private static string? IdOf(INamedTypeSymbol type, Compilation compilation)
    {
        var attributeType = compilation.GetTypeByMetadataName(EngineAttribute);
        var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        return attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0].Value is string id ? id : null;
    }
}
