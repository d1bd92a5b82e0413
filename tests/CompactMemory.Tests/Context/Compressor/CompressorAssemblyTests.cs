using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>Phase 4 assembly, tool-pair repair, media stripping and private keys (§8.15–8.17, §8.8 step 9).</summary>
public sealed class CompressorAssemblyTests
{
    private const string Body = "## Goal\nscripted summary";

    private static ContextCompressor Create(int protectFirstN = 0, ScriptedSummaryClient? client = null) =>
        new(new ContextCompressorOptions { ContextLength = 200_000, ProtectFirstN = protectFirstN }, client ?? new ScriptedSummaryClient(Body));

    private static string ExpectedSummary => ContextCompressor.SummaryPrefix + "\n" + Body;

    [Fact]
    public async Task The_system_note_is_appended_once_after_a_blank_line()
    {
        var compressor = Create();
        var messages = Msg.Turns(20);

        var once = await compressor.CompressAsync(messages);
        var more = once.ToList();
        more.AddRange(Msg.Turns(20, system: false));
        var twice = await compressor.CompressAsync(more);

        Assert.Equal(Msg.System().Text + "\n\n" + ContextCompressor.SystemNote, once[0].Text);
        Assert.Equal(once[0].Text, twice[0].Text);
        Assert.Equal(2, compressor.CompressionCount);
    }

    [Fact]
    public async Task A_list_system_prompt_gets_the_note_as_a_new_text_part()
    {
        var messages = Msg.Turns(20);
        messages[0] = new ChatMessage(ChatRole.System, new List<AIContent> { new TextContent("part one"), new TextContent("part two") });

        var result = await Create().CompressAsync(messages);

        Assert.Equal(new[] { "part one", "part two", ContextCompressor.SystemNote }, result[0].Contents.OfType<TextContent>().Select(t => t.Text));
    }

    [Fact]
    public async Task After_a_system_only_head_a_user_tail_gets_the_summary_merged_first_with_the_live_ask_below()
    {
        // Turns(20): the tail starts at index 33, a user message; the summary must be a user message after the system prompt.
        var messages = Msg.Turns(20);
        var firstTail = messages[33].Text;

        var result = await Create().CompressAsync(messages);

        Assert.Equal(ChatRole.System, result[0].Role);
        var carrier = result[1];
        Assert.Equal(ChatRole.User, carrier.Role);
        Assert.True(ChatMessageFacts.IsCompressedSummary(carrier));
        Assert.Equal(ExpectedSummary + "\n\n" + ContextCompressor.EndMarker + "\n\n" + firstTail, carrier.Text);
        Assert.Equal(1, Inspect.SummaryCount(result));
        Assert.Equal(1 + 8, result.Count);
    }

    [Fact]
    public async Task After_a_system_only_head_an_assistant_tail_gets_a_standalone_user_summary()
    {
        var messages = Msg.Turns(20);
        messages.Add(Msg.Assistant("one more reply")); // the minimum tail of 8 now starts at an assistant

        var result = await Create().CompressAsync(messages);

        Assert.Equal(ChatRole.User, result[1].Role);
        Assert.Equal(ExpectedSummary + "\n\n" + ContextCompressor.EndMarker, result[1].Text);
        Assert.Equal(ChatRole.Assistant, result[2].Role);
        Assert.True(result[1].AdditionalProperties![ChatMessageFacts.CompressedSummaryKey] is true);
    }

    [Fact]
    public async Task A_head_ending_in_user_before_an_assistant_tail_merges_with_prior_context_first_and_the_end_marker_last()
    {
        var messages = Msg.Turns(20);
        messages.Add(Msg.Assistant("one more reply")); // tail starts at an assistant
        var firstTailText = messages[34].Text;

        var result = await Create(protectFirstN: 1).CompressAsync(messages);

        Assert.Equal(ChatRole.User, result[1].Role); // the protected first user message
        Assert.False(ChatMessageFacts.IsCompressedSummary(result[1]));
        var carrier = result[2];
        Assert.Equal(ChatRole.Assistant, carrier.Role);
        Assert.Equal(
            ContextCompressor.PriorContextMarker + "\n" + firstTailText + "\n\n" + ContextCompressor.PriorContextEndMarker + "\n\n" + ExpectedSummary + "\n\n" + ContextCompressor.EndMarker,
            carrier.Text);
        Assert.Equal(new[] { ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User }, result.Take(4).Select(m => m.Role));
    }

    [Fact]
    public async Task A_head_ending_in_a_tool_result_gets_an_assistant_summary_before_a_user_tail()
    {
        var messages = new List<ChatMessage> { Msg.System(), Msg.User("go"), Msg.Call("c0"), Msg.Result("c0", "r0") };
        messages.AddRange(Msg.Turns(20, system: false));

        var result = await Create(protectFirstN: 2).CompressAsync(messages);

        Assert.Equal(ChatRole.Tool, result[3].Role);
        Assert.Equal(ChatRole.Assistant, result[4].Role);
        Assert.Equal(ExpectedSummary + "\n\n" + ContextCompressor.EndMarker, result[4].Text);
        Assert.Equal(ChatRole.User, result[5].Role);
    }

    [Fact]
    public async Task A_transcript_without_user_messages_gets_a_user_summary()
    {
        var messages = new List<ChatMessage> { Msg.System() };
        for (var i = 0; i < 15; i++)
        {
            messages.Add(Msg.Call("c" + i));
            messages.Add(Msg.Result("c" + i, "result " + i));
            messages.Add(Msg.Assistant("step " + i));
        }

        var result = await Create().CompressAsync(messages);

        Assert.Contains(result, m => m.Role == ChatRole.User && m.Text.Length > 0);
        Assert.Equal(ChatRole.User, result[1].Role);
        Assert.True(ChatMessageFacts.IsCompressedSummary(result[1]));
        Assert.Empty(Inspect.ToolPairProblems(result));
    }

    [Fact]
    public async Task Without_a_system_prompt_the_summary_leads_as_a_user_message()
    {
        var messages = Msg.Turns(20, system: false);
        messages.Add(Msg.Assistant("reply"));

        var result = await Create().CompressAsync(messages);

        Assert.Equal(ChatRole.User, result[0].Role);
        Assert.True(ChatMessageFacts.IsCompressedSummary(result[0]));
        Assert.DoesNotContain(result, m => m.Text.Contains(ContextCompressor.SystemNote, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exactly_one_message_carries_the_summary_flag_and_no_persistence_marker_leaves()
    {
        var messages = Msg.Turns(20);
        foreach (var message in messages)
        {
            Msg.Flagged(message, "_db_persisted");
        }

        Msg.Flagged(messages[38]); // a stale flag in what becomes the tail
        var before = Inspect.Snapshot(messages);

        var result = await Create().CompressAsync(messages);

        Assert.Equal(1, Inspect.SummaryCount(result));
        Assert.DoesNotContain(result, m => m.AdditionalProperties?.ContainsKey("_db_persisted") == true);
        Assert.Equal(before, Inspect.Snapshot(messages));
        Assert.True(messages[38].AdditionalProperties!.ContainsKey(ChatMessageFacts.CompressedSummaryKey));
    }

    [Fact]
    public async Task Orphan_results_and_orphan_calls_are_stripped_by_call_id_without_stubs()
    {
        var messages = Msg.Turns(20);
        var wireIdCall = ChatMessageFacts.WithArgumentsJson(new FunctionCallContent("call_7", "terminal") { AdditionalProperties = new() { ["id"] = "fc_wire_7" } }, "{}");
        messages.AddRange(new[]
        {
            Msg.Result("ghost", "a result whose call never existed"),
            new ChatMessage(ChatRole.Assistant, new List<AIContent> { new TextContent("calling"), wireIdCall, ChatMessageFacts.WithArgumentsJson(new FunctionCallContent("call_8", "terminal"), "{}") }),
            Msg.Result("call_7", "seven"),
            Msg.Call("call_9"),
            Msg.User("last"),
        });

        var result = await Create().CompressAsync(messages);

        Assert.Empty(Inspect.ToolPairProblems(result));
        Assert.DoesNotContain(result, m => ChatMessageFacts.ToolCallId(m) == "ghost");
        var calling = result.Single(m => m.Text == "calling");
        Assert.Equal(new[] { "call_7" }, ChatMessageFacts.ToolCalls(calling).Select(c => c.CallId));
        Assert.Contains(result, m => m.Role == ChatRole.Assistant && m.Text == ContextCompressor.OrphanCallContent && !ChatMessageFacts.HasToolCalls(m));
        Assert.DoesNotContain(result, m => m.Text.Contains("[Result from earlier conversation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Images_before_the_newest_image_bearing_user_message_are_stripped()
    {
        var messages = Msg.Turns(20);
        messages.AddRange(new[]
        {
            Msg.UserWithImage("first picture"),
            Msg.Call("s1", "browser_vision", "{}"),
            Msg.Result("s1", new List<AIContent> { new TextContent("screen"), Msg.Image() }),
            Msg.Assistant("I see it"),
            Msg.UserWithImage("second picture"),
            Msg.Assistant("and this one"),
        });

        var result = await Create().CompressAsync(messages);

        var first = result.Single(m => m.Text.StartsWith("first picture", StringComparison.Ordinal));
        Assert.Equal(0, ChatMessageFacts.ImageCount(first));
        Assert.Contains(ContextCompressor.StrippedImageMarker, first.Text, StringComparison.Ordinal);
        Assert.Equal(0, ChatMessageFacts.ImageCount(result.Single(m => ChatMessageFacts.ToolCallId(m) == "s1")));
        Assert.Equal(1, ChatMessageFacts.ImageCount(result.Single(m => m.Text.StartsWith("second picture", StringComparison.Ordinal))));
        Assert.Equal(1, ChatMessageFacts.ImageCount(messages[^2]));
        Assert.Equal(1, ChatMessageFacts.ImageCount(messages[^6]));
    }

    [Fact]
    public async Task The_last_user_message_and_the_last_visible_reply_stay_verbatim()
    {
        var messages = Msg.Turns(30, chars: 3_000);
        var lastUser = messages[^2];
        var lastReply = messages[^1];

        var result = await Create().CompressAsync(messages);

        Assert.Contains(result, m => ReferenceEquals(m, lastUser) || m.Text.EndsWith(lastUser.Text, StringComparison.Ordinal));
        Assert.Contains(result, m => m.Text == lastReply.Text);
        Assert.True(result.Count < messages.Count);
    }
}
