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
using Microsoft.CodeAnalysis.Formatting;

namespace CompactMemory.Analyzers.CodeFixes.Engines;

/// <summary>
/// CM0010: gives the context engine every token counter it lacks, in one action per class. A counter that is only
/// implemented explicitly (<c>int IContextEngine.LastPromptTokens</c>) is made public, so the host and the interface
/// read the same storage; a counter that has no member of that name anywhere gets <c>public int X { get; set; }</c>.
/// A name already taken by a member of another shape is left to the author.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddTokenCountersCodeFix)), Shared]
public sealed class AddTokenCountersCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the fix: stable, so Fix All groups every instance.</summary>
    public const string EquivalenceKey = "CM0010.AddCounters";

    private const string ContextEngineInterface = "CompactMemory.Context.IContextEngine";

    /// <summary>The six counters, in the order the contract declares them.</summary>
    private static readonly ImmutableArray<string> CounterNames = ImmutableArray.Create(
        "LastPromptTokens", "LastCompletionTokens", "LastTotalTokens", "ThresholdTokens", "ContextLength", "CompressionCount");

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ContextEngineLacksTokenCounter);

    /// <inheritdoc />
    /// <remarks>Each class has one diagnostic per missing counter and one fix for all of them, so Fix All fixes each class once.</remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        try
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null || ClassAt(root, context.Span) is not { } declaration
                || Plan(declaration, model, context.CancellationToken) is not { Count: > 0 } plan)
            {
                return;
            }

            var title = plan.Count == 1
                ? $"Add the token counter '{plan[0].Name}' to '{declaration.Identifier.ValueText}'"
                : $"Add the {plan.Count} missing token counters to '{declaration.Identifier.ValueText}'";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => FixAsync(context.Document, [context.Span], cancellationToken), EquivalenceKey),
                context.Diagnostics);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Code fixes never throw: on odd input nothing is offered.
        }
    }

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        FixAsync(document, diagnostics.Select(d => d.Location.SourceSpan), context.CancellationToken)!;

    private static async Task<Document> FixAsync(Document document, IEnumerable<Microsoft.CodeAnalysis.Text.TextSpan> spans, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var plans = new Dictionary<ClassDeclarationSyntax, List<Counter>>();
        foreach (var span in spans)
        {
            if (ClassAt(root, span) is { } declaration && !plans.ContainsKey(declaration)
                && Plan(declaration, model, cancellationToken) is { Count: > 0 } plan)
            {
                plans.Add(declaration, plan);
            }
        }

        if (plans.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(plans.Keys, (original, rewritten) => Apply(rewritten, plans[original]));
        return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static ClassDeclarationSyntax? ClassAt(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span) =>
        root.FindToken(span.Start).Parent is ClassDeclarationSyntax declaration && declaration.Identifier.Span == span ? declaration : null;

    /// <summary>A missing counter: its name, and the explicit implementation to make public, if there is one.</summary>
    private sealed class Counter(string name, PropertyDeclarationSyntax? explicitImplementation)
    {
        public string Name { get; } = name;

        public PropertyDeclarationSyntax? ExplicitImplementation { get; } = explicitImplementation;
    }

    /// <summary>The counters the class lacks that can be added safely, in contract order; null when it is no context engine.</summary>
    private static List<Counter>? Plan(ClassDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(declaration, cancellationToken) is not { } type
            || model.Compilation.GetTypeByMetadataName(ContextEngineInterface) is not { } contract
            || !type.AllInterfaces.Contains(contract, SymbolEqualityComparer.Default))
        {
            return null;
        }

        var plan = new List<Counter>();
        foreach (var name in CounterNames)
        {
            if (HasMember(type, name))
            {
                continue; // present (then not ours to report) or a member of another shape: the author decides
            }

            // An explicit implementation in this declaration becomes the public counter; elsewhere, nothing to add safely.
            var explicitImplementation = declaration.Members.OfType<PropertyDeclarationSyntax>().FirstOrDefault(p =>
                p.ExplicitInterfaceSpecifier is not null && p.Identifier.ValueText == name
                && model.GetDeclaredSymbol(p, cancellationToken) is { } property
                && property.ExplicitInterfaceImplementations.Any(i => SymbolEqualityComparer.Default.Equals(i.ContainingType, contract)));
            if (explicitImplementation is null && HasExplicitImplementation(type, name))
            {
                continue;
            }

            plan.Add(new Counter(name, explicitImplementation));
        }

        return plan;
    }

    private static bool HasMember(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (!current.GetMembers(name).IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An explicit implementation of the counter in the class (another declaration of it) or a base class.</summary>
    private static bool HasExplicitImplementation(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers().OfType<IPropertySymbol>().Any(p => p.ExplicitInterfaceImplementations.Any(i => i.Name == name)))
            {
                return true;
            }
        }

        return false;
    }

    private static ClassDeclarationSyntax Apply(ClassDeclarationSyntax declaration, List<Counter> plan)
    {
        // Explicit implementations first (they are found by identity in the rewritten class), then the new properties.
        var explicitNames = new HashSet<string>(plan.Where(c => c.ExplicitImplementation is not null).Select(c => c.Name), StringComparer.Ordinal);
        var explicitNodes = declaration.Members.OfType<PropertyDeclarationSyntax>()
            .Where(p => p.ExplicitInterfaceSpecifier is not null && explicitNames.Contains(p.Identifier.ValueText)).ToList();
        declaration = declaration.ReplaceNodes(explicitNodes, (_, node) => MakePublic(node));

        var names = plan.Where(c => c.ExplicitImplementation is null).Select(c => c.Name).ToList();
        if (names.Count == 0)
        {
            return declaration;
        }

        // After the last property the class declares, else first.
        var members = declaration.Members;
        var index = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is PropertyDeclarationSyntax)
            {
                index = i + 1;
            }
        }

        // Laid out like the neighbouring member (its indentation and line break); the formatter only when there is none.
        var neighbour = members.Count == 0 ? null : members[index > 0 ? index - 1 : 0];
        var lineBreak = neighbour?.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ?? default;
        var added = names.Select(name => lineBreak.IsKind(SyntaxKind.EndOfLineTrivia)
            ? (MemberDeclarationSyntax)NewCounter(name).NormalizeWhitespace().WithLeadingTrivia(IndentationOf(neighbour!)).WithTrailingTrivia(lineBreak)
            : NewCounter(name).WithAdditionalAnnotations(Formatter.Annotation));
        return declaration.WithMembers(members.InsertRange(index, added));
    }

    /// <summary>The whitespace that starts the member's line (its leading trivia after the last line break).</summary>
    private static SyntaxTriviaList IndentationOf(SyntaxNode member)
    {
        var leading = member.GetLeadingTrivia();
        var start = 0;
        for (var i = 0; i < leading.Count; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                start = i + 1;
            }
        }

        return SyntaxFactory.TriviaList(leading.Skip(start).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
    }

    /// <summary><c>int IContextEngine.X { … }</c> becomes <c>public int X { … }</c>, keeping the trivia.</summary>
    private static PropertyDeclarationSyntax MakePublic(PropertyDeclarationSyntax property)
    {
        var type = property.Type;
        var publicKeyword = SyntaxFactory.Token(type.GetLeadingTrivia(), SyntaxKind.PublicKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return property
            .WithExplicitInterfaceSpecifier(null)
            .WithIdentifier(property.Identifier.WithLeadingTrivia(property.ExplicitInterfaceSpecifier!.GetLeadingTrivia()))
            .WithType(type.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(publicKeyword));
    }

    private static PropertyDeclarationSyntax NewCounter(string name) =>
        SyntaxFactory.PropertyDeclaration(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.IntKeyword)), SyntaxFactory.Identifier(name))
            .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PublicKeyword)))
            .WithAccessorList(SyntaxFactory.AccessorList(SyntaxFactory.List(new[]
            {
                SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)),
                SyntaxFactory.AccessorDeclaration(SyntaxKind.SetAccessorDeclaration).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)),
            })));
}
