namespace CompactMemory.Generators.Model;

/// <summary>What an engine's base classes declare for the tool members.</summary>
internal enum ToolBaseMembers
{
    /// <summary>Nothing: the generated members implement <c>IContextEngine</c> directly.</summary>
    None,

    /// <summary>Virtual, abstract or non-sealed override members: the generated members override them.</summary>
    Overridable,

    /// <summary>Non-virtual or sealed members: nothing can be generated without breaking the base's contract.</summary>
    NotOverridable,
}
