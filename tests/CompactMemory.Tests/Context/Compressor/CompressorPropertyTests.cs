using System;
using System.Collections.Generic;
using System.Linq;
using CompactMemory.Context;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>
/// 10,000 generated conversations — system prompts, parallel tool calls, list contents with images, orphan results
/// and calls, long tool outputs — forced through <see cref="ContextCompressor.CompressAsync"/> on a 64K window, then
/// compressed again with more turns. Afterwards the conversation must still be one a provider accepts.
/// </summary>
public sealed class CompressorPropertyTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    /// <summary>One generated step after a user message.</summary>
    private sealed record Step(int Kind, int Calls, int[] ResultKinds, bool FinalText, int Orphan, int TextLength);

    private sealed record Conversation(bool System, bool[] UserImages, Step[] Steps, int ProtectFirstN, int ProtectLastN, int Summarizer, int MoreTurns);

    private static readonly Gen<Step> StepGen =
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 3], Gen.Int[0, 4].Array[3], Gen.Bool, Gen.Int[0, 7], Gen.Int[1, 600])
            .Select((kind, calls, results, final, orphan, length) => new Step(kind, calls, results, final, orphan, length));

    private static readonly Gen<Conversation> ConversationGen =
        Gen.Select(Gen.Bool, Gen.Int[0, 5].Select(i => i == 0).Array[2, 14], StepGen.Array[14], Gen.Int[0, 3], Gen.Int[1, 20], Gen.Int[0, 3], Gen.Int[0, 6])
            .Select((system, images, steps, first, last, summarizer, more) => new Conversation(system, images, steps, first, last, summarizer, more));

    /// <summary>Builds the messages: each turn a user message (sometimes with an image), then a reply or a tool group.</summary>
    private static List<ChatMessage> Build(Conversation conversation, int turns, string tag)
    {
        var messages = new List<ChatMessage>();
        if (conversation.System)
        {
            messages.Add(Msg.System("system prompt " + tag));
        }

        for (var t = 0; t < turns; t++)
        {
            var step = conversation.Steps[t % conversation.Steps.Length];
            var text = tag + " ask " + t + " " + new string('u', step.TextLength % 97);
            messages.Add(conversation.UserImages[t % conversation.UserImages.Length] ? Msg.UserWithImage(text) : Msg.User(text));
            if (step.Kind == 0)
            {
                messages.Add(Msg.Assistant(tag + " reply " + t + " " + new string('a', step.TextLength)));
                continue;
            }

            var calls = Enumerable.Range(0, step.Calls)
                .Select(c => (Id: tag + "_c" + t + "_" + c, Name: c % 2 == 0 ? "terminal" : "read_file",
                    Args: "{\"command\":\"" + new string('k', step.Kind == 2 ? 700 : 10) + "\",\"path\":\"f" + c + ".txt\"}"))
                .ToArray();
            messages.Add(Msg.Calls(step.Kind == 2 ? "calling tools" : string.Empty, calls));
            for (var c = 0; c < calls.Length; c++)
            {
                if (step.Orphan == 1 && c == calls.Length - 1)
                {
                    continue; // an orphan call: its result is missing
                }

                messages.Add(Msg.Result(calls[c].Id, step.ResultKinds[c] switch
                {
                    0 => "ok " + c,
                    1 => new string('o', 300 + (step.TextLength * 5)),
                    2 => new List<AIContent> { new TextContent("screen " + c), Msg.Image() },
                    3 => null,
                    _ => "same output repeated " + new string('s', 250),
                }));
            }

            if (step.Orphan == 2)
            {
                messages.Add(Msg.Result(tag + "_ghost_" + t, "a result nobody asked for"));
            }

            if (step.FinalText)
            {
                messages.Add(Msg.Assistant(tag + " done " + t));
            }
        }

        return messages;
    }

    private static ChatMessage? LastUser(IReadOnlyList<ChatMessage> messages) =>
        messages.LastOrDefault(m => m.Role == ChatRole.User && !ChatMessageFacts.IsCompressedSummary(m));

    /// <summary>The invariants of a compacted conversation; the first broken one, or null.</summary>
    private static string? Problem(List<ChatMessage> input, IReadOnlyList<ChatMessage> output, ContextCompressor compressor, string beforeSnapshot, (int Start, int LastUser) window)
    {
        if (Inspect.Snapshot(input) != beforeSnapshot)
        {
            return "the input was changed";
        }

        if (ReferenceEquals(input, output))
        {
            return compressor.LastCompressionOutcome is { Aborted: true } || !compressor.HasContentToCompress(input) ? null : "nothing was compacted";
        }

        if (Inspect.ToolPairProblems(output) is { Count: > 0 } pairs)
        {
            return string.Join("; ", pairs);
        }

        if (Inspect.SummaryCount(output) != 1)
        {
            return Inspect.SummaryCount(output) + " summary messages";
        }

        // A standalone summary has a seam on each side; a merged carrier is the tail's first message, its seam is before it.
        var s = output.ToList().FindIndex(ChatMessageFacts.IsCompressedSummary);
        var text = output[s].Text;
        var standalone = text.EndsWith(ContextCompressor.EndMarker, StringComparison.Ordinal) && text.IndexOf(ContextCompressor.EndMarker, StringComparison.Ordinal) == text.Length - ContextCompressor.EndMarker.Length
            && !text.StartsWith(ContextCompressor.PriorContextMarker, StringComparison.Ordinal);
        if (standalone && s == output.Count - 1)
        {
            return "the summary is the last message";
        }

        foreach (var neighbour in standalone ? new[] { s - 1, s + 1 } : new[] { s - 1 })
        {
            if (neighbour >= 0 && neighbour < output.Count && output[neighbour].Role == output[s].Role
                && (output[s].Role == ChatRole.User || output[s].Role == ChatRole.Assistant))
            {
                return "two " + output[s].Role + " messages meet at the seam " + s + "/" + neighbour;
            }
        }

        if (ChatMessageFacts.IsSystem(input[0]) && (!ChatMessageFacts.IsSystem(output[0]) || output.Skip(1).Any(ChatMessageFacts.IsSystem)))
        {
            return "the system prompt is not first";
        }

        if (ChatMessageFacts.IsSystem(input[0]) && output[1].Role != ChatRole.User && output[1].Role != ChatRole.Assistant)
        {
            return "a " + output[1].Role + " message follows the system prompt";
        }

        if (ChatMessageFacts.IsSystem(input[0]) && window.Start == 1 && output[1].Role != ChatRole.User)
        {
            return "a " + output[1].Role + " message leads after a system-only head";
        }

        if (!output.Any(m => m.Role == ChatRole.User && ChatMessageFacts.HasVisibleText(m)))
        {
            return "no user message remains";
        }

        if (LastUser(input) is { } lastUser && !output.Any(m => m.Text.Contains(lastUser.Text, StringComparison.Ordinal)))
        {
            // Allowed only in the head-clamp case: the last ask is the first compactable message and is summarised with its reply.
            if (window.LastUser != window.Start)
            {
                return "the last user message was lost";
            }
        }

        return null;
    }

    /// <summary>Where the compacted region would start, and where the last real user message is, in the compressor's view.</summary>
    private static (int Start, int LastUser) Window(ContextCompressor compressor, IReadOnlyList<ChatMessage> messages)
    {
        var (work, start, _) = compressor.Window(messages);
        return (start, work.FindLastIndex(m => m.Role == ChatRole.User && !HandoffLike(m)));
    }

    private static bool HandoffLike(ChatMessage message) =>
        ChatMessageFacts.IsCompressedSummary(message) || message.Text.StartsWith(ContextCompressor.SummaryPrefix, StringComparison.Ordinal);

    /// <summary>The roles of a conversation in short (S, U, A, A+ for a tool call, T; * marks the summary), for failure messages.</summary>
    private static string Roles(IEnumerable<ChatMessage> messages) => string.Join(" ", messages.Select(m =>
        (m.Role == ChatRole.System ? "S" : m.Role == ChatRole.User ? "U" : m.Role == ChatRole.Tool ? "T" : ChatMessageFacts.HasToolCalls(m) ? "A+" : "A")
        + (ChatMessageFacts.IsCompressedSummary(m) ? "*" : string.Empty)));

    [Fact]
    public void Ten_thousand_generated_conversations_stay_valid_through_two_compactions()
    {
        int compacted = 0, merged = 0, fallbacks = 0, aborted = 0, lastAskSummarised = 0;
        ConversationGen.Sample(conversation =>
        {
            var turns = conversation.UserImages.Length;
            var client = conversation.Summarizer switch
            {
                0 => null,
                1 => new ScriptedSummaryClient().ThenThrow(new InvalidOperationException("down")),
                _ => new ScriptedSummaryClient("## Goal\nscripted"),
            };
            var compressor = new ContextCompressor(
                new ContextCompressorOptions
                {
                    ContextLength = 64_000,
                    ProtectFirstN = conversation.ProtectFirstN,
                    ProtectLastN = conversation.ProtectLastN,
                    AbortOnSummaryFailure = conversation.Summarizer == 1,
                },
                client,
                timeProvider: new ManualTimeProvider());

            var input = Build(conversation, turns, "one");
            var before = Inspect.Snapshot(input);
            var window = Window(compressor, input);
            var first = compressor.CompressAsync(input, force: true).GetAwaiter().GetResult();
            if (Problem(input, first, compressor, before, window) is { } problem)
            {
                throw new InvalidOperationException("first compaction: " + problem + "\n in:  " + Roles(input) + "\n out: " + Roles(first));
            }

            if (!ReferenceEquals(first, input))
            {
                compacted++;
                var carrier = Inspect.Summary(first).Text;
                merged += carrier.StartsWith(ContextCompressor.PriorContextMarker, StringComparison.Ordinal) || !carrier.EndsWith(ContextCompressor.EndMarker, StringComparison.Ordinal) ? 1 : 0;
                fallbacks += compressor.LastCompressionOutcome!.SummaryFallbackUsed ? 1 : 0;
                lastAskSummarised += LastUser(input) is { } ask && !first.Any(m => m.Text.Contains(ask.Text, StringComparison.Ordinal)) ? 1 : 0;
            }

            aborted += compressor.LastCompressionOutcome is { Aborted: true } ? 1 : 0;

            var second = first.ToList();
            second.AddRange(Build(conversation with { System = false }, conversation.MoreTurns, "two"));
            var secondBefore = Inspect.Snapshot(second);
            var secondWindow = Window(compressor, second);
            var again = compressor.CompressAsync(second, force: true).GetAwaiter().GetResult();
            if (Problem(second, again, compressor, secondBefore, secondWindow) is { } secondProblem)
            {
                throw new InvalidOperationException("second compaction: " + secondProblem + "\n in:  " + Roles(second) + "\n out: " + Roles(again));
            }
        }, seed: Seed, iter: 10_000, threads: 1);

        // The generator reaches every path: compaction, merged carriers, the fallback, aborts.
        var mix = $"compacted {compacted}, merged {merged}, fallback {fallbacks}, aborted {aborted}, last ask summarised {lastAskSummarised}";
        Assert.True(compacted > 5_000 && merged > 100 && fallbacks > 1_000 && aborted > 1_000, mix);
        Assert.True(lastAskSummarised < compacted / 10, mix);
    }
}
