using System.Threading;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Analyzers.Helpers;

/// <summary>
/// The contract types of one compilation, resolved once per compilation start. A rule whose types are missing (the
/// project does not reference CompactMemory.Abstractions) registers nothing.
/// </summary>
internal sealed class EngineSymbols
{
    private EngineSymbols(Compilation compilation, INamedTypeSymbol engineAttribute)
    {
        EngineAttribute = engineAttribute;
        EngineToolAttribute = compilation.GetTypeByMetadataName(KnownTypeNames.EngineToolAttribute);
        CompressionEngine = compilation.GetTypeByMetadataName(KnownTypeNames.CompressionEngine);
        IContextEngine = compilation.GetTypeByMetadataName(KnownTypeNames.IContextEngine);
        EngineConfig = compilation.GetTypeByMetadataName(KnownTypeNames.EngineConfig);
    }

    public INamedTypeSymbol EngineAttribute { get; }

    public INamedTypeSymbol? EngineToolAttribute { get; }

    public INamedTypeSymbol? CompressionEngine { get; }

    public INamedTypeSymbol? IContextEngine { get; }

    public INamedTypeSymbol? EngineConfig { get; }

    /// <summary>The contract types, or null when the compilation does not reference the contracts.</summary>
    public static EngineSymbols? From(Compilation compilation) =>
        compilation.GetTypeByMetadataName(KnownTypeNames.CompressionEngineAttribute) is { } attribute ? new EngineSymbols(compilation, attribute) : null;

    /// <summary>The <c>[CompressionEngine]</c> on a type, or null.</summary>
    public AttributeData? EngineAttributeOf(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, EngineAttribute))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The <c>[EngineTool]</c> on a method, or null.</summary>
    public AttributeData? ToolAttributeOf(ISymbol symbol)
    {
        if (EngineToolAttribute is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, EngineToolAttribute))
            {
                return attribute;
            }
        }

        return null;
    }

    public bool IsCompressionEngine(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, CompressionEngine))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsContextEngine(INamedTypeSymbol type)
    {
        if (IContextEngine is null)
        {
            return false;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, IContextEngine))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The id argument of an engine attribute: its string value (null when not a string constant) and its location.</summary>
    public static (string? Id, Location Location) IdOf(AttributeData attribute, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var id = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        return (id, SyntaxLocations.AttributeArgument(attribute, 0, cancellationToken) ?? SyntaxLocations.ClassIdentifier(type, attribute, cancellationToken));
    }
}
