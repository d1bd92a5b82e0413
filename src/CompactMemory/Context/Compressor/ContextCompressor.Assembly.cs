using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>Phase 4: the compacted conversation — head, one summary, tail — and the repairs that keep it valid.</summary>
public sealed partial class ContextCompressor
{
    /// <summary>The persistence marker a session store stamps on saved messages; never leaves a compaction.</summary>
    private const string DbPersistedKey = "_db_persisted";

    /// <summary>
    /// Head copies (the system prompt noted once), the summary as its own message or merged into the first tail
    /// message when its role would collide on both sides, then the tail. Exactly one message carries the summary flag.
    /// </summary>
    private static List<ChatMessage> Assemble(List<ChatMessage> work, int start, int end, string summary)
    {
        var n = work.Count;
        var result = new List<ChatMessage>(start + 1 + (n - end));
        for (var i = 0; i < start; i++)
        {
            result.Add(WithoutSummaryKeys(work[i]));
        }

        if (start > 0 && ChatMessageFacts.IsSystem(work[0]))
        {
            result[0] = WithSystemNote(result[0]);
        }

        var lastHeadRole = start > 0 ? work[start - 1].Role : ChatRole.User;
        ChatRole? firstTailRole = end < n ? work[end].Role : null;
        var userSurvives = AnyUserText(work, 0, start) || AnyUserText(work, end, n);
        var forceUser = start == 0 || lastHeadRole == ChatRole.System || !userSurvives;
        var role = forceUser || lastHeadRole == ChatRole.Assistant || lastHeadRole == ChatRole.Tool ? ChatRole.User : ChatRole.Assistant;
        var merge = false;
        if (firstTailRole == role)
        {
            var flipped = role == ChatRole.User ? ChatRole.Assistant : ChatRole.User;
            if (!forceUser && flipped != lastHeadRole)
            {
                role = flipped;
            }
            else
            {
                merge = true;
            }
        }

        if (!merge && start > 0 && role == lastHeadRole)
        {
            // Only a user head whose text is empty can get here (a forced user summary after it): the summary joins
            // that message rather than sitting beside it.
            result[start - 1] = MergeInto(result[start - 1], summary, summaryFirst: false);
        }
        else if (!merge)
        {
            result.Add(new ChatMessage(role, summary + "\n\n" + EndMarker)
            {
                AdditionalProperties = new AdditionalPropertiesDictionary { [ChatMessageFacts.CompressedSummaryKey] = true },
            });
        }

        for (var i = end; i < n; i++)
        {
            var message = WithoutSummaryKeys(work[i]);
            result.Add(merge && i == end ? MergeInto(message, summary, summaryFirst: forceUser) : message);
        }

        return result;
    }

    /// <summary>True when a user message with visible text (not a summary handoff) lies in <c>[from, to)</c>.</summary>
    private static bool AnyUserText(List<ChatMessage> messages, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var message = messages[i];
            if (ChatMessageFacts.IsUser(message) && ChatMessageFacts.HasVisibleText(message) && !HandoffText.IsHandoff(message))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for content that is a list of parts rather than one text: several text parts, or any image or other part.</summary>
    private static bool IsListContent(ChatMessage message)
    {
        var texts = 0;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent:
                    texts++;
                    break;
                case FunctionCallContent:
                case FunctionResultContent:
                    break;
                default:
                    return true;
            }
        }

        return texts > 1;
    }

    /// <summary>The system prompt with the compaction note appended once: after a blank line, or as a new text part of list content.</summary>
    private static ChatMessage WithSystemNote(ChatMessage system)
    {
        if (ChatMessageFacts.Text(system).Contains(SystemNote, StringComparison.Ordinal))
        {
            return system;
        }

        var copy = ChatMessageFacts.Copy(system);
        if (IsListContent(system))
        {
            copy.Contents.Add(new TextContent(SystemNote));
            return copy;
        }

        var index = IndexOfText(copy.Contents);
        if (index < 0)
        {
            copy.Contents.Insert(0, new TextContent(SystemNote));
        }
        else
        {
            var old = ((TextContent)copy.Contents[index]).Text ?? string.Empty;
            copy.Contents[index] = new TextContent(old.Length == 0 ? SystemNote : old + "\n\n" + SystemNote);
        }

        return copy;
    }

    /// <summary>
    /// The message as the summary carrier. Normally its own content comes first, framed as prior context, and the
    /// summary and END marker last; when a user summary was forced, the summary and END marker come first and the
    /// message's own (live) content follows below them.
    /// </summary>
    private static ChatMessage MergeInto(ChatMessage message, string summary, bool summaryFirst)
    {
        var copy = ChatMessageFacts.Copy(message);
        var summaryBlock = summary + "\n\n" + EndMarker;
        if (IsListContent(message))
        {
            if (summaryFirst)
            {
                copy.Contents.Insert(0, new TextContent(summaryBlock));
            }
            else
            {
                copy.Contents.Insert(0, new TextContent(PriorContextMarker));
                copy.Contents.Add(new TextContent(PriorContextEndMarker + "\n\n" + summaryBlock));
            }
        }
        else
        {
            var index = IndexOfText(copy.Contents);
            var old = index < 0 ? string.Empty : ((TextContent)copy.Contents[index]).Text ?? string.Empty;
            var text = summaryFirst
                ? (old.Length == 0 ? summaryBlock : summaryBlock + "\n\n" + old)
                : PriorContextMarker + "\n" + old + "\n\n" + PriorContextEndMarker + "\n\n" + summaryBlock;
            if (index < 0)
            {
                copy.Contents.Insert(0, new TextContent(text));
            }
            else
            {
                copy.Contents[index] = new TextContent(text);
            }
        }

        copy.AdditionalProperties ??= new AdditionalPropertiesDictionary();
        copy.AdditionalProperties[ChatMessageFacts.CompressedSummaryKey] = true;
        return copy;
    }

    private static int IndexOfText(IList<AIContent> contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A copy without the summary flag and the persistence marker; the same message when it has neither.</summary>
    private static ChatMessage WithoutSummaryKeys(ChatMessage message)
    {
        if (message.AdditionalProperties is not { Count: > 0 } properties
            || (!properties.ContainsKey(ChatMessageFacts.CompressedSummaryKey) && !properties.ContainsKey(DbPersistedKey)))
        {
            return message;
        }

        var copy = ChatMessageFacts.Copy(message);
        copy.AdditionalProperties!.Remove(ChatMessageFacts.CompressedSummaryKey);
        copy.AdditionalProperties.Remove(DbPersistedKey);
        if (copy.AdditionalProperties.Count == 0)
        {
            copy.AdditionalProperties = null;
        }

        return copy;
    }

    /// <summary>The last sweep: no message leaves a compaction with the persistence marker.</summary>
    private static void FinishPrivateKeys(List<ChatMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].AdditionalProperties is { } properties && properties.ContainsKey(DbPersistedKey))
            {
                var copy = ChatMessageFacts.Copy(messages[i]);
                copy.AdditionalProperties!.Remove(DbPersistedKey);
                messages[i] = copy;
            }
        }
    }

    /// <summary>
    /// Repairs tool pairs: a tool result whose call (matched on the call id) does not come before it is removed, and a
    /// call without a result is removed from its message; a message left with no calls and no content says
    /// <see cref="OrphanCallContent"/>. No stub results are invented.
    /// </summary>
    private static List<ChatMessage> SanitizeToolPairs(List<ChatMessage> messages) => RepairToolPairs(messages).Messages;

    private static (List<ChatMessage> Messages, bool Changed) RepairToolPairs(List<ChatMessage> messages)
    {
        var changed = false;
        var calls = new HashSet<string>(StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (ChatMessageFacts.IsTool(message))
            {
                var id = ChatMessageFacts.ToolCallId(message);
                if (id is null || !calls.Contains(id))
                {
                    changed = true;
                    continue;
                }

                answered.Add(id);
            }
            else if (ChatMessageFacts.IsAssistant(message))
            {
                foreach (var content in message.Contents)
                {
                    if (content is FunctionCallContent { CallId: { } callId })
                    {
                        calls.Add(callId);
                    }
                }
            }

            kept.Add(message);
        }

        for (var i = 0; i < kept.Count; i++)
        {
            var message = kept[i];
            if (!ChatMessageFacts.HasToolCalls(message))
            {
                continue;
            }

            var orphan = false;
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call && (call.CallId is null || !answered.Contains(call.CallId)))
                {
                    orphan = true;
                    break;
                }
            }

            if (!orphan)
            {
                continue;
            }

            var copy = ChatMessageFacts.Copy(message);
            var contents = new List<AIContent>(message.Contents.Count);
            var callsLeft = 0;
            var hasContent = false;
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    if (call.CallId is null || !answered.Contains(call.CallId))
                    {
                        continue;
                    }

                    callsLeft++;
                }
                else if (content is not TextContent { Text: null or "" })
                {
                    hasContent = true;
                }

                contents.Add(content);
            }

            if (callsLeft == 0 && !hasContent)
            {
                contents.Clear();
                contents.Add(new TextContent(OrphanCallContent));
            }

            copy.Contents = contents;
            kept[i] = copy;
            changed = true;
        }

        return (kept, changed);
    }

    /// <summary>Images before the newest user message that carries one become a text marker; that message keeps its images.</summary>
    private static List<ChatMessage> StripHistoricalMedia(List<ChatMessage> messages)
    {
        var anchor = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (ChatMessageFacts.IsUser(messages[i]) && ChatMessageFacts.ImageCount(messages[i]) > 0)
            {
                anchor = i;
                break;
            }
        }

        for (var i = 0; i < anchor; i++)
        {
            var message = messages[i];
            if (ChatMessageFacts.ImageCount(message) == 0)
            {
                continue;
            }

            var copy = ChatMessageFacts.Copy(message);
            var contents = new List<AIContent>(message.Contents.Count);
            foreach (var content in message.Contents)
            {
                if (ChatMessageFacts.IsImage(content))
                {
                    contents.Add(new TextContent(StrippedImageMarker));
                }
                else if (content is FunctionResultContent { Result: IEnumerable<AIContent> parts } result && ReplaceImages(parts, StrippedImageMarker) is { } stripped)
                {
                    contents.Add(new FunctionResultContent(result.CallId, stripped) { AdditionalProperties = result.AdditionalProperties, Exception = result.Exception });
                }
                else
                {
                    contents.Add(content);
                }
            }

            copy.Contents = contents;
            messages[i] = copy;
        }

        return messages;
    }
}
