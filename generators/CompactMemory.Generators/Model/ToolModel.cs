using CompactMemory.Generators.Helpers;

namespace CompactMemory.Generators.Model;

/// <summary>
/// One <c>[EngineTool]</c> method of a context engine: everything the schema writer and the dispatch emitter need,
/// as strings, flags and equatable arrays, so an unchanged method gives an equal model and the pipeline stays cached.
/// </summary>
internal sealed record ToolModel
{
    /// <summary>The tool name the model calls.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The C# method name, escaped with <c>@</c> when it is a keyword.</summary>
    public string MethodName { get; init; } = string.Empty;

    /// <summary>The tool description: <c>EngineTool.Description</c>, else <c>[Description]</c>, else the XML summary, else empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>
    /// Whether every parameter and the return type can be described and dispatched. An unsupported tool gets no
    /// schema and no dispatch case; an analyzer explains why.
    /// </summary>
    public bool IsSupported { get; init; }

    /// <summary>The parameters, in declaration order (cancellation tokens and tool-call contexts included).</summary>
    public EquatableArray<ToolParameterModel> Parameters { get; init; } = EquatableArray<ToolParameterModel>.Empty;

    /// <summary>What the method returns and how the result becomes the tool's JSON text.</summary>
    public ToolReturnModel Return { get; init; } = new();

    /// <summary>Facts about the engine class that decide the generated members' modifiers (the same for every tool of an engine).</summary>
    public ToolHostModel Host { get; init; } = new();
}
