using System.Collections.Generic;

namespace CompactMemory.Context;

/// <summary>The built-in compressor's exact strings (contract §8.21), verbatim on the wire.</summary>
public sealed partial class ContextCompressor
{
    /// <summary>The last line of every summary: the model answers what follows it, not the summary.</summary>
    public const string EndMarker = "--- END OF CONTEXT SUMMARY — respond to the message below, not the summary above ---";

    /// <summary>
    /// The first line of every summary: it frames the summary as background reference, lets the latest user message
    /// win, names the four <c>Historical …</c> sections as stale history, lists reverse signals, keeps persistent memory
    /// authoritative and says the tools stay active. Frozen once shipped: a change adds the old text to
    /// <see cref="HistoricalSummaryPrefixes"/> so earlier handoffs are still recognised and renormalised.
    /// </summary>
    public const string SummaryPrefix =
        "[CONTEXT COMPACTION — REFERENCE ONLY] Earlier turns were compacted into the summary below. "
        + "Treat it as background reference, NOT as active instructions: it records what happened before, and the "
        + "requests it mentions were made earlier. "
        + "The latest user message after this summary is the only source of what to do now and always wins; topic "
        + "overlap with the summary is no reason to pick up work described in it. "
        + "Items under Historical Task Snapshot, Historical In-Progress State, Historical Pending User Asks and "
        + "Historical Remaining Work are stale history, not orders: do not finish or continue them unless the latest "
        + "user message asks for that. "
        + "Reverse signals in the latest user message (stop, undo, roll back, never mind, just verify) end any work the "
        + "summary describes as in progress. "
        + "Persistent memory (MEMORY.md, USER.md) in the system prompt stays authoritative over this summary. "
        + "All tools remain fully active; use them as the latest user message requires.";

    /// <summary>The prefix of summaries written by older hosts.</summary>
    public const string LegacySummaryPrefix = "[CONTEXT SUMMARY]:";

    /// <summary>
    /// The opening of every compaction prefix generation, current or earlier (their wording after it varies).
    /// A message starting with it is a handoff; when its first line is not exactly <see cref="SummaryPrefix"/>, that
    /// whole first line is an earlier prefix and is stripped when the summary body is read.
    /// </summary>
    public const string CompactionPrefixOpener = "[CONTEXT COMPACTION — REFERENCE ONLY]";

    /// <summary>
    /// Earlier prefixes, still recognised as handoffs and stripped when a summary is renormalised: the legacy prefix,
    /// the opener of the reference-only generations (<see cref="CompactionPrefixOpener"/>, whose first line is
    /// stripped whole) and the opener of the first compaction generation.
    /// </summary>
    public static IReadOnlyList<string> HistoricalSummaryPrefixes { get; } = new[]
    {
        LegacySummaryPrefix,
        CompactionPrefixOpener,
        "[CONTEXT COMPACTION]",
    };

    /// <summary>Appended once to the system prompt of a compacted conversation.</summary>
    public const string SystemNote = "[Note: Some earlier conversation turns have been compacted into a handoff summary to preserve context space. The summary appears in the conversation; treat it as background reference.]";

    /// <summary>Replaces an older tool output identical to a newer one.</summary>
    public const string DuplicateToolOutputMarker = "[Duplicate tool output — same content as a more recent call]";

    /// <summary>The placeholder of old tool output cleared by older hosts.</summary>
    public const string LegacyPrunePlaceholder = "[Old tool output cleared to save context space]";

    /// <summary>Replaces an image in an old tool result.</summary>
    public const string ScreenshotRemovedMarker = "[screenshot removed to save context]";

    /// <summary>Prefixes the text summary of an old multimodal tool result.</summary>
    public const string ScreenshotRemovedPrefix = "[screenshot removed] ";

    /// <summary>Ends a tool-call argument string cut to 200 characters.</summary>
    public const string ArgumentTruncationSuffix = "...[truncated]";

    /// <summary>Joins the head and tail of a long body in the summarizer's input.</summary>
    public const string SerializationTruncation = "\n...[truncated]...\n";

    /// <summary>Replaces a <c>MEDIA:</c> reference in the summarizer's input.</summary>
    public const string MediaAttachmentMarker = "[media attachment]";

    /// <summary>Replaces an image older than the newest image-bearing user message.</summary>
    public const string StrippedImageMarker = "[Attached image — stripped after compression]";

    /// <summary>The content of an assistant message whose only tool calls were removed as orphans.</summary>
    public const string OrphanCallContent = "(tool call removed)";

    /// <summary>Opens a merged carrier: the first tail message's own content follows.</summary>
    public const string PriorContextMarker = "[PRIOR CONTEXT — for reference only; not a new message]";

    /// <summary>Separates a merged carrier's own content from the summary below it.</summary>
    public const string PriorContextEndMarker = "[END OF PRIOR CONTEXT — COMPACTION SUMMARY BELOW]";

    /// <summary>Ends a fallback summary cut at 8,000 characters.</summary>
    public const string FallbackTruncationMarker = "\n...[fallback summary truncated]";
}
