namespace CompactMemory.Generators.Model;

/// <summary>
/// Facts about the engine class that decide how the generated tool members are declared. They are engine-level, but
/// the engine model belongs to the engine pipeline, so every tool of an engine carries an equal copy.
/// </summary>
internal sealed record ToolHostModel
{
    /// <summary>The engine class is sealed: generated members cannot be <c>virtual</c>.</summary>
    public bool IsSealed { get; init; }

    /// <summary>What a base class (other than <c>object</c>) already declares for <c>GetToolSchemas</c> / <c>HandleToolCallAsync</c>.</summary>
    public ToolBaseMembers BaseMembers { get; init; }

    /// <summary>A base class declares an accessible <c>GetStrictToolSchemas</c>, so the generated one hides it with <c>new</c>.</summary>
    public bool BaseHasStrictSchemas { get; init; }
}
