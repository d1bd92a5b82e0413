namespace CompactMemory.Generators.Model;

/// <summary>One enum member.</summary>
internal sealed record ToolEnumMemberModel
{
    /// <summary>The C# member name, escaped with <c>@</c> when it is a keyword.</summary>
    public string MemberName { get; init; } = string.Empty;

    /// <summary>The JSON string: <c>[JsonStringEnumMemberName]</c>, else the member name.</summary>
    public string JsonName { get; init; } = string.Empty;

    /// <summary>Another member earlier in the enum has the same value (written under that member's name).</summary>
    public bool IsAlias { get; init; }
}
