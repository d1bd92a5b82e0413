using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>Phase 2: where the compacted middle starts and ends, without ever splitting a tool-call group.</summary>
public sealed partial class ContextCompressor
{
    /// <summary>
    /// True when a compaction would replace at least one message: the conversation is longer than the protected head
    /// plus four messages, and the compressible region between the head and the protected tail is not empty.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>False to answer a manual compaction with "Nothing to compress".</returns>
    public override bool HasContentToCompress(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckElements(messages);
        var head = HeadEnd(messages);
        if (messages.Count <= head + 4)
        {
            return false;
        }

        var (_, start, end) = Window(messages, head);
        return start < end;
    }

    /// <summary>The pruned conversation and the region <c>[Start, End)</c> a compaction would replace (empty when <c>Start &gt;= End</c>).</summary>
    internal (List<ChatMessage> Work, int Start, int End) Window(IReadOnlyList<ChatMessage> messages) => Window(messages, HeadEnd(messages));

    private (List<ChatMessage> Work, int Start, int End) Window(IReadOnlyList<ChatMessage> messages, int head)
    {
        var tokens = EstimateAll(messages);
        var (pruned, _) = Prune(messages, tokens, ProtectLastN, TailTokenBudget);

        // Orphans of the input are repaired first, so the boundaries and the role rules see the conversation as it will be sent.
        var (work, repaired) = RepairToolPairs(pruned);
        if (repaired)
        {
            tokens = EstimateAll(work);
        }

        var start = AlignForward(work, head);
        var end = start < work.Count ? FindTailCut(work, tokens, start, TailTokenBudget) : start;
        return (work, start, end);
    }

    /// <summary>The protected head: the system prompt plus <see cref="ContextEngine.ProtectFirstN"/>, which decays to 0 after the first compaction.</summary>
    private int HeadEnd(IReadOnlyList<ChatMessage> messages)
    {
        var protectFirst = CompressionCount >= 1 || !string.IsNullOrEmpty(_summarizer.PreviousSummary) ? 0 : ProtectFirstN;
        var system = messages.Count > 0 && ChatMessageFacts.IsSystem(messages[0]) ? 1 : 0;
        return system + protectFirst;
    }

    /// <summary>Moves past tool results, so the compacted region never starts inside a tool group.</summary>
    private static int AlignForward(List<ChatMessage> messages, int index)
    {
        while (index < messages.Count && ChatMessageFacts.IsTool(messages[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>
    /// Moves a tail start that falls among tool results (or right after a tool-calling assistant) back to that
    /// assistant, so the whole group — any number of parallel results — stays in the tail.
    /// </summary>
    private static int AlignBackward(List<ChatMessage> messages, int index)
    {
        var j = Math.Min(index, messages.Count) - 1;
        while (j >= 0 && ChatMessageFacts.IsTool(messages[j]))
        {
            j--;
        }

        return j >= 0 && ChatMessageFacts.HasToolCalls(messages[j]) ? j : index;
    }

    /// <summary>The first message of the protected tail; the compacted region is <c>[headEnd, cut)</c>.</summary>
    private int FindTailCut(List<ChatMessage> messages, int[] tokens, int headEnd, int budget)
    {
        var n = messages.Count;
        var availableTail = Math.Max(0, n - headEnd - 1);
        var minTailFloor = Math.Max(3, Math.Min(ProtectLastN, 8));
        var compressibleCap = Math.Max(3, availableTail - 2);
        var minTail = availableTail > 1 ? Math.Min(Math.Min(minTailFloor, compressibleCap), availableTail) : 0;
        var softCeiling = Truncate(budget * 1.5);

        var (cut, accumulated) = WalkTail(tokens, headEnd, minTail, softCeiling);
        if (cut <= headEnd && accumulated > 0 && accumulated <= softCeiling)
        {
            // The soft ceiling swallowed the whole region: walk again with the plain budget so something is compacted.
            (cut, _) = WalkTail(tokens, headEnd, minTail, budget);
        }

        cut = Math.Min(cut, n - minTail);
        if (cut <= headEnd)
        {
            cut = Math.Max(n - minTail, headEnd + 1);
        }

        cut = AlignBackward(messages, cut);

        // The last real user message stays in the tail.
        var lastUser = LastUserIndex(messages, headEnd);
        if (lastUser >= 0 && lastUser < cut)
        {
            cut = Math.Max(lastUser, headEnd + 1);
        }

        // So does the last assistant reply, preferably one with visible text.
        var lastAssistant = LastAssistantIndex(messages, headEnd);
        if (lastAssistant >= 0 && lastAssistant < cut)
        {
            cut = Math.Max(AlignBackward(messages, lastAssistant), headEnd + 1);
        }

        // The head clamp left the last user message as the final compacted one while its reply opens the tail:
        // summarise the pair together instead of splitting it — unless that would leave no tail at all.
        if (lastUser >= 0 && cut == lastUser + 1 && lastUser == headEnd && cut < n && ChatMessageFacts.IsAssistant(messages[cut]))
        {
            var past = cut + 1;
            while (past < n && ChatMessageFacts.IsTool(messages[past]))
            {
                past++;
            }

            if (past < n)
            {
                cut = past;
            }
        }

        cut = Math.Max(cut, headEnd + 1);

        // A clamp may have landed inside a tool group: its results go with their call into the compacted region.
        while (cut < n && ChatMessageFacts.IsTool(messages[cut]))
        {
            cut++;
        }

        // Never an empty tail: the summary must not be the last message. Then there is nothing to compact.
        return cut >= n ? headEnd : cut;
    }

    private static (int Cut, long Accumulated) WalkTail(int[] tokens, int headEnd, int minTail, long ceiling)
    {
        var n = tokens.Length;
        var cut = n;
        long accumulated = 0;
        for (var i = n - 1; i >= headEnd; i--)
        {
            var t = tokens[i];
            if (accumulated + t > ceiling && n - i >= minTail)
            {
                break;
            }

            accumulated += t;
            cut = i;
        }

        return (cut, accumulated);
    }

    /// <summary>The last user message at or after <paramref name="from"/> that is not a summary handoff; −1 when none.</summary>
    private static int LastUserIndex(List<ChatMessage> messages, int from)
    {
        for (var i = messages.Count - 1; i >= from; i--)
        {
            if (ChatMessageFacts.IsUser(messages[i]) && !HandoffText.IsHandoff(messages[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The last assistant message with visible text at or after <paramref name="from"/>, else the last assistant; −1 when none.</summary>
    private static int LastAssistantIndex(List<ChatMessage> messages, int from)
    {
        var any = -1;
        for (var i = messages.Count - 1; i >= from; i--)
        {
            if (!ChatMessageFacts.IsAssistant(messages[i]))
            {
                continue;
            }

            if (ChatMessageFacts.HasVisibleText(messages[i]))
            {
                return i;
            }

            if (any < 0)
            {
                any = i;
            }
        }

        return any;
    }
}
