using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>Phase 2: the compacted region and tool-group alignment (§8.10).</summary>
public sealed class CompressorBoundaryTests
{
    /// <summary>200K window: tail budget 20,000 tokens, soft ceiling 30,000; no head protection besides the system prompt.</summary>
    private static ContextCompressor Create(int protectLastN = 20, int protectFirstN = 0, ScriptedSummaryClient? client = null) =>
        new(new ContextCompressorOptions { ContextLength = 200_000, ProtectFirstN = protectFirstN, ProtectLastN = protectLastN }, client ?? new ScriptedSummaryClient());

    /// <summary>A text of about <paramref name="tokens"/> per-message tokens (4 characters each, minus the 10 of overhead).</summary>
    private static string OfTokens(int tokens) => Msg.Long((tokens - 10) * 4);

    [Fact]
    public void When_everything_fits_the_minimum_tail_still_leaves_something_to_compact()
    {
        // 41 messages, all tiny: the walk (and the re-walk) swallow the region, so the tail is the minimum of 8.
        var (_, start, end) = Create().Window(Msg.Turns(20));

        Assert.Equal((1, 33), (start, end));
    }

    [Fact]
    public void The_tail_grows_to_the_soft_ceiling_of_one_and_a_half_budgets()
    {
        // Each message 2,010 tokens: 14 fit under 30,000, the 15th would not.
        var messages = Msg.Turns(20, chars: 8_000);

        var (_, start, end) = Create().Window(messages);

        Assert.Equal((1, 41 - 14), (start, end));
    }

    [Fact]
    public void A_region_that_fits_the_soft_ceiling_is_walked_again_with_the_plain_budget()
    {
        // 10 messages of 2,510 tokens (25,100 in all) fit under 30,000; the re-walk with 20,000 keeps 7.
        var messages = new List<ChatMessage> { Msg.System() };
        for (var i = 0; i < 5; i++)
        {
            messages.Add(Msg.User("u" + i + OfTokens(2_510)[2..]));
            messages.Add(Msg.Assistant("a" + i + OfTokens(2_510)[2..]));
        }

        var (_, start, end) = Create(protectLastN: 3).Window(messages);

        Assert.Equal((1, 4), (start, end));
    }

    [Fact]
    public void The_last_user_message_is_pulled_into_the_tail()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("u0"), Msg.Assistant("a0"), Msg.User("u1"), Msg.Assistant("a1"),
            Msg.User("the final ask"),
            Msg.Calls("working", ("c1", "terminal", "{}")), Msg.Result("c1", OfTokens(31_000)),
            Msg.Assistant("done"),
        };

        var (_, _, end) = Create(protectLastN: 3).Window(messages);

        Assert.Equal(5, end);
    }

    [Fact]
    public void A_summary_handoff_is_not_the_last_user_anchor()
    {
        var handoff = Msg.Flagged(Msg.User(ContextCompressor.SummaryPrefix + "\nold\n\n" + ContextCompressor.EndMarker));
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("u0"), Msg.Assistant("a0"),
            Msg.User("the real ask"), Msg.Assistant("on it"),
            handoff,
            Msg.Calls("working", ("c1", "terminal", "{}")), Msg.Result("c1", OfTokens(31_000)),
            Msg.Assistant("done"),
        };

        var (_, _, end) = Create(protectLastN: 3).Window(messages);

        Assert.Equal(3, end);
    }

    [Fact]
    public void The_last_assistant_reply_with_visible_text_is_pulled_into_the_tail()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("u0"), Msg.Assistant("a0"), Msg.User("u1"),
            Msg.Assistant("the visible reply"),
            Msg.User("u2"),
            Msg.Call("c1"), Msg.Result("c1", OfTokens(25_010)),
            Msg.Call("c2"), Msg.Result("c2", OfTokens(25_010)),
        };

        var (_, _, end) = Create(protectLastN: 3).Window(messages);

        Assert.Equal(4, end);
    }

    [Fact]
    public void Without_a_visible_reply_the_last_assistant_of_any_kind_is_the_anchor()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("u0"), Msg.Call("c0"), Msg.Result("c0", "r0"),
            Msg.User("u1"), Msg.User("u2"), Msg.User("u3"), Msg.User("u4 " + OfTokens(31_000)),
        };

        var (_, _, end) = Create(protectLastN: 3).Window(messages);

        // The minimum tail puts the cut at u2 (5); the last assistant (2, a bare tool call) pulls it back to 2.
        Assert.Equal(2, end);
    }

    [Fact]
    public void A_parallel_tool_group_is_never_split()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("u0"), Msg.Assistant("a0"), Msg.User("u1"),
            Msg.Calls("three at once", ("p1", "read_file", "{\"path\":\"a\"}"), ("p2", "read_file", "{\"path\":\"b\"}"), ("p3", "read_file", "{\"path\":\"c\"}")),
            Msg.Result("p1", "small"), Msg.Result("p2", OfTokens(15_000)), Msg.Result("p3", OfTokens(20_000)),
            Msg.Assistant("read them"), Msg.User("next"),
        };

        var (_, _, end) = Create(protectLastN: 3).Window(messages);

        // The cut falls among the group's results (7); it moves back to the assistant that owns the group.
        Assert.Equal(4, end);
    }

    [Fact]
    public async Task A_parallel_tool_group_survives_compaction_whole()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("u0"), Msg.Assistant("a0"), Msg.User("u1"),
            Msg.Calls("three at once", ("p1", "read_file", "{\"path\":\"a\"}"), ("p2", "read_file", "{\"path\":\"b\"}"), ("p3", "read_file", "{\"path\":\"c\"}")),
            Msg.Result("p1", "small"), Msg.Result("p2", OfTokens(15_000)), Msg.Result("p3", OfTokens(20_000)),
            Msg.Assistant("read them"), Msg.User("next"),
        };

        var result = await Create(protectLastN: 3).CompressAsync(messages);

        var call = result.Single(ChatMessageFacts.HasToolCalls);
        var index = result.ToList().IndexOf(call);
        Assert.Equal(new[] { "p1", "p2", "p3" }, result.Skip(index + 1).Take(3).Select(ChatMessageFacts.ToolCallId));
        Assert.Empty(Inspect.ToolPairProblems(result));
    }

    [Fact]
    public async Task When_the_head_clamp_would_split_the_last_ask_from_its_reply_the_pair_is_summarised_together()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("the only ask"),
            Msg.Call("c1"), Msg.Result("c1", OfTokens(12_000)),
            Msg.Call("c2"), Msg.Result("c2", OfTokens(12_000)),
            Msg.Call("c3"), Msg.Result("c3", OfTokens(12_000)),
            Msg.Assistant("done"),
        };
        var compressor = Create(protectLastN: 3);

        var (_, start, end) = compressor.Window(messages);
        Assert.Equal((1, 4), (start, end));

        var result = await compressor.CompressAsync(messages);
        Assert.Equal(new[] { ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant }, result.Select(m => m.Role));
        Assert.True(ChatMessageFacts.IsCompressedSummary(result[1]));
        Assert.Empty(Inspect.ToolPairProblems(result));
    }

    [Fact]
    public void The_region_never_starts_on_tool_results()
    {
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("u0"), Msg.Call("c0"), Msg.Result("c0", "r0"), Msg.Result("c0", "r0b"),
            Msg.Assistant("a"), Msg.User("u1"), Msg.Assistant("a1"), Msg.User("u2"), Msg.Assistant("a2"), Msg.User("u3"),
        };

        var (_, start, _) = Create(protectFirstN: 2).Window(messages);

        Assert.Equal(5, start);
    }

    [Fact]
    public void HasContentToCompress_is_false_for_a_short_or_tail_covered_conversation()
    {
        var compressor = Create(protectFirstN: 3);

        Assert.False(compressor.HasContentToCompress(Msg.Turns(3)));
        Assert.True(compressor.HasContentToCompress(Msg.Turns(20)));
        Assert.False(compressor.HasContentToCompress(new List<ChatMessage>
        {
            Msg.System(), Msg.User("a"), Msg.Call("c1"), Msg.Result("c1", "1"),
            Msg.Result("c1", "2"), Msg.Result("c1", "3"), Msg.Result("c1", "4"), Msg.Result("c1", "5"), Msg.Result("c1", "6"),
        }));
    }
}
