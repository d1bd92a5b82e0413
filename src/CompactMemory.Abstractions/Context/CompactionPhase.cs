namespace CompactMemory.Context;

/// <summary>When an automatic compaction status message is shown.</summary>
public enum CompactionPhase
{
    /// <summary>Before the first request of a turn (<c>"preflight"</c>).</summary>
    Preflight = 0,

    /// <summary>During a compaction (<c>"compress"</c>).</summary>
    Compress = 1,
}
