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
/// the generated code could not handle exactly the same way; the tool is then unsupported, and <see cref="Problem"/>
/// says why (the analyzers link this reader, so CM0014 explains exactly what the generator refused).
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

    /// <summary>Why the last refused read was refused, innermost reason first; null after a successful read.</summary>
    public string? Problem { get; private set; }

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
        Problem = null;
        return ReadType(type, position, nullableParameter);
    }

    private ToolTypeModel? ReadType(ITypeSymbol type, ToolPosition position, bool nullableParameter)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = ReadValue(nullable.TypeArguments[0], position, nullableParameter);
            return inner is null || inner.IsReferenceType ? null : inner with { IsNullableValueType = true, AllowsNull = true, TypeDescription = null };
        }

        return ReadValue(type, position, nullableParameter);
    }

    /// <summary>Refuses a type, keeping the innermost reason (the one an author has to change).</summary>
    private ToolTypeModel? Refuse(string reason)
    {
        Problem ??= reason;
        return null;
    }

    private List<ToolPropertyModel>? RefuseProperties(string reason)
    {
        Problem ??= reason;
        return null;
    }

    /// <summary>False when the text holds an unpaired surrogate: System.Text.Json can neither match nor write it as given.</summary>
    private static bool IsValidUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

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
            case IArrayTypeSymbol { Rank: 1 }:
                return Refuse($"'{Display(type)}' is base64 text to System.Text.Json, which tool arguments do not mirror");
            case IArrayTypeSymbol:
                return Refuse($"'{Display(type)}' is a multi-dimensional array");
            case INamedTypeSymbol { TypeKind: TypeKind.Struct }:
                return Refuse($"'{Display(type)}' is a struct other than the supported value types");
            case ITypeParameterSymbol:
                return Refuse($"'{Display(type)}' is a type parameter, whose schema is unknown until the method is called");
            case IErrorTypeSymbol:
                return Refuse($"'{Display(type)}' is not a known type");
            default:
                return Refuse($"'{Display(type)}' is not a supported type");
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
        if (KnownSymbols.Has(type, KnownSymbols.FlagsAttribute))
        {
            return Refuse($"'{Display(type)}' is a [Flags] enum, which is comma-separated names rather than one of a list");
        }

        if (!IsStringEnumConverterOrNone(type))
        {
            return Refuse($"'{Display(type)}' has a [JsonConverter] other than JsonStringEnumConverter");
        }

        if (!IsAccessible(type))
        {
            return Refuse($"'{Display(type)}' is not accessible from the engine");
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
            var jsonName = KnownSymbols.StringArgument(KnownSymbols.Find(field, KnownSymbols.JsonStringEnumMemberNameAttribute)) ?? field.Name;
            if (!IsValidUnicode(jsonName))
            {
                return Refuse($"member '{Display(field)}' has a [JsonStringEnumMemberName] that is not valid Unicode (an unpaired surrogate), which no JSON text can match");
            }

            members.Add(new ToolEnumMemberModel
            {
                MemberName = Identifier(field.Name),
                JsonName = jsonName,
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
        var element = ReadType(elementType, ToolPosition.Element, nullableParameter);
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
        var refusal = ObjectRefusal(type);
        if (refusal is not null)
        {
            return Refuse(refusal);
        }

        if (!_inProgress.Add(type))
        {
            return Refuse($"'{Display(type)}' contains itself; recursive types are not supported");
        }

        try
        {
            var constructor = ChooseConstructor(type);
            if (constructor is null && !_resultsOnly)
            {
                return Refuse($"'{Display(type)}' has no constructor System.Text.Json can use: one marked [JsonConstructor], a public parameterless one, or a single public one, without ref parameters");
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

    private string? ObjectRefusal(INamedTypeSymbol type)
    {
        if (IsFrameworkType(type))
        {
            return $"'{Display(type)}' is a framework type other than the supported ones";
        }

        if (type.IsAbstract && !_resultsOnly)
        {
            return $"'{Display(type)}' is abstract, so an argument cannot be created";
        }

        if (type.IsStatic || type.IsAnonymousType || type.IsUnboundGenericType)
        {
            return $"'{Display(type)}' is not a type an argument can be created of";
        }

        if (!IsAccessible(type))
        {
            return $"'{Display(type)}' is not accessible from the engine";
        }

        if (KnownSymbols.Has(type, KnownSymbols.JsonConverterAttribute))
        {
            return $"'{Display(type)}' has a [JsonConverter], whose JSON the schema cannot know";
        }

        return KnownSymbols.HasAny(type, KnownSymbols.UnsupportedSerializationAttributes)
            ? $"'{Display(type)}' uses a System.Text.Json attribute the dispatch does not mirror (polymorphism, extension data, number handling, creation or unmapped-member handling)"
            : null;
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
                    return RefuseProperties($"field '{Display(field)}' has [JsonInclude]; only properties are supported");
                }

                if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false } property)
                {
                    continue;
                }

                if (property.DeclaredAccessibility != Accessibility.Public)
                {
                    if (KnownSymbols.Has(property, KnownSymbols.JsonIncludeAttribute))
                    {
                        return RefuseProperties($"property '{Display(property)}' is not public but has [JsonInclude]");
                    }

                    continue;
                }

                if (!clrNames.Add(property.Name) || IsIgnored(property))
                {
                    continue;
                }

                var readable = property.GetMethod is { DeclaredAccessibility: Accessibility.Public };
                var writable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                if (!readable || property.ReturnsByRef || property.ReturnsByRefReadonly)
                {
                    return RefuseProperties($"property '{Display(property)}' has no public getter returning a value");
                }

                if (KnownSymbols.Has(property, KnownSymbols.JsonConverterAttribute) || KnownSymbols.HasAny(property, KnownSymbols.UnsupportedSerializationAttributes))
                {
                    return RefuseProperties($"property '{Display(property)}' has a [JsonConverter] or a System.Text.Json attribute the dispatch does not mirror");
                }

                var jsonName = KnownSymbols.StringArgument(KnownSymbols.Find(property, KnownSymbols.JsonPropertyNameAttribute)) ?? JsonNaming.CamelCase(property.Name);
                if (!IsValidUnicode(jsonName))
                {
                    return RefuseProperties($"property '{Display(property)}' has a [JsonPropertyName] that is not valid Unicode (an unpaired surrogate), which no JSON text can match");
                }

                if (!jsonNames.Add(jsonName))
                {
                    return RefuseProperties($"'{Display(type)}' has two properties named '{jsonName}' in JSON (names are matched ignoring case)");
                }

                var index = ConstructorIndex(parameters, property);
                var parameter = index >= 0 ? parameters[index] : null;
                if (index >= 0)
                {
                    matched[index] = true;
                }

                var propertyType = ReadType(property.Type, ToolPosition.Property, nullableParameter);
                if (propertyType is null)
                {
                    Problem = $"property '{Display(property)}': " + (Problem ?? $"'{Display(property.Type)}' is not a supported type");
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
                    return RefuseProperties($"the default value of constructor parameter '{parameter.Name}' of '{Display(type)}' cannot be written as JSON");
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
                return RefuseProperties($"a constructor parameter of '{Display(type)}' has no public property of the same name and type");
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
