namespace CompactMemory.Generators.Model;

/// <summary>Where a tool parameter's value comes from.</summary>
internal enum ToolParameterKind
{
    /// <summary>From the arguments JSON; described in the schema.</summary>
    Argument,

    /// <summary>A <c>CancellationToken</c>: receives the call's token and is left out of the schema (as in Microsoft.Extensions.AI).</summary>
    CancellationToken,

    /// <summary>A <c>ToolCallContext</c>: receives the call's context and is left out of the schema.</summary>
    Context,
}
