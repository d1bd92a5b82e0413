namespace CompactMemory.Generators.Model;

/// <summary>One parameter of a tool method.</summary>
internal sealed record ToolParameterModel
{
    /// <summary>The parameter name; also its JSON property name, as Microsoft.Extensions.AI uses it.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Whether the parameter comes from the arguments JSON or from the call itself.</summary>
    public ToolParameterKind Kind { get; init; }

    /// <summary>The parameter's type (for <see cref="ToolParameterKind.Argument"/> only).</summary>
    public ToolTypeModel? Type { get; init; }

    /// <summary>Listed in the schema's <c>required</c>: the parameter has no default value.</summary>
    public bool IsRequired { get; init; }

    /// <summary>The schema's <c>default</c> as JSON text, or null when the schema has none.</summary>
    public string? DefaultJson { get; init; }

    /// <summary>The C# expression passed when the argument is omitted, or null when it is required.</summary>
    public string? DefaultExpression { get; init; }

    /// <summary>The schema's <c>description</c>, or null.</summary>
    public string? Description { get; init; }
}
