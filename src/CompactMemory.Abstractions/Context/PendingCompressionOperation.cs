namespace CompactMemory.Context;

/// <summary>An operation an engine asks the host to run before the next compaction.</summary>
public enum PendingCompressionOperation
{
    /// <summary>Nothing is pending (the original's <c>None</c>).</summary>
    None = 0,

    /// <summary>The host should sanitise the transcript first (<c>"sanitize"</c>).</summary>
    Sanitize = 1,
}
