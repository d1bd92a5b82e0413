using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompactMemory.Analyzers.Helpers;

/// <summary>Precise locations for code diagnostics: an attribute's argument, a class's identifier, a member's name.</summary>
internal static class SyntaxLocations
{
    /// <summary>The location of the attribute's positional argument, or null when it is not written out.</summary>
    public static Location? AttributeArgument(AttributeData attribute, int index, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } arguments }
            && arguments.Arguments.Count > index
            && arguments.Arguments[index].NameEquals is null)
        {
            return arguments.Arguments[index].Expression.GetLocation();
        }

        return null;
    }

    /// <summary>
    /// The identifier of the declaration that carries the attribute (a partial class may have several declarations),
    /// else the type's first source location.
    /// </summary>
    public static Location ClassIdentifier(INamedTypeSymbol type, AttributeData? attribute, CancellationToken cancellationToken)
    {
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { Parent.Parent: BaseTypeDeclarationSyntax declaration })
        {
            return declaration.Identifier.GetLocation();
        }

        return Declaration(type);
    }

    /// <summary>The symbol's first location in source (a method's or parameter's name), else <see cref="Location.None"/>.</summary>
    public static Location Declaration(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return location;
            }
        }

        return Location.None;
    }
}
