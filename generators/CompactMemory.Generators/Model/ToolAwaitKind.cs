namespace CompactMemory.Generators.Model;

/// <summary>Whether and how the dispatch awaits a tool method.</summary>
internal enum ToolAwaitKind
{
    /// <summary>A synchronous method.</summary>
    None,

    /// <summary>Returns <c>Task</c> or <c>Task&lt;T&gt;</c>.</summary>
    Task,

    /// <summary>Returns <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTask,
}
