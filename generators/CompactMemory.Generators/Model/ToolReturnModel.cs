namespace CompactMemory.Generators.Model;

/// <summary>What a tool method returns.</summary>
internal sealed record ToolReturnModel
{
    /// <summary>What the (awaited) value is.</summary>
    public ToolReturnKind Kind { get; init; }

    /// <summary>How the method is awaited.</summary>
    public ToolAwaitKind Await { get; init; }

    /// <summary>The type of the value for <see cref="ToolReturnKind.Value"/>.</summary>
    public ToolTypeModel? Type { get; init; }
}
