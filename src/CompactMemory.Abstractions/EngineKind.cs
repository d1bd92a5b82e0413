namespace CompactMemory;

/// <summary>The two kinds of engine the SDK hosts.</summary>
public enum EngineKind
{
    /// <summary>A compression engine: text and a token budget in, compressed text and a trace out.</summary>
    Compression = 0,

    /// <summary>A context engine: owns a conversation's context window, its token counters and its compaction.</summary>
    Context = 1,
}
