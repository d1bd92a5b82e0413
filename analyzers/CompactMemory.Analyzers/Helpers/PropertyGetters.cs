using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompactMemory.Analyzers.Helpers;

/// <summary>
/// What a property's getter returns when it is a single expression. Shared as source with the code fixes, so CM0012's
/// fix rewrites exactly the expression its analyzer judged.
/// </summary>
internal static class PropertyGetters
{
    /// <summary>The expression of <c>=> x</c>, <c>get => x</c> or <c>get { return x; }</c>; null for any other getter.</summary>
    public static ExpressionSyntax? ReturnedExpression(PropertyDeclarationSyntax declaration)
    {
        if (declaration.ExpressionBody is { } body)
        {
            return body.Expression;
        }

        foreach (var accessor in declaration.AccessorList?.Accessors ?? default)
        {
            if (!accessor.IsKind(SyntaxKind.GetAccessorDeclaration))
            {
                continue;
            }

            if (accessor.ExpressionBody is { } getterBody)
            {
                return getterBody.Expression;
            }

            if (accessor.Body is { Statements.Count: 1 } block && block.Statements[0] is ReturnStatementSyntax { Expression: { } value })
            {
                return value;
            }
        }

        return null;
    }
}
