using System.Collections.Generic;
using System.ComponentModel;

namespace CompactMemory.Samples.SearchableHistory;

/// <summary>Which speakers a search looks at.</summary>
public enum SpeakerFilter
{
    /// <summary>Every message.</summary>
    Any,

    /// <summary>Only the user's messages.</summary>
    User,

    /// <summary>Only the assistant's messages.</summary>
    Assistant,

    /// <summary>Only tool results.</summary>
    Tool,
}

/// <summary>One archived message that matched a search.</summary>
/// <param name="Index">The message's position in the archive (stable across compactions).</param>
/// <param name="Role">Who said it.</param>
/// <param name="Excerpt">The text around the match.</param>
public sealed record SearchHit(int Index, string Role, string Excerpt);

/// <summary>What the archive holds.</summary>
/// <param name="Archived">Messages seen so far.</param>
/// <param name="Compactions">Compactions run.</param>
/// <param name="Pinned">Messages pinned so compaction keeps them.</param>
public sealed record HistoryStats(int Archived, int Compactions, IReadOnlyList<int> Pinned);

/// <summary>Messages to keep verbatim through every compaction.</summary>
public sealed record PinRequest
{
    /// <summary>The archive indexes to pin.</summary>
    [Description("Archive indexes of the messages to keep, as returned by history_search.")]
    public int[] Indexes { get; init; } = [];

    /// <summary>Why they matter, for the record.</summary>
    [Description("Why these messages matter.")]
    public string? Note { get; init; }
}
