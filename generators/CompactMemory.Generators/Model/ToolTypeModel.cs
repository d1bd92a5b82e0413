using CompactMemory.Generators.Helpers;

namespace CompactMemory.Generators.Model;

/// <summary>
/// The type of one position in a tool's arguments or result (a parameter, a property, an element). It is a tree, one
/// node per position, because the schema's nullability depends on the position and not only on the type.
/// </summary>
internal sealed record ToolTypeModel
{
    public ToolTypeKind Kind { get; init; }

    /// <summary>The C# type with <c>global::</c>, without the <c>?</c> of a nullable value type (see <see cref="IsNullableValueType"/>).</summary>
    public string TypeName { get; init; } = string.Empty;

    /// <summary>The C# type is <c>Nullable&lt;T&gt;</c> of <see cref="TypeName"/>.</summary>
    public bool IsNullableValueType { get; init; }

    /// <summary>The C# type is a reference type (null-checked when results are written).</summary>
    public bool IsReferenceType { get; init; }

    /// <summary>The schema allows <c>null</c> here (<c>"type": [T, "null"]</c>), so dispatch accepts a JSON null.</summary>
    public bool AllowsNull { get; init; }

    /// <summary>The type's own <c>[Description]</c>, used where the position has none (as Microsoft.Extensions.AI does).</summary>
    public string? TypeDescription { get; init; }

    /// <summary>The element type of an array or list.</summary>
    public ToolTypeModel? Element { get; init; }

    /// <summary>The members of an enum, in declaration order.</summary>
    public EquatableArray<ToolEnumMemberModel> EnumMembers { get; init; } = EquatableArray<ToolEnumMemberModel>.Empty;

    /// <summary>The members' underlying values as invariant text, parallel to <see cref="EnumMembers"/> (to name a default value).</summary>
    public EquatableArray<string> EnumValues { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The JSON properties of an object, in System.Text.Json's order (most derived type first).</summary>
    public EquatableArray<ToolPropertyModel> Properties { get; init; } = EquatableArray<ToolPropertyModel>.Empty;

    /// <summary>How many arguments the object's constructor takes (properties say which one they fill).</summary>
    public int ConstructorArity { get; init; }

    /// <summary>The C# type as written in code: <see cref="TypeName"/> plus <c>?</c> for nullable value types.</summary>
    public string CodeTypeName => IsNullableValueType ? TypeName + "?" : TypeName;
}
