using System.Text;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Analyzers.Helpers;

/// <summary>The runtime name of a type as the manifest's engine_class_name spells it: <c>Namespace.Outer+Inner</c>.</summary>
internal static class MetadataNames
{
    public static string Of(INamedTypeSymbol type)
    {
        var builder = new StringBuilder(type.MetadataName);
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            builder.Insert(0, outer.MetadataName + "+");
        }

        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            builder.Insert(0, ns.MetadataName + ".");
        }

        return builder.ToString();
    }
}
