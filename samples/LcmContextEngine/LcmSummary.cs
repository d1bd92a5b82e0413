using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.Lcm;

/// <summary>The deterministic text of the one summary message a compaction leaves in the conversation.</summary>
internal static class LcmSummary
{
    /// <summary>How every summary starts; also how the engine recognises its own summary when the host dropped the private marker.</summary>
    public const string Header = "[LCM summary]";

    /// <summary>The label of the line listing every stored message that is not in the context window.</summary>
    public const string StoredIdsLabel = "Stored message ids:";

    /// <summary>Excerpts shown per compaction: the first and last half of this many moved messages.</summary>
    public const int MaxExcerpts = 10;

    /// <summary>Characters per excerpt.</summary>
    public const int ExcerptLength = 160;

    /// <summary>The summary text.</summary>
    /// <param name="compactedIds">Every stored message of the conversation that is not in the new context, ascending.</param>
    /// <param name="moved">The messages this compaction moved out, in conversation order, with their ids.</param>
    public static string Build(IReadOnlyList<long> compactedIds, IReadOnlyList<(long Id, ChatMessage Message)> moved)
    {
        var builder = new StringBuilder(1024);
        builder.Append(Header)
            .Append(" Earlier parts of this conversation were moved out of the context window into a lossless store. ")
            .Append("Nothing was deleted: every message is kept verbatim and can be searched and restored.\n");
        builder.Append(StoredIdsLabel).Append(' ').Append(Ranges(compactedIds))
            .Append(" (").Append(compactedIds.Count.ToString(CultureInfo.InvariantCulture)).Append(" messages).\n");
        if (moved.Count > 0)
        {
            var movedIds = new List<long>(moved.Count);
            foreach (var (id, _) in moved)
            {
                movedIds.Add(id);
            }

            movedIds.Sort();
            builder.Append("This compaction moved ").Append(moved.Count.ToString(CultureInfo.InvariantCulture))
                .Append(" messages (ids ").Append(Ranges(movedIds)).Append("):\n");
            var half = MaxExcerpts / 2;
            for (var i = 0; i < moved.Count; i++)
            {
                if (moved.Count > MaxExcerpts && i == half)
                {
                    builder.Append("- … ").Append((moved.Count - MaxExcerpts).ToString(CultureInfo.InvariantCulture)).Append(" more …\n");
                    i = moved.Count - half - 1;
                    continue;
                }

                Excerpt(builder, moved[i].Id, moved[i].Message);
            }
        }

        builder.Append("To recall details, call lcm_grep with a few words (it returns message ids, roles and snippets), ")
            .Append("then lcm_expand with those ids to restore the messages exactly as they were.");
        return builder.ToString();
    }

    /// <summary>Ascending ids as ranges: <c>4-17, 20, 22-25</c>; <c>none</c> when empty.</summary>
    public static string Ranges(IReadOnlyList<long> sortedIds)
    {
        if (sortedIds.Count == 0)
        {
            return "none";
        }

        var builder = new StringBuilder();
        var start = sortedIds[0];
        var previous = start;
        for (var i = 1; i <= sortedIds.Count; i++)
        {
            if (i < sortedIds.Count && sortedIds[i] == previous + 1)
            {
                previous = sortedIds[i];
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(start.ToString(CultureInfo.InvariantCulture));
            if (previous != start)
            {
                builder.Append('-').Append(previous.ToString(CultureInfo.InvariantCulture));
            }

            if (i < sortedIds.Count)
            {
                start = previous = sortedIds[i];
            }
        }

        return builder.ToString();
    }

    /// <summary>Reads the ids of a <see cref="Ranges"/> text back (for hosts and tests); malformed parts are skipped.</summary>
    public static List<long> ParseRanges(string ranges)
    {
        var ids = new List<long>();
        foreach (var part in ranges.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var single))
                {
                    ids.Add(single);
                }
            }
            else if (long.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                && long.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                && to >= from && to - from < 10_000_000)
            {
                for (var id = from; id <= to; id++)
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    private static void Excerpt(StringBuilder builder, long id, ChatMessage message)
    {
        builder.Append("- #").Append(id.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(message.Role.Value);
        if (ChatMessageFacts.ToolCallId(message) is { } callId)
        {
            builder.Append(" (result of ").Append(Collapse(callId, 64)).Append(')');
        }

        builder.Append(": ").Append(Collapse(ChatMessageFacts.Text(message), ExcerptLength));
        var calls = ChatMessageFacts.ToolCalls(message);
        if (calls.Count > 0)
        {
            builder.Append(" [calls:");
            foreach (var call in calls)
            {
                builder.Append(' ').Append(Collapse(call.Name, 64));
            }

            builder.Append(']');
        }

        builder.Append('\n');
    }

    /// <summary>Whitespace runs as one space, trimmed, at most <paramref name="max"/> characters (ending in … when cut, never inside a surrogate pair).</summary>
    private static string Collapse(string? text, int max)
    {
        var builder = new StringBuilder(Math.Min(text?.Length ?? 0, max + 1));
        var space = false;
        foreach (var c in LcmMessageJson.Clean(text))
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
            if (builder.Length > max)
            {
                break;
            }
        }

        if (builder.Length <= max)
        {
            return builder.Length == 0 ? "(no text)" : builder.ToString();
        }

        var cut = max - 1;
        if (char.IsHighSurrogate(builder[cut - 1]))
        {
            cut--;
        }

        return builder.ToString(0, cut) + "…";
    }
}
