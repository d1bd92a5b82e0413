using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CompactMemory.Generators.Tools;

/// <summary>
/// Turns a parameter, property or return type into a <see cref="ToolTypeModel"/> tree, mirroring what
/// System.Text.Json (with <c>AIJsonUtilities.DefaultOptions</c>) reads, writes and describes. Gives null for anything
/// the generated code could not handle exactly the same way; the tool is then unsupported.
/// </summary>
internal sealed class ToolTypeReader
{
    private static readonly HashSet<string> ListTypes = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic.List<T>",
        "System.Collections.Generic.IList<T>",
        "System.Collections.Generic.IReadOnlyList<T>",
        "System.Collections.Generic.ICollection<T>",
        "System.Collections.Generic.IReadOnlyCollection<T>",
        "System.Collections.Generic.IEnumerable<T>",
    };

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol _engine;
    private readonly CancellationToken _cancellationToken;

    // Result types are only written: they need no usable constructor and may be abstract.
    private readonly bool _resultsOnly;

    // Object types being read, to refuse recursive types (Microsoft.Extensions.AI describes them with $ref).
    private readonly HashSet<ITypeSymbol> _inProgress = new(SymbolEqualityComparer.Default);

    public ToolTypeReader(Compilation compilation, INamedTypeSymbol engine, bool resultsOnly, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _engine = engine;
        _resultsOnly = resultsOnly;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Reads a type. <paramref name="nullableParameter"/> is true inside a parameter declared as a nullable reference
    /// type: Microsoft.Extensions.AI then adds <c>"null"</c> to every reference-type node below it, not only the root.
    /// </summary>
    public ToolTypeModel? Read(ITypeSymbol type, ToolPosition position, bool nullableParameter)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = ReadValue(nullable.TypeArguments[0], position, nullableParameter);
            return inner is null || inner.IsReferenceType ? null : inner with { IsNullableValueType = true, AllowsNull = true, TypeDescription = null };
        }

        return ReadValue(type, position, nullableParameter);
    }

    private ToolTypeModel? ReadValue(ITypeSymbol type, ToolPosition position, bool nullableParameter)
    {
        var allowsNull = type.IsReferenceType && (nullableParameter || position switch
        {
            ToolPosition.Parameter => type.NullableAnnotation == NullableAnnotation.Annotated,
            ToolPosition.Property => type.NullableAnnotation != NullableAnnotation.NotAnnotated,
            ToolPosition.Element => false,
            _ => true,
        });

        var kind = PrimitiveKind(type);
        if (kind is { } primitive)
        {
            return new ToolTypeModel
            {
                Kind = primitive,
                TypeName = TypeName(type),
                IsReferenceType = type.IsReferenceType,
                AllowsNull = allowsNull,
            };
        }

        switch (type)
        {
            case INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType:
                return ReadEnum(enumType);
            case IArrayTypeSymbol { Rank: 1 } array when array.ElementType.SpecialType != SpecialType.System_Byte:
                // byte[] is base64 text to System.Text.Json, which this dispatch does not mirror.
                return ReadCollection(ToolTypeKind.Array, type, array.ElementType, allowsNull, nullableParameter);
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic when ListTypes.Contains(generic.OriginalDefinition.ToDisplayString()):
                return ReadCollection(ToolTypeKind.List, type, generic.TypeArguments[0], allowsNull, nullableParameter);
            case INamedTypeSymbol { TypeKind: TypeKind.Class } named:
                return ReadObject(named, allowsNull, nullableParameter);
            default:
                return null;
        }
    }

    private static ToolTypeKind? PrimitiveKind(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String: return ToolTypeKind.String;
            case SpecialType.System_Boolean: return ToolTypeKind.Boolean;
            case SpecialType.System_Char: return ToolTypeKind.Char;
            case SpecialType.System_SByte: return ToolTypeKind.SByte;
            case SpecialType.System_Byte: return ToolTypeKind.Byte;
            case SpecialType.System_Int16: return ToolTypeKind.Int16;
            case SpecialType.System_UInt16: return ToolTypeKind.UInt16;
            case SpecialType.System_Int32: return ToolTypeKind.Int32;
            case SpecialType.System_UInt32: return ToolTypeKind.UInt32;
            case SpecialType.System_Int64: return ToolTypeKind.Int64;
            case SpecialType.System_UInt64: return ToolTypeKind.UInt64;
            case SpecialType.System_Single: return ToolTypeKind.Single;
            case SpecialType.System_Double: return ToolTypeKind.Double;
            case SpecialType.System_Decimal: return ToolTypeKind.Decimal;
            case SpecialType.System_DateTime: return ToolTypeKind.DateTime;
        }

        switch (KnownSymbols.FullName(type))
        {
            case "System.Guid": return ToolTypeKind.Guid;
            case "System.DateTimeOffset": return ToolTypeKind.DateTimeOffset;
            case "System.TimeSpan": return ToolTypeKind.TimeSpan;
            case "System.Uri": return ToolTypeKind.Uri;
            default: return null;
        }
    }

    private ToolTypeModel? ReadEnum(INamedTypeSymbol type)
    {
        // [Flags] enums are comma-separated names to System.Text.Json and have no `enum` list in the schema.
        if (KnownSymbols.Has(type, KnownSymbols.FlagsAttribute) || !IsStringEnumConverterOrNone(type) || !IsAccessible(type))
        {
            return null;
        }

        var members = new List<ToolEnumMemberModel>();
        var values = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            if (member is not IFieldSymbol { HasConstantValue: true } field)
            {
                continue;
            }

            var value = Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture) ?? "0";
            members.Add(new ToolEnumMemberModel
            {
                MemberName = Identifier(field.Name),
                JsonName = KnownSymbols.StringArgument(KnownSymbols.Find(field, KnownSymbols.JsonStringEnumMemberNameAttribute)) ?? field.Name,
                IsAlias = !seen.Add(value),
            });
            values.Add(value);
        }

        return new ToolTypeModel
        {
            Kind = ToolTypeKind.Enum,
            TypeName = TypeName(type),
            TypeDescription = KnownSymbols.Description(type),
            EnumMembers = members.ToEquatableArray(),
            EnumValues = values.ToEquatableArray(),
        };
    }

    /// <summary>Enums are strings through the default options' converter; a <c>[JsonConverter]</c> may only say the same.</summary>
    private static bool IsStringEnumConverterOrNone(ISymbol symbol)
    {
        var converter = KnownSymbols.Find(symbol, KnownSymbols.JsonConverterAttribute);
        return converter is null
            || (converter.ConstructorArguments.Length == 1
                && converter.ConstructorArguments[0].Value is ITypeSymbol converterType
                && string.Equals(KnownSymbols.FullName(converterType), KnownSymbols.JsonStringEnumConverter, StringComparison.Ordinal));
    }

    private ToolTypeModel? ReadCollection(ToolTypeKind kind, ITypeSymbol type, ITypeSymbol elementType, bool allowsNull, bool nullableParameter)
    {
        var element = Read(elementType, ToolPosition.Element, nullableParameter);
        return element is null
            ? null
            : new ToolTypeModel
            {
                Kind = kind,
                TypeName = TypeName(type),
                IsReferenceType = true,
                AllowsNull = allowsNull,
                Element = element,
            };
    }

    private ToolTypeModel? ReadObject(INamedTypeSymbol type, bool allowsNull, bool nullableParameter)
    {
        if ((type.IsAbstract && !_resultsOnly) || type.IsStatic || type.IsAnonymousType || type.IsUnboundGenericType || IsFrameworkType(type)
            || !IsAccessible(type) || KnownSymbols.Has(type, KnownSymbols.JsonConverterAttribute)
            || KnownSymbols.HasAny(type, KnownSymbols.UnsupportedSerializationAttributes))
        {
            return null;
        }

        if (!_inProgress.Add(type))
        {
            return null;
        }

        try
        {
            var constructor = ChooseConstructor(type);
            if (constructor is null && !_resultsOnly)
            {
                return null;
            }

            var properties = ReadProperties(type, constructor, nullableParameter);
            return properties is null
                ? null
                : new ToolTypeModel
                {
                    Kind = ToolTypeKind.Object,
                    TypeName = TypeName(type),
                    IsReferenceType = true,
                    AllowsNull = allowsNull,
                    TypeDescription = KnownSymbols.TypeDescription(type),
                    Properties = properties.ToEquatableArray(),
                    ConstructorArity = constructor?.Parameters.Length ?? 0,
                };
        }
        finally
        {
            _inProgress.Remove(type);
        }
    }

    /// <summary>System.Text.Json's choice: the <c>[JsonConstructor]</c> one, else the public parameterless one, else the only public one.</summary>
    private IMethodSymbol? ChooseConstructor(INamedTypeSymbol type)
    {
        IMethodSymbol? marked = null, parameterless = null, onlyPublic = null;
        var publicCount = 0;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (KnownSymbols.Has(constructor, KnownSymbols.JsonConstructorAttribute))
            {
                if (marked is not null)
                {
                    return null;
                }

                marked = constructor;
            }

            if (constructor.DeclaredAccessibility == Accessibility.Public)
            {
                publicCount++;
                onlyPublic = constructor;
                if (constructor.Parameters.Length == 0)
                {
                    parameterless = constructor;
                }
            }
        }

        var chosen = marked ?? parameterless ?? (publicCount == 1 ? onlyPublic : null);
        if (chosen is null || !_compilation.IsSymbolAccessibleWithin(chosen, _engine))
        {
            return null;
        }

        foreach (var parameter in chosen.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return null;
            }
        }

        return chosen;
    }

    private List<ToolPropertyModel>? ReadProperties(INamedTypeSymbol type, IMethodSymbol? constructor, bool nullableParameter)
    {
        var setsRequiredMembers = constructor is not null && KnownSymbols.Has(constructor, KnownSymbols.SetsRequiredMembersAttribute);
        var parameters = constructor is null ? ImmutableArray<IParameterSymbol>.Empty : constructor.Parameters;
        var matched = new bool[parameters.Length];
        var properties = new List<ToolPropertyModel>();
        var orders = new List<int>();
        var clrNames = new HashSet<string>(StringComparer.Ordinal);

        // Dispatch matches names case-insensitively (the default options do), so two names differing only in case are refused.
        var jsonNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // System.Text.Json lists the most derived type's properties first; a redeclared name keeps the derived one.
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (member is IFieldSymbol { IsStatic: false } field && KnownSymbols.Has(field, KnownSymbols.JsonIncludeAttribute))
                {
                    return null;
                }

                if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false } property)
                {
                    continue;
                }

                if (property.DeclaredAccessibility != Accessibility.Public)
                {
                    if (KnownSymbols.Has(property, KnownSymbols.JsonIncludeAttribute))
                    {
                        return null;
                    }

                    continue;
                }

                if (!clrNames.Add(property.Name) || IsIgnored(property))
                {
                    continue;
                }

                var readable = property.GetMethod is { DeclaredAccessibility: Accessibility.Public };
                var writable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                if (!readable || property.ReturnsByRef || property.ReturnsByRefReadonly
                    || KnownSymbols.Has(property, KnownSymbols.JsonConverterAttribute)
                    || KnownSymbols.HasAny(property, KnownSymbols.UnsupportedSerializationAttributes))
                {
                    return null;
                }

                var jsonName = KnownSymbols.StringArgument(KnownSymbols.Find(property, KnownSymbols.JsonPropertyNameAttribute)) ?? JsonNaming.CamelCase(property.Name);
                if (!jsonNames.Add(jsonName))
                {
                    return null;
                }

                var index = ConstructorIndex(parameters, property);
                var parameter = index >= 0 ? parameters[index] : null;
                if (index >= 0)
                {
                    matched[index] = true;
                }

                var propertyType = Read(property.Type, ToolPosition.Property, nullableParameter);
                if (propertyType is null)
                {
                    return null;
                }

                if (propertyType.IsReferenceType && property.OriginalDefinition.Type is ITypeParameterSymbol)
                {
                    // Declared as a type parameter (Box<T>.Value): System.Text.Json cannot know T's nullability and allows null.
                    propertyType = propertyType with { AllowsNull = true };
                }

                string? defaultJson = null, defaultExpression = null;
                if (parameter is not null && parameter.HasExplicitDefaultValue
                    && !ToolDefaults.TryCreate(parameter, propertyType, out defaultJson, out defaultExpression))
                {
                    return null;
                }

                var isRequiredMember = property.IsRequired && !setsRequiredMembers;
                var jsonRequired = KnownSymbols.Has(property, KnownSymbols.JsonRequiredAttribute);
                ToolPropertyAssignment assignment;
                if (parameter is not null)
                {
                    assignment = ToolPropertyAssignment.Constructor;
                }
                else if (isRequiredMember)
                {
                    assignment = ToolPropertyAssignment.Initializer;
                }
                else if (writable && property.SetMethod!.IsInitOnly)
                {
                    assignment = jsonRequired ? ToolPropertyAssignment.Initializer : ToolPropertyAssignment.OptionalInitializer;
                }
                else
                {
                    assignment = writable ? ToolPropertyAssignment.Setter : ToolPropertyAssignment.None;
                }

                properties.Add(new ToolPropertyModel
                {
                    JsonName = jsonName,
                    MemberName = Identifier(property.Name),
                    Type = propertyType,
                    IsRequired = (parameter is not null && !parameter.HasExplicitDefaultValue) || isRequiredMember || jsonRequired,
                    DefaultJson = defaultJson,
                    DefaultExpression = defaultExpression,
                    Description = PropertyDescription(type, constructor, property, parameter, propertyType),
                    Assignment = _resultsOnly ? ToolPropertyAssignment.None : assignment,
                    ConstructorIndex = index,
                    IsReadable = readable,
                });
                orders.Add(Order(property));
            }
        }

        foreach (var isMatched in matched)
        {
            if (!isMatched && !_resultsOnly)
            {
                // System.Text.Json refuses a constructor parameter without a property of the same name and type.
                return null;
            }
        }

        return SortByOrder(properties, orders);
    }

    /// <summary>A constructor parameter binds to the property with the same name (any case) and type.</summary>
    private static int ConstructorIndex(IReadOnlyList<IParameterSymbol> parameters, IPropertySymbol property)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].Name, property.Name, StringComparison.OrdinalIgnoreCase)
                && SymbolEqualityComparer.Default.Equals(parameters[i].Type, property.Type))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary><c>[JsonIgnore]</c> without a condition or with <c>Always</c> removes the property; the other conditions only affect writing defaults.</summary>
    private static bool IsIgnored(IPropertySymbol property)
    {
        var ignore = KnownSymbols.Find(property, KnownSymbols.JsonIgnoreAttribute);
        if (ignore is null)
        {
            return false;
        }

        foreach (var argument in ignore.NamedArguments)
        {
            if (string.Equals(argument.Key, "Condition", StringComparison.Ordinal) && argument.Value.Value is int condition)
            {
                // JsonIgnoreCondition.Always = 1.
                return condition == 1;
            }
        }

        return true;
    }

    private static int Order(IPropertySymbol property) =>
        KnownSymbols.Find(property, KnownSymbols.JsonPropertyOrderAttribute) is { ConstructorArguments.Length: 1 } order && order.ConstructorArguments[0].Value is int value ? value : 0;

    /// <summary><c>[JsonPropertyOrder]</c>: a stable sort, as System.Text.Json does.</summary>
    private static List<ToolPropertyModel> SortByOrder(List<ToolPropertyModel> properties, List<int> orders)
    {
        var indexes = new int[properties.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = i;
        }

        Array.Sort(indexes, (a, b) => orders[a] != orders[b] ? orders[a].CompareTo(orders[b]) : a.CompareTo(b));
        var sorted = new List<ToolPropertyModel>(properties.Count);
        foreach (var index in indexes)
        {
            sorted.Add(properties[index]);
        }

        return sorted;
    }

    /// <summary>
    /// Microsoft.Extensions.AI's order: <c>[Description]</c> on the property, on its constructor parameter, on its
    /// type; then, where it has none, the XML documentation of the property or of the constructor parameter.
    /// </summary>
    private string? PropertyDescription(INamedTypeSymbol type, IMethodSymbol? constructor, IPropertySymbol property, IParameterSymbol? parameter, ToolTypeModel propertyType) =>
        KnownSymbols.Description(property)
        ?? (parameter is null ? null : KnownSymbols.Description(parameter))
        ?? propertyType.TypeDescription
        ?? DocumentationComments.Summary(property, _cancellationToken)
        ?? (parameter is null || constructor is null ? null : DocumentationComments.Parameter(constructor, parameter.Name, _cancellationToken) ?? DocumentationComments.Parameter(type, parameter.Name, _cancellationToken));

    private bool IsAccessible(ITypeSymbol type) => _compilation.IsSymbolAccessibleWithin(type, _engine);

    /// <summary>Framework classes (Version, StringBuilder, exceptions…) have their own converters or none; only the listed ones are supported.</summary>
    private static bool IsFrameworkType(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false } && (ns.Name == "System" || ns.Name == "Microsoft");
    }

    public static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>A member name usable in code: keywords get <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
