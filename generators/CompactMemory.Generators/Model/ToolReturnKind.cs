namespace CompactMemory.Generators.Model;

/// <summary>What a tool method's (awaited) result is.</summary>
internal enum ToolReturnKind
{
    /// <summary>Nothing (<c>void</c>, <c>Task</c>, <c>ValueTask</c>): the tool returns <c>{"ok": true}</c>.</summary>
    Void,

    /// <summary>A string: returned as it is (it is the tool's JSON or text).</summary>
    String,

    /// <summary>Any other supported type: serialized as JSON.</summary>
    Value,
}
