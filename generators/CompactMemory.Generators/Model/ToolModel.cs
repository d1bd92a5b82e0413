using CompactMemory.Generators.Helpers;

namespace CompactMemory.Generators.Model;

/// <summary>One <c>[EngineTool]</c> method of a context engine.</summary>
internal sealed record ToolModel
{
    /// <summary>The tool name the model calls.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The C# method name.</summary>
    public string MethodName { get; init; } = string.Empty;

    /// <summary>The tool description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The JSON schema of the arguments object, as compact JSON text.</summary>
    public string ParametersSchemaJson { get; init; } = "{\"type\":\"object\",\"properties\":{}}";

    /// <summary>Whether every parameter and the return type can be described and dispatched.</summary>
    public bool IsSupported { get; init; }

    /// <summary>The parameters, in declaration order.</summary>
    public EquatableArray<ToolParameterModel> Parameters { get; init; } = EquatableArray<ToolParameterModel>.Empty;
}

/// <summary>One parameter of a tool method.</summary>
internal sealed record ToolParameterModel
{
    public string Name { get; init; } = string.Empty;
}
