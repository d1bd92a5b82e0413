using System;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Generators.Tools;

/// <summary>The metadata names the tool parser looks for, and attribute helpers over them.</summary>
internal static class KnownSymbols
{
    public const string EngineToolAttribute = "CompactMemory.EngineToolAttribute";
    public const string ToolCallContext = "CompactMemory.Context.ToolCallContext";
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string DescriptionAttribute = "System.ComponentModel.DescriptionAttribute";
    public const string FlagsAttribute = "System.FlagsAttribute";
    public const string SetsRequiredMembersAttribute = "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute";
    public const string JsonPropertyNameAttribute = "System.Text.Json.Serialization.JsonPropertyNameAttribute";
    public const string JsonPropertyOrderAttribute = "System.Text.Json.Serialization.JsonPropertyOrderAttribute";
    public const string JsonIgnoreAttribute = "System.Text.Json.Serialization.JsonIgnoreAttribute";
    public const string JsonRequiredAttribute = "System.Text.Json.Serialization.JsonRequiredAttribute";
    public const string JsonIncludeAttribute = "System.Text.Json.Serialization.JsonIncludeAttribute";
    public const string JsonConstructorAttribute = "System.Text.Json.Serialization.JsonConstructorAttribute";
    public const string JsonConverterAttribute = "System.Text.Json.Serialization.JsonConverterAttribute";
    public const string JsonStringEnumConverter = "System.Text.Json.Serialization.JsonStringEnumConverter";
    public const string JsonStringEnumMemberNameAttribute = "System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute";

    /// <summary>
    /// Attributes that change how System.Text.Json reads or writes a type or member beyond what the generated code
    /// mirrors; a type or property carrying one is unsupported rather than silently different.
    /// </summary>
    public static readonly string[] UnsupportedSerializationAttributes =
    [
        "System.Text.Json.Serialization.JsonPolymorphicAttribute",
        "System.Text.Json.Serialization.JsonDerivedTypeAttribute",
        "System.Text.Json.Serialization.JsonExtensionDataAttribute",
        "System.Text.Json.Serialization.JsonNumberHandlingAttribute",
        "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute",
        "System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute",
    ];

    public static string FullName(ITypeSymbol? type) =>
        type is null ? string.Empty : type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.None).WithGenericsOptions(SymbolDisplayGenericsOptions.None));

    public static AttributeData? Find(ISymbol symbol, string attributeName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (string.Equals(FullName(attribute.AttributeClass), attributeName, StringComparison.Ordinal))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool Has(ISymbol symbol, string attributeName) => Find(symbol, attributeName) is not null;

    public static bool HasAny(ISymbol symbol, string[] attributeNames)
    {
        foreach (var name in attributeNames)
        {
            if (Has(symbol, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first constructor argument of an attribute when it is a string.</summary>
    public static string? StringArgument(AttributeData? attribute) =>
        attribute is { ConstructorArguments.Length: > 0 } && attribute.ConstructorArguments[0].Value is string value ? value : null;

    /// <summary><c>[Description("…")]</c> on the symbol, or null.</summary>
    public static string? Description(ISymbol symbol) => StringArgument(Find(symbol, DescriptionAttribute));

    /// <summary><c>[Description]</c> on a type or, as <c>GetCustomAttributes(inherit: true)</c> finds it, on a base class.</summary>
    public static string? TypeDescription(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Description(current) is { } description)
            {
                return description;
            }
        }

        return null;
    }
}
