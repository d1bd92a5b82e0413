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
/// CM0011: makes the engine maintain its token counters.
/// <list type="bullet">
/// <item>An <c>UpdateFromResponse</c> override whose base is not abstract gets <c>base.UpdateFromResponse(usage)</c> as its
/// first statement; an implementation with no base to call assigns the missing counters from its <c>TokenUsage</c>
/// parameter, as the base does.</item>
/// <item>A <c>CompressAsync</c> counts the compaction: <c>CompressionCount++;</c> before each of its returns (calling
/// <c>base.CompressAsync</c> instead would run <c>CompressCoreAsync</c> a second time). Not offered when a return is an
/// embedded statement (<c>if (…) return …;</c> without braces) or there is no return at all.</item>
/// <item>A counter whose getter returns a constant or whose setter is empty becomes an auto-property, when those
/// accessors hold nothing else and the property hides no inherited member (a redeclared <c>ContextEngine</c> counter
/// would get storage of its own that the base never writes). Setters that do something, but not with the value, are
/// left to the author.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MaintainTokenCountersCodeFix)), Shared]
public sealed class MaintainTokenCountersCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the base call added to an <c>UpdateFromResponse</c> override.</summary>
    public const string CallBaseKey = "CM0011.CallBase";

    /// <summary>The equivalence key of the counter assignments added to an <c>UpdateFromResponse</c> with no base to call.</summary>
    public const string AssignCountersKey = "CM0011.AssignCounters";

    /// <summary>The equivalence key of the <c>CompressionCount++</c> added to a <c>CompressAsync</c>.</summary>
    public const string CountCompressionKey = "CM0011.CountCompression";

    /// <summary>The equivalence key of turning a counter that cannot hold a value into an auto-property.</summary>
    public const string MakeAutoPropertyKey = "CM0011.MakeAutoProperty";

    private const string TokenUsageType = "CompactMemory.Context.TokenUsage";

    /// <summary>The usage counters and the <c>TokenUsage</c> property each is assigned from.</summary>
    private static readonly ImmutableArray<(string Counter, string Usage)> UsageCounters = ImmutableArray.Create(
        ("LastPromptTokens", "PromptTokens"), ("LastCompletionTokens", "CompletionTokens"), ("LastTotalTokens", "TotalTokens"));

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TokenCounterNeverMaintained);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        try
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            var token = root.FindToken(context.Span.Start);
            if (token.Span != context.Span)
            {
                return;
            }

            var fix = token.Parent switch
            {
                MethodDeclarationSyntax { Identifier.ValueText: "UpdateFromResponse" } method => UpdateFromResponseFix(method, model, context.CancellationToken),
                MethodDeclarationSyntax { Identifier.ValueText: "CompressAsync" } method => CompressAsyncFix(method),
                PropertyDeclarationSyntax property => AutoPropertyFix(property, model, context.CancellationToken),
                _ => null,
            };
            if (fix is not { } found)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(found.Title, cancellationToken => ApplyAsync(context.Document, root, token.Parent!, found.Replacement, cancellationToken), found.Key),
                    diagnostic);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Code fixes never throw: on odd input nothing is offered.
        }
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SyntaxNode node, SyntaxNode replacement, CancellationToken cancellationToken)
    {
        var changed = document.WithSyntaxRoot(root.ReplaceNode(node, replacement));
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A fix found for the node: its title, equivalence key and the node that replaces it.</summary>
    private readonly struct Fix(string title, string key, SyntaxNode replacement)
    {
        public string Title { get; } = title;

        public string Key { get; } = key;

        public SyntaxNode Replacement { get; } = replacement;
    }

    private static Fix? UpdateFromResponseFix(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(method, cancellationToken) is not { IsStatic: false } symbol
            || symbol.Parameters.Length != 1 || method.ParameterList.Parameters.Count != 1
            || !symbol.ReturnsVoid || symbol.IsAbstract || symbol.IsExtern)
        {
            return null;
        }

        var parameter = SyntaxFactory.IdentifierName(method.ParameterList.Parameters[0].Identifier.WithoutTrivia());
        if (symbol.IsOverride && symbol.OverriddenMethod is { IsAbstract: false })
        {
            var call = SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.BaseExpression(), SyntaxFactory.IdentifierName("UpdateFromResponse")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(parameter)))));
            return WithFirstStatements(method, [call]) is { } withCall
                ? new Fix("Call base.UpdateFromResponse(" + parameter.Identifier.ValueText + ")", CallBaseKey, withCall)
                : null;
        }

        // No base to call: assign what the base would, for the counters the method leaves alone.
        if (symbol.Parameters[0].Type.ToDisplayString() != TokenUsageType || symbol.ContainingType is not { } type)
        {
            return null;
        }

        var assigned = AssignedProperties(method, model, cancellationToken);
        var statements = new List<StatementSyntax>();
        var names = new List<string>();
        foreach (var (counter, usage) in UsageCounters)
        {
            if (assigned.Contains(counter) || !type.GetMembers(counter).OfType<IPropertySymbol>().Any(p => p.SetMethod is not null))
            {
                continue;
            }

            names.Add(counter);
            statements.Add(SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName(counter),
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, parameter, SyntaxFactory.IdentifierName(usage)))));
        }

        return statements.Count > 0 && WithFirstStatements(method, statements) is { } withAssignments
            ? new Fix("Assign " + string.Join(", ", names) + " from '" + parameter.Identifier.ValueText + "'", AssignCountersKey, withAssignments)
            : null;
    }

    private static HashSet<string> AssignedProperties(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken)
    {
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assignment in method.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IPropertySymbol property)
            {
                assigned.Add(property.Name);
            }
        }

        return assigned;
    }

    /// <summary>The method with the statements first; an expression body of a void method becomes a block. Null when there is no body.</summary>
    private static MethodDeclarationSyntax? WithFirstStatements(MethodDeclarationSyntax method, IReadOnlyList<StatementSyntax> statements)
    {
        var annotated = statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
        if (method.Body is { } body)
        {
            return method.WithBody(body.WithStatements(body.Statements.InsertRange(0, annotated)));
        }

        if (method.ExpressionBody is { } arrow)
        {
            if (arrow.Expression is ThrowExpressionSyntax)
            {
                return null;
            }

            var existing = SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
            return ToBlock(method, annotated.Append(existing));
        }

        return null;
    }

    /// <summary>An expression-bodied method as a block body, formatted; the trivia after the old <c>;</c> stays after the <c>}</c>.</summary>
    private static MethodDeclarationSyntax ToBlock(MethodDeclarationSyntax method, IEnumerable<StatementSyntax> statements)
    {
        var trailing = method.SemicolonToken.TrailingTrivia;
        var block = SyntaxFactory.Block(statements).WithAdditionalAnnotations(Formatter.Annotation);
        var parameters = method.ParameterList.WithTrailingTrivia(method.ParameterList.GetTrailingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia)));
        return method
            .WithParameterList(parameters)
            .WithExpressionBody(null)
            .WithSemicolonToken(default)
            .WithBody(block.WithCloseBraceToken(block.CloseBraceToken.WithTrailingTrivia(trailing)))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static Fix? CompressAsyncFix(MethodDeclarationSyntax method)
    {
        var increment = SyntaxFactory.ExpressionStatement(
            SyntaxFactory.PostfixUnaryExpression(SyntaxKind.PostIncrementExpression, SyntaxFactory.IdentifierName("CompressionCount")));
        const string Title = "Count the compaction: CompressionCount++ before returning";
        if (method.ExpressionBody is { } arrow)
        {
            if (arrow.Expression is ThrowExpressionSyntax)
            {
                return null;
            }

            var returned = SyntaxFactory.ReturnStatement(arrow.Expression.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
            return new Fix(Title, CountCompressionKey, ToBlock(method, [increment.WithAdditionalAnnotations(Formatter.Annotation), returned]));
        }

        if (method.Body is not { } body)
        {
            return null;
        }

        // The method's own returns: not those of lambdas or local functions inside it.
        var returns = body.DescendantNodes(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>().ToList();
        if (returns.Count == 0 || returns.Any(r => r.Parent is not (BlockSyntax or SwitchSectionSyntax)))
        {
            return null;
        }

        var parents = returns.Select(r => r.Parent!).Distinct().ToList();
        var fixedBody = body.ReplaceNodes(parents, (original, rewritten) => InsertBeforeReturns(original, rewritten, increment));
        return new Fix(Title, CountCompressionKey, method.WithBody(fixedBody));
    }

    /// <summary>Puts the increment before each return among the statements of a block or switch section, keeping the return's leading trivia first.</summary>
    private static SyntaxNode InsertBeforeReturns(SyntaxNode original, SyntaxNode rewritten, StatementSyntax increment)
    {
        SyntaxList<StatementSyntax> Insert(SyntaxList<StatementSyntax> statements)
        {
            var result = new List<StatementSyntax>();
            foreach (var statement in statements)
            {
                if (statement is ReturnStatementSyntax returned)
                {
                    // On the return's line, which moves down keeping its indentation; on a one-line body, before it.
                    var lineBreak = returned.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                    var onItsOwnLine = lineBreak.IsKind(SyntaxKind.EndOfLineTrivia);
                    result.Add(increment.WithLeadingTrivia(returned.GetLeadingTrivia()).WithTrailingTrivia(onItsOwnLine ? lineBreak : SyntaxFactory.Space));
                    result.Add(returned.WithLeadingTrivia(onItsOwnLine ? IndentationOf(returned) : default));
                }
                else
                {
                    result.Add(statement);
                }
            }

            return SyntaxFactory.List(result);
        }

        _ = original;
        return rewritten switch
        {
            BlockSyntax block => block.WithStatements(Insert(block.Statements)),
            SwitchSectionSyntax section => section.WithStatements(Insert(section.Statements)),
            _ => rewritten,
        };
    }

    /// <summary>The whitespace that indents the line of the statement (the leading trivia after its last line break).</summary>
    private static SyntaxTriviaList IndentationOf(StatementSyntax statement)
    {
        var leading = statement.GetLeadingTrivia();
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

    private static Fix? AutoPropertyFix(PropertyDeclarationSyntax property, SemanticModel model, CancellationToken cancellationToken)
    {
        if (property.Parent is not ClassDeclarationSyntax
            || property.Modifiers.Any(m => m.IsKind(SyntaxKind.AbstractKeyword) || m.IsKind(SyntaxKind.ExternKeyword) || m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.NewKeyword) || m.IsKind(SyntaxKind.OverrideKeyword))
            || model.GetDeclaredSymbol(property, cancellationToken) is not { } symbol
            || Hides(symbol))
        {
            return null;
        }

        var title = "Make '" + property.Identifier.ValueText + "' an auto-property { get; set; }";
        var semicolon = SyntaxFactory.Token(SyntaxKind.SemicolonToken);
        if (property.ExpressionBody is { } arrow)
        {
            if (!model.GetConstantValue(arrow.Expression, cancellationToken).HasValue)
            {
                return null;
            }

            // { get; set; } on the line the arrow was on, with what followed the old semicolon after the brace.
            var spaced = semicolon.WithTrailingTrivia(SyntaxFactory.Space);
            var accessors = SyntaxFactory.AccessorList(
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.List(new[]
                {
                    SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration).WithSemicolonToken(spaced),
                    SyntaxFactory.AccessorDeclaration(SyntaxKind.SetAccessorDeclaration).WithSemicolonToken(spaced),
                }),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(property.SemicolonToken.TrailingTrivia));
            return new Fix(title, MakeAutoPropertyKey, property
                .WithIdentifier(property.Identifier.WithTrailingTrivia(SyntaxFactory.Space))
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithAccessorList(accessors));
        }

        if (property.AccessorList is not { } list || list.Accessors.Any(a => !IsReplaceable(a, model, cancellationToken)))
        {
            return null;
        }

        var autoAccessors = list.Accessors.Select(a =>
        {
            var end = a.Body?.CloseBraceToken ?? a.SemicolonToken;
            return a.WithBody(null).WithExpressionBody(null)
                .WithKeyword(a.Keyword.WithTrailingTrivia())
                .WithSemicolonToken(semicolon.WithTrailingTrivia(end.TrailingTrivia));
        });
        return new Fix(title, MakeAutoPropertyKey, property.WithAccessorList(list.WithAccessors(SyntaxFactory.List(autoAccessors))));
    }

    /// <summary>Already automatic, a getter that only returns a constant, or a setter with an empty body.</summary>
    private static bool IsReplaceable(AccessorDeclarationSyntax accessor, SemanticModel model, CancellationToken cancellationToken)
    {
        if (accessor.Body is null && accessor.ExpressionBody is null)
        {
            return true;
        }

        if (accessor.IsKind(SyntaxKind.GetAccessorDeclaration))
        {
            var returned = accessor.ExpressionBody?.Expression
                ?? (accessor.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } value } ? value : null);
            return returned is not null && model.GetConstantValue(returned, cancellationToken).HasValue;
        }

        return (accessor.IsKind(SyntaxKind.SetAccessorDeclaration) || accessor.IsKind(SyntaxKind.InitAccessorDeclaration))
            && accessor.Body is { Statements.Count: 0 } empty
            && !empty.DescendantTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia));
    }

    private static bool Hides(IPropertySymbol property)
    {
        for (var current = property.ContainingType.BaseType; current is not null; current = current.BaseType)
        {
            if (!current.GetMembers(property.Name).IsEmpty)
            {
                return true;
            }
        }

        return false;
    }
}
