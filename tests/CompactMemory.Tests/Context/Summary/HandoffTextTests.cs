using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CompactMemory.Context;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Summary;

public sealed class HandoffTextTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    private const string Prefix = ContextCompressor.SummaryPrefix;

    private const string End = ContextCompressor.EndMarker;

    [Fact]
    public void Handoffs_are_recognised_by_prefix_legacy_history_flag_and_merge_markers()
    {
        Assert.True(HandoffText.IsHandoff(Msg.User(Prefix + "\nbody")));
        Assert.True(HandoffText.IsHandoff(Msg.Assistant("  \n" + Prefix + "\nbody")));
        Assert.True(HandoffText.IsHandoff(Msg.User("[CONTEXT SUMMARY]: old style")));
        Assert.True(HandoffText.IsHandoff(Msg.User("[CONTEXT COMPACTION — REFERENCE ONLY] Earlier wording of an older release:\nbody")));
        Assert.True(HandoffText.IsHandoff(Msg.User("[CONTEXT COMPACTION] Earlier turns in this conversation were compacted:\nbody")));
        Assert.True(HandoffText.IsHandoff(new ChatMessage(ChatRole.User, "plain") { AdditionalProperties = new() { ["_compressed_summary"] = true } }));
        Assert.True(HandoffText.IsHandoff(new ChatMessage(ChatRole.User, "plain") { AdditionalProperties = new() { ["_compressed_summary"] = JsonDocument.Parse("true").RootElement } }));

        var merged = HandoffText.Merge(Msg.User("ask"), "body", summaryFirst: false);
        Assert.True(HandoffText.IsHandoff(ChatMessageFacts.WithoutPrivateKeys(merged)));
        Assert.True(HandoffText.IsHandoff(ChatMessageFacts.WithoutPrivateKeys(HandoffText.Merge(Msg.User("ask"), "body", summaryFirst: true))));

        Assert.False(HandoffText.IsHandoff(Msg.User("please summarise [CONTEXT SUMMARY]: later")));
        Assert.False(HandoffText.IsHandoff(new ChatMessage(ChatRole.User, "plain") { AdditionalProperties = new() { ["_compressed_summary"] = false } }));
        Assert.False(HandoffText.IsHandoff(Msg.Tool("c1", "result")));
        Assert.False(HandoffText.IsHandoff(Msg.User(ContextCompressor.PriorContextMarker + " but nothing else")));
    }

    [Fact]
    public void Standalone_summary_body_round_trips()
    {
        var message = HandoffText.Standalone(ChatRole.User, "## Goal\nship");
        Assert.Equal(Prefix + "\n## Goal\nship\n\n" + End, message.Text);
        Assert.True(ChatMessageFacts.IsCompressedSummary(message));
        Assert.Equal("## Goal\nship", HandoffText.SummaryBody(message));
        Assert.Null(HandoffText.LiveContent(message));
    }

    [Theory]
    [InlineData("[CONTEXT SUMMARY]: did things", "did things")]
    [InlineData("[CONTEXT SUMMARY]:\nline one\n\n" + End, "line one")]
    [InlineData("[CONTEXT COMPACTION — REFERENCE ONLY] Older wording, different from today's, ending in a colon:\n## Goal\nold", "## Goal\nold")]
    [InlineData("[CONTEXT COMPACTION] Earlier turns were compacted.\nbody", "body")]
    [InlineData(Prefix + "\n" + Prefix + "\nbody\n\n" + End + "\n\n" + End, "body")]
    public void Legacy_and_historical_handoffs_are_renormalised(string text, string body)
    {
        Assert.Equal(body, HandoffText.SummaryBody(Msg.User(text)));
        Assert.Equal(Prefix + "\n" + body, HandoffText.WithSummaryPrefix(text));
    }

    [Fact]
    public void Merged_carrier_below_keeps_the_live_content_first_and_the_end_marker_last()
    {
        var live = new ChatMessage(ChatRole.User, "Now fix the tests") { AuthorName = "dana", AdditionalProperties = new() { ["trace"] = "t1" } };
        var carrier = HandoffText.Merge(live, "## Goal\nship", summaryFirst: false);

        Assert.Equal(
            ContextCompressor.PriorContextMarker + "\nNow fix the tests\n\n" + ContextCompressor.PriorContextEndMarker + "\n\n" + Prefix + "\n## Goal\nship\n\n" + End,
            carrier.Text);
        Assert.True(ChatMessageFacts.IsCompressedSummary(carrier));
        Assert.Equal("## Goal\nship", HandoffText.SummaryBody(carrier));

        var recovered = HandoffText.LiveContent(carrier)!;
        Assert.Equal(ChatRole.User, recovered.Role);
        Assert.Equal("Now fix the tests", recovered.Text);
        Assert.Equal("dana", recovered.AuthorName);
        Assert.False(ChatMessageFacts.IsCompressedSummary(recovered));
        Assert.Equal("t1", recovered.AdditionalProperties!["trace"]);
        Assert.Null(live.AdditionalProperties!.GetValueOrDefault("_compressed_summary"));
    }

    [Fact]
    public void Merged_carrier_forced_to_user_puts_the_summary_first_and_the_live_ask_below()
    {
        var carrier = HandoffText.Merge(Msg.User("What next?"), "## Goal\nship", summaryFirst: true);

        Assert.Equal(Prefix + "\n## Goal\nship\n\n" + End + "\n\nWhat next?", carrier.Text);
        Assert.True(HandoffText.IsHandoff(carrier));
        Assert.Equal("## Goal\nship", HandoffText.SummaryBody(carrier));
        Assert.Equal("What next?", HandoffText.LiveContent(carrier)!.Text);
    }

    [Fact]
    public void Merging_a_tool_calling_assistant_keeps_its_calls()
    {
        var live = Msg.Call("Checking.", ("call_1", "read_file", "{\"path\":\"a\"}"));
        foreach (var first in new[] { false, true })
        {
            var carrier = HandoffText.Merge(live, "body", first);
            Assert.Single(ChatMessageFacts.ToolCalls(carrier));
            var recovered = HandoffText.LiveContent(carrier)!;
            Assert.Equal("Checking.", recovered.Text);
            Assert.Equal("call_1", Assert.Single(ChatMessageFacts.ToolCalls(recovered)).CallId);
            Assert.Equal(2, recovered.Contents.Count);
            Assert.Equal("body", HandoffText.SummaryBody(carrier));
        }

        var callsOnly = HandoffText.Merge(Msg.Call(null, ("call_2", "terminal", "{}")), "body", summaryFirst: false);
        var back = HandoffText.LiveContent(callsOnly)!;
        Assert.Equal("call_2", Assert.Single(back.Contents.OfType<FunctionCallContent>()).CallId);
        Assert.Empty(back.Contents.OfType<TextContent>());
    }

    [Fact]
    public void List_content_gets_text_blocks_and_keeps_its_parts()
    {
        var image = new DataContent(new byte[] { 1, 2, 3 }, "image/png");
        var live = new ChatMessage(ChatRole.User, new List<AIContent> { new TextContent("look at this"), image });

        var below = HandoffText.Merge(live, "body", summaryFirst: false);
        Assert.Equal(4, below.Contents.Count);
        Assert.Equal(ContextCompressor.PriorContextMarker, ((TextContent)below.Contents[0]).Text);
        Assert.EndsWith(End, ((TextContent)below.Contents[3]).Text, StringComparison.Ordinal);
        Assert.Equal("body", HandoffText.SummaryBody(below));
        var recovered = HandoffText.LiveContent(below)!;
        Assert.Equal(2, recovered.Contents.Count);
        Assert.Equal("look at this", ((TextContent)recovered.Contents[0]).Text);
        Assert.Same(image, recovered.Contents[1]);

        var above = HandoffText.Merge(live, "body", summaryFirst: true);
        Assert.Equal(3, above.Contents.Count);
        Assert.StartsWith(Prefix, ((TextContent)above.Contents[0]).Text, StringComparison.Ordinal);
        Assert.Equal("body", HandoffText.SummaryBody(above));
        Assert.Equal(live.Contents, HandoffText.LiveContent(above)!.Contents);
    }

    [Fact]
    public void A_message_that_is_not_a_handoff_is_its_own_live_content()
    {
        var message = Msg.User("hello");
        Assert.Same(message, HandoffText.LiveContent(message));
    }

    private static readonly string[] Pieces =
    [
        "a", "word", "Hello", " ", "  ", "\t", "\n", "\n\n", "\r\n", ".", "!", "漢字", "\U0001F600", "e\u0301", "\u200B", "ß",
        "[", "]", "—", "--- END", "[CONTEXT", "SUMMARY]:", "COMPACTION", "PRIOR CONTEXT", ContextCompressor.LegacySummaryPrefix,
        ContextCompressor.EndMarker, ContextCompressor.SummaryPrefix, ContextCompressor.CompactionPrefixOpener,
    ];

    private static readonly Gen<string> Text = Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[0, 25].Select(parts => string.Concat(parts));

    private static readonly string[] SafePieces = ["a", "word", "Hello", " ", "\t", "\n", "\n\n", "\r\n", ".", "!", "漢字", "\U0001F600", "e\u0301", "[", "]", "—", "#"];

    private static readonly Gen<string> SafeText = Gen.Int[0, SafePieces.Length - 1].Select(i => SafePieces[i]).Array[0, 25].Select(parts => string.Concat(parts));

    [Fact]
    public void WithSummaryPrefix_never_double_prefixes_and_is_stable()
    {
        Assert.Equal(Prefix, HandoffText.WithSummaryPrefix(string.Empty));
        Assert.Equal(Prefix, HandoffText.WithSummaryPrefix(Prefix));
        Assert.Equal(Prefix, HandoffText.WithSummaryPrefix("  " + End));

        Text.Sample(text =>
        {
            var once = HandoffText.WithSummaryPrefix(text);
            Assert.StartsWith(Prefix, once, StringComparison.Ordinal);
            if (once.Length > Prefix.Length)
            {
                Assert.Equal('\n', once[Prefix.Length]);
                var body = once[(Prefix.Length + 1)..];
                Assert.Equal(body.Trim(), body);
                Assert.False(HandoffText.StartsWithSummaryPrefix(body), "double prefix");
                Assert.False(body.EndsWith(End, StringComparison.Ordinal));
            }

            Assert.Equal(once, HandoffText.WithSummaryPrefix(once));
            Assert.Equal(once, HandoffText.WithSummaryPrefix(once + "\n\n" + End));
        }, seed: Seed, iter: 5000, threads: 1);
    }

    [Fact]
    public void Carriers_round_trip_their_summary_and_live_content()
    {
        Gen.Select(SafeText, SafeText, Gen.Bool).Sample((liveText, summary, summaryFirst) =>
        {
            var carrier = HandoffText.Merge(Msg.User(liveText), summary, summaryFirst);
            Assert.True(HandoffText.IsHandoff(ChatMessageFacts.WithoutPrivateKeys(carrier)) || HandoffText.StripSummaryPrefix(summary).Length == 0 || !summaryFirst);
            Assert.True(HandoffText.IsHandoff(carrier));
            Assert.Equal(HandoffText.StripSummaryPrefix(summary), HandoffText.SummaryBody(carrier));
            Assert.EndsWith(summaryFirst ? liveText : End, carrier.Text, StringComparison.Ordinal);

            var live = HandoffText.LiveContent(carrier);
            if (liveText.Length == 0)
            {
                Assert.Null(live);
            }
            else
            {
                Assert.Equal(liveText, live!.Text);
                Assert.False(HandoffText.IsHandoff(live) && !HandoffText.StartsWithSummaryPrefix(liveText));
            }

            var standalone = HandoffText.Standalone(ChatRole.Assistant, summary);
            Assert.Equal(HandoffText.StripSummaryPrefix(summary), HandoffText.SummaryBody(standalone));
            Assert.Null(HandoffText.LiveContent(standalone));
        }, seed: Seed, iter: 3000, threads: 1);
    }

    [Fact]
    public void Auto_focus_takes_the_last_three_user_asks_in_order()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System("sys"),
            Msg.User("first ask"),
            Msg.Assistant("a"),
            Msg.User("second\n\n  ask   with   spaces"),
            HandoffText.Standalone(ChatRole.User, "summary"),
            Msg.User("third ask with password=hunter2"),
            Msg.Assistant("b"),
            Msg.User("   "),
            Msg.User("fourth ask"),
        };

        Assert.Equal("Recent user focus:\n- second ask with spaces\n- third ask with password=[REDACTED]\n- fourth ask", HandoffText.AutoFocus(messages));
        Assert.Null(HandoffText.AutoFocus([Msg.System("s"), Msg.Assistant("a"), HandoffText.Standalone(ChatRole.User, "x")]));
        Assert.Null(HandoffText.AutoFocus([]));
        Assert.Equal("Recent user focus:\n- only", HandoffText.AutoFocus([Msg.User("only")]));
    }

    [Fact]
    public void Auto_focus_is_capped_per_ask_and_in_total()
    {
        var messages = Enumerable.Range(0, 3).Select(i => Msg.User(new string((char)('a' + i), 1_000))).ToList();
        var focus = HandoffText.AutoFocus(messages)!;
        Assert.True(focus.Length <= 700);
        var items = focus.Split("\n- ").Skip(1).ToList();
        Assert.All(items, item => Assert.True(item.Length <= 260));
        Assert.StartsWith(new string('a', 257) + "...", items[0], StringComparison.Ordinal);
    }
}
