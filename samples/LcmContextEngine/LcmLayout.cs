using System;
using System.Collections.Generic;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.Lcm;

/// <summary>A message the compacted conversation keeps: its index in the input and the message (a copy when it had to change).</summary>
internal readonly record struct Kept(int Index, ChatMessage Message, bool Modified);

/// <summary>What a compaction keeps and where the summary goes.</summary>
/// <param name="HeadEnd">The first index after the protected head.</param>
/// <param name="TailStart">The first index of the protected tail.</param>
/// <param name="Kept">The head then the tail, orphan tool results left out.</param>
/// <param name="SummaryPosition">The summary's position in <paramref name="Kept"/> (the number of kept head messages).</param>
/// <param name="SummaryRole">The summary's role, chosen so no two user or two assistant messages meet.</param>
internal sealed record Layout(int HeadEnd, int TailStart, List<Kept> Kept, int SummaryPosition, ChatRole SummaryRole);

/// <summary>
/// Where a compaction cuts. Head: the leading system messages plus <c>ProtectFirstN</c> messages, moved forward past
/// tool results so a call keeps its results. Tail: the last <c>ProtectLastN</c> messages, moved back to the assistant
/// message that owns any tool results at the cut, and back to the last user message so it always stays. The summary
/// role follows the built-in compressor's rule (user after a system, assistant or tool message; assistant after a
/// user; flipped when it would meet the first tail message's role). When no role fits, the cut moves by one message
/// (the tail one earlier, else the head one later); when nothing fits, there is nothing to compact — the engine never
/// merges its summary into a live message. Orphans already in the input (a tool result without its call, a call
/// without its result) are left out of the kept messages; they stay in the store and the summary points at them.
/// </summary>
internal static class LcmLayout
{
    /// <summary>The layout of a compaction, or <see langword="null"/> when nothing would be moved out.</summary>
    public static Layout? Plan(IReadOnlyList<ChatMessage> messages, int protectFirstN, int protectLastN)
    {
        var n = messages.Count;
        var system = 0;
        while (system < n && ChatMessageFacts.IsSystem(messages[system]))
        {
            system++;
        }

        var head = AlignForward(messages, (int)Math.Min(n, (long)system + Math.Max(0, protectFirstN)));
        var tail = AlignBackward(messages, Math.Max(head, n - Math.Max(0, protectLastN)), head);
        var lastUser = -1;
        var firstOwn = -1;
        var lastOwn = -1;
        for (var i = 0; i < n; i++)
        {
            if (LcmContextEngine.IsOwnSummary(messages[i]))
            {
                firstOwn = firstOwn < 0 ? i : firstOwn;
                lastOwn = i;
            }
            else if (ChatMessageFacts.IsUser(messages[i]))
            {
                lastUser = i;
            }
        }

        if (lastUser >= head && lastUser < tail)
        {
            tail = AlignBackward(messages, lastUser, head);
        }

        // An earlier summary of this engine is replaced, never kept: it must lie in the middle.
        if (firstOwn >= 0 && firstOwn < head)
        {
            head = firstOwn;
        }

        if (lastOwn >= tail)
        {
            tail = lastOwn + 1;
            if (lastUser >= 0 && lastUser < tail && lastUser > lastOwn)
            {
                return null;
            }
        }

        foreach (var (h, t) in Candidates(messages, head, tail, firstOwn, lastOwn))
        {
            if (Build(messages, h, t) is { } layout)
            {
                return layout;
            }
        }

        return null;
    }

    private static IEnumerable<(int Head, int Tail)> Candidates(IReadOnlyList<ChatMessage> messages, int head, int tail, int firstOwn, int lastOwn)
    {
        yield return (head, tail);
        if (tail - 1 > head)
        {
            var earlier = AlignBackward(messages, tail - 1, head);
            if (earlier > head && earlier > lastOwn)
            {
                yield return (head, earlier);
            }
        }

        if (head + 1 < tail)
        {
            var later = AlignForward(messages, head + 1);
            if (later < tail && (firstOwn < 0 || later <= firstOwn))
            {
                yield return (later, tail);
            }
        }
    }

    private static Layout? Build(IReadOnlyList<ChatMessage> messages, int head, int tail)
    {
        if (tail <= head)
        {
            return null;
        }

        var movesSomething = false;
        for (var i = head; i < tail; i++)
        {
            movesSomething |= !LcmContextEngine.IsOwnSummary(messages[i]);
        }

        var kept = Sanitize(messages, head, tail, out var changed);
        if (!movesSomething && !changed)
        {
            return null;
        }

        var position = 0;
        while (position < kept.Count && kept[position].Index < head)
        {
            position++;
        }

        var lastHead = position > 0 ? kept[position - 1].Message.Role : (ChatRole?)null;
        var firstTail = position < kept.Count ? kept[position].Message.Role : (ChatRole?)null;
        var userSurvives = false;
        foreach (var k in kept)
        {
            userSurvives |= ChatMessageFacts.IsUser(k.Message) && ChatMessageFacts.HasVisibleText(k.Message);
        }

        var forceUser = lastHead is null || lastHead == ChatRole.System || !userSurvives;
        var role = forceUser || lastHead == ChatRole.Assistant || lastHead == ChatRole.Tool ? ChatRole.User : ChatRole.Assistant;
        if (firstTail == role)
        {
            var flipped = role == ChatRole.User ? ChatRole.Assistant : ChatRole.User;
            if (forceUser || flipped == lastHead)
            {
                return null;
            }

            role = flipped;
        }

        return new Layout(head, tail, kept, position, role);
    }

    /// <summary>
    /// The head and tail messages, without tool results whose call is not kept, and with calls whose result is not
    /// kept removed from their message (a message left empty says <c>(tool call removed)</c>); another engine's
    /// summary marker is taken off, so exactly one kept message is a summary.
    /// </summary>
    private static List<Kept> Sanitize(IReadOnlyList<ChatMessage> messages, int head, int tail, out bool changed)
    {
        changed = false;
        var calls = new HashSet<string>(StringComparer.Ordinal);
        var results = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            if (i >= head && i < tail)
            {
                continue;
            }

            if (ChatMessageFacts.IsAssistant(messages[i]))
            {
                foreach (var call in ChatMessageFacts.ToolCalls(messages[i]))
                {
                    calls.Add(call.CallId);
                }
            }
            else if (ChatMessageFacts.IsTool(messages[i]) && ChatMessageFacts.ToolCallId(messages[i]) is { } id)
            {
                results.Add(id);
            }
        }

        var kept = new List<Kept>(messages.Count - (tail - head));
        for (var i = 0; i < messages.Count; i++)
        {
            if (i >= head && i < tail)
            {
                continue;
            }

            var message = messages[i];
            if (ChatMessageFacts.IsTool(message) && (ChatMessageFacts.ToolCallId(message) is not { } callId || !calls.Contains(callId)))
            {
                changed = true;
                continue;
            }

            var modified = false;
            if (ChatMessageFacts.ToolCalls(message) is { Count: > 0 } own && !AllAnswered(own, results, ChatMessageFacts.IsAssistant(message)))
            {
                message = ChatMessageFacts.Copy(message);
                var contents = new List<AIContent>();
                foreach (var content in message.Contents)
                {
                    if (content is FunctionCallContent call && !(ChatMessageFacts.IsAssistant(message) && results.Contains(call.CallId)))
                    {
                        continue;
                    }

                    contents.Add(content);
                }

                if (contents.Count == 0)
                {
                    contents.Add(new TextContent("(tool call removed)"));
                }

                message.Contents = contents;
                modified = true;
            }

            if (ChatMessageFacts.IsCompressedSummary(message))
            {
                message = modified ? message : ChatMessageFacts.Copy(message);
                message.AdditionalProperties!.Remove(ChatMessageFacts.CompressedSummaryKey);
                modified = true;
            }

            changed |= modified;
            kept.Add(new Kept(i, message, modified));
        }

        return kept;
    }

    private static bool AllAnswered(IReadOnlyList<FunctionCallContent> calls, HashSet<string> results, bool assistant)
    {
        if (!assistant)
        {
            return false;
        }

        foreach (var call in calls)
        {
            if (!results.Contains(call.CallId))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Past any tool results at <paramref name="index"/>.</summary>
    private static int AlignForward(IReadOnlyList<ChatMessage> messages, int index)
    {
        while (index < messages.Count && ChatMessageFacts.IsTool(messages[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>Back to the assistant message whose tool results surround the cut, if any (never before <paramref name="floor"/>).</summary>
    private static int AlignBackward(IReadOnlyList<ChatMessage> messages, int index, int floor)
    {
        var j = index - 1;
        while (j >= floor && ChatMessageFacts.IsTool(messages[j]))
        {
            j--;
        }

        return j >= floor && ChatMessageFacts.HasToolCalls(messages[j]) ? j : index;
    }
}
