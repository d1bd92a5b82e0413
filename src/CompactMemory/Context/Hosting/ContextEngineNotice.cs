namespace CompactMemory.Context;

/// <summary>How important a <see cref="ContextEngineNotice"/> is.</summary>
public enum ContextEngineNoticeKind
{
    /// <summary>A status line about an automatic or manual compaction (the original's spinner text).</summary>
    Status = 0,

    /// <summary>Something the user may want to know, such as a summary-model fallback.</summary>
    Info = 1,

    /// <summary>Something went wrong or is held back: an aborted or failed compaction, a blocked trigger.</summary>
    Warning = 2,
}

/// <summary>A line the host shows the user about its context engine.</summary>
/// <param name="Kind">How important it is.</param>
/// <param name="Message">The text.</param>
public sealed record ContextEngineNotice(ContextEngineNoticeKind Kind, string Message);
