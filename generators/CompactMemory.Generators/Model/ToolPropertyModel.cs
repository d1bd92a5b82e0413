namespace CompactMemory.Generators.Model;

/// <summary>One JSON property of an object type, as System.Text.Json sees it with Microsoft.Extensions.AI's default options.</summary>
internal sealed record ToolPropertyModel
{
    /// <summary>The JSON name: <c>[JsonPropertyName]</c>, else the camel-cased C# name.</summary>
    public string JsonName { get; init; } = string.Empty;

    /// <summary>The C# property name, escaped with <c>@</c> when it is a keyword.</summary>
    public string MemberName { get; init; } = string.Empty;

    public ToolTypeModel Type { get; init; } = new();

    /// <summary>Listed in the schema's <c>required</c>: a constructor parameter without default, <c>required</c> or <c>[JsonRequired]</c>.</summary>
    public bool IsRequired { get; init; }

    /// <summary>The schema's <c>default</c> (a constructor parameter's default) as JSON text, or null.</summary>
    public string? DefaultJson { get; init; }

    /// <summary>The C# expression passed to the constructor when the property is omitted, or null.</summary>
    public string? DefaultExpression { get; init; }

    /// <summary>The schema's <c>description</c>, or null.</summary>
    public string? Description { get; init; }

    /// <summary>How a read value reaches the object.</summary>
    public ToolPropertyAssignment Assignment { get; init; }

    /// <summary>The constructor parameter this property fills, or -1.</summary>
    public int ConstructorIndex { get; init; } = -1;

    /// <summary>The getter is public, so results write the property.</summary>
    public bool IsReadable { get; init; }
}
