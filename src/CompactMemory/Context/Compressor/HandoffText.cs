using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// Recognising, writing and reading summary handoffs (contract §8.11, §8.12, §8.15): the prefix, the END marker, the
/// standalone summary message and the merged carrier (a tail message that also carries the summary).
/// </summary>
/// <remarks>
/// Carrier shapes, for a text (string-content) message and for a list-content message:
/// <list type="bullet">
/// <item><description>standalone: <c>summary + "\n\n" + END</c>;</description></item>
/// <item><description>merged, summary below: <c>PRIOR + "\n" + live + "\n\n" + PRIOR_END + "\n\n" + summary + "\n\n" + END</c>
/// (list content: a <c>PRIOR</c> block first, the live blocks, then one block <c>PRIOR_END + "\n\n" + summary + "\n\n" + END</c>);</description></item>
/// <item><description>merged, summary first (when a user message is forced): <c>summary + "\n\n" + END + "\n\n" + live</c>
/// (list content: one block <c>summary + "\n\n" + END</c>, then the live blocks).</description></item>
/// </list>
/// <see cref="SummaryBody"/> and <see cref="LiveContent"/> take every shape apart again.
/// </remarks>
internal static class HandoffText
{
    private const string Gap = "\n\n";

    private static readonly string PriorEndSeparator = Gap + ContextCompressor.PriorContextEndMarker + Gap;

    /// <summary>True when the message is a handoff: it carries the summary flag, its text starts with the current, the legacy or a historical prefix, or it is a merged carrier.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message is a handoff.</returns>
    public static bool IsHandoff(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ChatMessageFacts.IsCompressedSummary(message))
        {
            return true;
        }

        var text = FirstText(message, out _) ?? ChatMessageFacts.Text(message);
        if (StartsWithSummaryPrefix(text))
        {
            return true;
        }

        return text.AsSpan().TrimStart().StartsWith(ContextCompressor.PriorContextMarker, StringComparison.Ordinal)
            && ChatMessageFacts.Text(message).Contains(ContextCompressor.PriorContextEndMarker, StringComparison.Ordinal);
    }

    /// <summary>True when the text (leading white space ignored) starts with the current, the legacy or a historical summary prefix.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether the text opens a summary.</returns>
    public static bool StartsWithSummaryPrefix(string text)
    {
        var start = text.AsSpan().TrimStart();
        if (start.StartsWith(ContextCompressor.SummaryPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var prefix in ContextCompressor.HistoricalSummaryPrefixes)
        {
            if (start.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The summary body of a handoff: without prefix (current, legacy or historical) and END marker; for a merged
    /// carrier only the summary part, never the live content. For a message that is not a handoff, its text with any
    /// prefix and END marker stripped.
    /// </summary>
    /// <param name="message">The handoff.</param>
    /// <returns>The body (trimmed; empty when there is none).</returns>
    public static string SummaryBody(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (summary, _) = Split(message);
        return StripSummaryPrefix(summary);
    }

    /// <summary>
    /// The live content of a merged carrier as a message of the carrier's role: the tail message as it was before the
    /// summary was merged into it (its other parts, such as tool calls, kept; the summary flag removed).
    /// <see langword="null"/> for a standalone summary (it has no live content); the message itself when it is not a handoff.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The live message, or <see langword="null"/>.</returns>
    public static ChatMessage? LiveContent(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsHandoff(message))
        {
            return message;
        }

        var (_, live) = Split(message);
        if (live is null || live.Count == 0)
        {
            return null;
        }

        var copy = ChatMessageFacts.Copy(message);
        copy.Contents = live;
        if (copy.AdditionalProperties is { } properties)
        {
            properties.Remove(ChatMessageFacts.CompressedSummaryKey);
            properties.Remove(ChatMessageFacts.CompressedSummaryKey + "_has_user_turn");
            if (properties.Count == 0)
            {
                copy.AdditionalProperties = null;
            }
        }

        return copy;
    }

    /// <summary><see cref="ContextCompressor.SummaryPrefix"/>, a line feed and the body; exactly the prefix for an empty body. Never double-prefixes.</summary>
    /// <param name="summary">The summary, possibly already prefixed (with any known prefix) or ending with the END marker.</param>
    /// <returns>The prefixed summary.</returns>
    public static string WithSummaryPrefix(string summary)
    {
        var body = StripSummaryPrefix(summary ?? string.Empty);
        return body.Length == 0 ? ContextCompressor.SummaryPrefix : ContextCompressor.SummaryPrefix + "\n" + body;
    }

    /// <summary>
    /// The text without any leading summary prefix (current, legacy or historical, repeatedly) and any trailing END
    /// marker, trimmed. A historical reference-only prefix is stripped with the rest of its first line, because its
    /// wording after the opener varied.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The body.</returns>
    public static string StripSummaryPrefix(string text)
    {
        var body = (text ?? string.Empty).Trim();
        while (true)
        {
            var before = body;
            body = StripOnePrefix(body).Trim();
            if (body.EndsWith(ContextCompressor.EndMarker, StringComparison.Ordinal))
            {
                body = body[..^ContextCompressor.EndMarker.Length].Trim();
            }

            if (body.Length == before.Length)
            {
                return body;
            }
        }
    }

    /// <summary>A standalone summary message: <c>summary + "\n\n" + END</c>, flagged with <see cref="ChatMessageFacts.CompressedSummaryKey"/>.</summary>
    /// <param name="role">The summary's role.</param>
    /// <param name="summary">The prefixed summary.</param>
    /// <returns>The message.</returns>
    public static ChatMessage Standalone(ChatRole role, string summary) =>
        new(role, WithSummaryPrefix(summary) + Gap + ContextCompressor.EndMarker)
        {
            AdditionalProperties = new AdditionalPropertiesDictionary { [ChatMessageFacts.CompressedSummaryKey] = true },
        };

    /// <summary>
    /// A copy of <paramref name="live"/> carrying the summary (contract §8.15 step 4), flagged with
    /// <see cref="ChatMessageFacts.CompressedSummaryKey"/>. Normally the live content comes first, framed as prior
    /// context, and the summary and END marker last; with <paramref name="summaryFirst"/> (the merge was forced by the
    /// user-message rule) the summary and END marker come first and the live content follows, so the live ask stays below.
    /// A message with exactly one text part keeps one text part; list content gets text blocks and keeps its parts.
    /// </summary>
    /// <param name="live">The first tail message.</param>
    /// <param name="summary">The summary (prefixed or not; it is normalised).</param>
    /// <param name="summaryFirst">Whether the summary goes above the live content.</param>
    /// <returns>The carrier.</returns>
    public static ChatMessage Merge(ChatMessage live, string summary, bool summaryFirst)
    {
        ArgumentNullException.ThrowIfNull(live);
        var prefixed = WithSummaryPrefix(summary);
        var summaryBlock = prefixed + Gap + ContextCompressor.EndMarker;
        var contents = new List<AIContent>(live.Contents);
        var textCount = 0;
        var textIndex = -1;
        var hasOtherVisible = false;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent)
            {
                textCount++;
                textIndex = i;
            }
            else if (contents[i] is not FunctionCallContent and not FunctionResultContent)
            {
                hasOtherVisible = true;
            }
        }

        if (textCount <= 1 && !hasOtherVisible)
        {
            var liveText = textIndex >= 0 ? ((TextContent)contents[textIndex]).Text ?? string.Empty : string.Empty;
            var merged = summaryFirst
                ? (liveText.Length == 0 ? summaryBlock : summaryBlock + Gap + liveText)
                : ContextCompressor.PriorContextMarker + "\n" + liveText + PriorEndSeparator + summaryBlock;
            if (textIndex >= 0)
            {
                contents[textIndex] = new TextContent(merged);
            }
            else
            {
                contents.Insert(0, new TextContent(merged));
            }
        }
        else if (summaryFirst)
        {
            contents.Insert(0, new TextContent(summaryBlock));
        }
        else
        {
            contents.Insert(0, new TextContent(ContextCompressor.PriorContextMarker));
            contents.Add(new TextContent(ContextCompressor.PriorContextEndMarker + Gap + summaryBlock));
        }

        var carrier = ChatMessageFacts.Copy(live);
        carrier.Contents = contents;
        carrier.AdditionalProperties ??= new AdditionalPropertiesDictionary();
        carrier.AdditionalProperties[ChatMessageFacts.CompressedSummaryKey] = true;
        return carrier;
    }

    /// <summary>
    /// <c>"Recent user focus:\n- a\n- b\n- c"</c> from the last three user messages that are not handoffs, in
    /// conversation order: white space collapsed, secrets redacted, each at most 260 characters, the whole at most 700.
    /// <see langword="null"/> when there is no such message with text.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>The focus, or <see langword="null"/>.</returns>
    public static string? AutoFocus(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var picked = new List<string>(3);
        for (var i = messages.Count - 1; i >= 0 && picked.Count < 3; i--)
        {
            var message = messages[i];
            if (message is null || !ChatMessageFacts.IsUser(message) || IsHandoff(message))
            {
                continue;
            }

            var text = SummaryText.CollapseWhitespace(SummaryText.Clean(ChatMessageFacts.Text(message)));
            if (text.Length > 0)
            {
                picked.Add(SummaryText.Ellipsize(text, 260));
            }
        }

        if (picked.Count == 0)
        {
            return null;
        }

        picked.Reverse();
        var builder = new StringBuilder("Recent user focus:");
        foreach (var item in picked)
        {
            builder.Append("\n- ").Append(item);
        }

        return SummaryText.Ellipsize(builder.ToString(), 700);
    }

    /// <summary>The summary part and the live parts of a message (live <see langword="null"/> when there are none).</summary>
    private static (string Summary, List<AIContent>? Live) Split(ChatMessage message)
    {
        var first = FirstText(message, out var index);
        if (first is null)
        {
            return (ChatMessageFacts.Text(message), null);
        }

        var contents = message.Contents;
        var leading = first.Length - first.AsSpan().TrimStart().Length;
        if (first.AsSpan(leading).StartsWith(ContextCompressor.PriorContextMarker, StringComparison.Ordinal))
        {
            var liveStart = leading + ContextCompressor.PriorContextMarker.Length;
            if (liveStart < first.Length && first[liveStart] == '\n')
            {
                liveStart++;
            }

            var separator = FindPriorEndSeparator(first, liveStart);
            if (separator >= 0)
            {
                var liveText = first[liveStart..separator];
                var summary = first[(separator + PriorEndSeparator.Length)..];
                return (summary, Replace(contents, index, liveText, 0, contents.Count));
            }

            // List form: the PRIOR_END block is a later text block.
            for (var j = contents.Count - 1; j > index; j--)
            {
                if (contents[j] is TextContent { Text: { } blockText } && blockText.AsSpan().TrimStart().StartsWith(ContextCompressor.PriorContextEndMarker, StringComparison.Ordinal))
                {
                    var trimmed = blockText.TrimStart();
                    var summary = trimmed[ContextCompressor.PriorContextEndMarker.Length..];
                    var live = Replace(contents, index, first[liveStart..], 0, j);
                    for (var k = j + 1; k < contents.Count; k++)
                    {
                        live.Add(contents[k]);
                    }

                    return (summary, live);
                }
            }

            return (ChatMessageFacts.Text(message), null);
        }

        if (StartsWithSummaryPrefix(first))
        {
            var end = first.IndexOf(ContextCompressor.EndMarker, StringComparison.Ordinal);
            if (end < 0)
            {
                return (first, Replace(contents, index, string.Empty, 0, contents.Count));
            }

            var rest = first[(end + ContextCompressor.EndMarker.Length)..];
            rest = rest.StartsWith(Gap, StringComparison.Ordinal) ? rest[Gap.Length..] : rest.TrimStart('\n', '\r');
            return (first[..end], Replace(contents, index, rest, 0, contents.Count));
        }

        return (ChatMessageFacts.Text(message), null);
    }

    /// <summary>Where the <c>"\n\n" + PRIOR_END + "\n\n"</c> separator of a one-block merged carrier starts, preferring the one a summary prefix follows.</summary>
    private static int FindPriorEndSeparator(string text, int from)
    {
        var candidate = -1;
        var at = from;
        while (at <= text.Length)
        {
            var found = text.IndexOf(PriorEndSeparator, at, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            if (StartsWithSummaryPrefix(text[(found + PriorEndSeparator.Length)..]))
            {
                return found;
            }

            candidate = found;
            at = found + 1;
        }

        return candidate;
    }

    /// <summary>Parts <c>[from, to)</c> with the text part at <paramref name="index"/> replaced by <paramref name="text"/> (dropped when empty).</summary>
    private static List<AIContent> Replace(IList<AIContent> contents, int index, string text, int from, int to)
    {
        var result = new List<AIContent>(Math.Max(0, to - from));
        for (var i = from; i < to; i++)
        {
            if (i != index)
            {
                result.Add(contents[i]);
            }
            else if (text.Length > 0)
            {
                result.Add(new TextContent(text));
            }
        }

        return result;
    }

    /// <summary>The text of the first text part with text, or <see langword="null"/>; for a tool message, the result's text.</summary>
    private static string? FirstText(ChatMessage message, out int index)
    {
        var contents = message.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent { Text: { Length: > 0 } text })
            {
                index = i;
                return text;
            }
        }

        index = -1;
        return null;
    }

    private static string StripOnePrefix(string text)
    {
        if (text.StartsWith(ContextCompressor.SummaryPrefix, StringComparison.Ordinal))
        {
            return text[ContextCompressor.SummaryPrefix.Length..];
        }

        if (text.StartsWith(ContextCompressor.LegacySummaryPrefix, StringComparison.Ordinal))
        {
            return text[ContextCompressor.LegacySummaryPrefix.Length..];
        }

        foreach (var prefix in ContextCompressor.HistoricalSummaryPrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                // Earlier generations of the compaction prefix were one line whose wording after the opener varied.
                if (prefix.StartsWith("[CONTEXT COMPACTION", StringComparison.Ordinal))
                {
                    var lineEnd = text.IndexOf('\n', StringComparison.Ordinal);
                    return lineEnd < 0 ? string.Empty : text[(lineEnd + 1)..];
                }

                return text[prefix.Length..];
            }
        }

        return text;
    }
}
