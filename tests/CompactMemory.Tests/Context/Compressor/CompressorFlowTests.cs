using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>The compress overview (§8.8), continuity (§8.11), failure handling (§8.13–8.14) and the outcome record (§8.19).</summary>
public sealed class CompressorFlowTests
{
    private static ContextCompressor Create(ScriptedSummaryClient? client, bool abort = false, int protectFirstN = 3, TimeProvider? time = null) =>
        new(new ContextCompressorOptions { ContextLength = 200_000, ProtectFirstN = protectFirstN, AbortOnSummaryFailure = abort }, client, timeProvider: time);

    [Fact]
    public async Task A_short_conversation_is_returned_as_is_and_not_counted()
    {
        var compressor = Create(new ScriptedSummaryClient());
        var messages = Msg.Turns(3);

        var result = await compressor.CompressAsync(messages, force: true);

        Assert.Same(messages, result);
        Assert.Equal(0, compressor.CompressionCount);
        Assert.Equal(new CompressionOutcome(false, false, 0, null, null, null), compressor.LastCompressionOutcome);
    }

    [Fact]
    public async Task A_completed_compaction_is_counted_once_and_the_input_is_not_changed()
    {
        var client = new ScriptedSummaryClient();
        var compressor = Create(client);
        var messages = Msg.Turns(20);
        var before = Inspect.Snapshot(messages);

        var result = await compressor.CompressAsync(messages);

        Assert.NotSame(messages, result);
        Assert.Equal(1, compressor.CompressionCount);
        Assert.Equal(1, client.Calls);
        Assert.Equal(before, Inspect.Snapshot(messages));
        Assert.Equal(41, messages.Count);
        Assert.Equal(new CompressionOutcome(false, false, 0, null, null, null), compressor.LastCompressionOutcome);
        Assert.Equal(RoughTokenEstimator.EstimateMessagesTokensRough(result), compressor.LastCompressionRoughTokens);
    }

    [Fact]
    public async Task A_failed_summary_in_abort_mode_returns_the_same_messages_and_says_so()
    {
        var client = new ScriptedSummaryClient().ThenThrow(new InvalidOperationException("provider exploded"));
        var compressor = Create(client, abort: true);
        var messages = Msg.Turns(20);

        var result = await compressor.CompressAsync(messages);

        Assert.Same(messages, result);
        Assert.Equal(0, compressor.CompressionCount);
        var outcome = compressor.LastCompressionOutcome!;
        Assert.True(outcome.Aborted);
        Assert.False(outcome.SummaryFallbackUsed);
        Assert.Equal(0, outcome.SummaryDroppedCount);
        Assert.Equal("InvalidOperationException: provider exploded", outcome.SummaryError);
    }

    [Fact]
    public async Task Without_a_summary_model_the_deterministic_fallback_stands_in_for_the_middle()
    {
        var compressor = Create(client: null, protectFirstN: 0);
        var messages = Msg.Turns(20);

        var result = await compressor.CompressAsync(messages);

        var outcome = compressor.LastCompressionOutcome!;
        Assert.False(outcome.Aborted);
        Assert.True(outcome.SummaryFallbackUsed);
        Assert.Equal(33 - 1, outcome.SummaryDroppedCount);
        Assert.Equal("no auxiliary LLM provider configured", outcome.SummaryError);
        var summary = Inspect.Summary(result);
        Assert.StartsWith(ContextCompressor.SummaryPrefix, summary.Text, StringComparison.Ordinal);
        Assert.Contains("Summary generation was unavailable", summary.Text, StringComparison.Ordinal);
        Assert.Contains(ContextCompressor.EndMarker, summary.Text, StringComparison.Ordinal);
        Assert.Equal(1, compressor.CompressionCount);
    }

    [Fact]
    public async Task A_failed_summary_outside_abort_mode_uses_the_fallback_and_keeps_the_earlier_summary()
    {
        var client = new ScriptedSummaryClient().Then("## Goal\nfirst body").ThenThrow(new InvalidOperationException("later failure"));
        var compressor = Create(client, protectFirstN: 0);

        var first = await compressor.CompressAsync(Msg.Turns(20));
        Assert.Equal("## Goal\nfirst body", compressor.PreviousSummary);

        var more = first.ToList();
        more.AddRange(Msg.Turns(20, system: false));
        var second = await compressor.CompressAsync(more);

        Assert.True(compressor.LastCompressionOutcome!.SummaryFallbackUsed);
        var summary = Inspect.Summary(second).Text;
        Assert.Contains("first body", summary, StringComparison.Ordinal);
        Assert.Contains("Summary generation was unavailable", summary, StringComparison.Ordinal);
        Assert.Equal(1, Inspect.SummaryCount(second));
    }

    [Fact]
    public async Task ProtectFirstN_decays_to_zero_after_the_first_compaction()
    {
        var compressor = Create(new ScriptedSummaryClient(), protectFirstN: 3);
        var messages = Msg.Turns(20);

        var first = await compressor.CompressAsync(messages);
        Assert.Same(messages[1], first[1]);
        Assert.Same(messages[2], first[2]);
        Assert.Same(messages[3], first[3]);

        var more = first.ToList();
        more.AddRange(Msg.Turns(20, system: false));
        var second = await compressor.CompressAsync(more);

        Assert.DoesNotContain(second, m => ReferenceEquals(m, messages[1]));
        Assert.True(ChatMessageFacts.IsCompressedSummary(second[1]));
    }

    [Fact]
    public async Task The_next_summary_is_written_with_the_previous_one_at_hand()
    {
        ContextCompressor? compressor = null;
        var seen = new List<string?>();
        var client = new ScriptedSummaryClient()
            .Then((_, _) => { seen.Add(compressor!.PreviousSummary); return "## Goal\nfirst body"; })
            .Then((_, _) => { seen.Add(compressor!.PreviousSummary); return "## Goal\nsecond body"; });
        compressor = Create(client);

        var first = await compressor.CompressAsync(Msg.Turns(20));
        var more = first.ToList();
        more.AddRange(Msg.Turns(20, system: false));
        var second = await compressor.CompressAsync(more);

        Assert.Equal(new string?[] { null, "## Goal\nfirst body" }, seen);
        Assert.Equal("## Goal\nsecond body", compressor.PreviousSummary);
        Assert.DoesNotContain(ContextCompressor.SummaryPrefix, client.Prompts[1], StringComparison.Ordinal);
        Assert.Contains("second body", Inspect.Summary(second).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fresh_compressor_rehydrates_the_previous_summary_from_the_handoff()
    {
        var first = await Create(new ScriptedSummaryClient("## Goal\nresumed body"), protectFirstN: 0).CompressAsync(Msg.Turns(20));
        var resumed = first.ToList();
        resumed.AddRange(Msg.Turns(20, system: false));
        var failing = new ScriptedSummaryClient().ThenThrow(new InvalidOperationException("down"));
        var compressor = Create(failing, abort: true, protectFirstN: 0);

        var result = await compressor.CompressAsync(resumed);

        Assert.Same(resumed, result);
        Assert.Equal("## Goal\nresumed body", compressor.PreviousSummary);
        Assert.DoesNotContain(ContextCompressor.SummaryPrefix, failing.Prompts.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_content_of_a_merged_carrier_is_summarised_and_only_its_summary_part_rehydrated()
    {
        // Turns(20) with a system-only head merges the summary into the first tail user message (summary first).
        var first = await Create(new ScriptedSummaryClient("## Goal\ncarrier body"), protectFirstN: 0).CompressAsync(Msg.Turns(20));
        var carrierLive = Msg.Turns(20)[33].Text;
        Assert.EndsWith(carrierLive, Inspect.Summary(first).Text, StringComparison.Ordinal);

        var resumed = first.ToList();
        resumed.AddRange(Msg.Turns(20, system: false));
        ContextCompressor? compressor = null;
        string? previousAtCall = null;
        var client = new ScriptedSummaryClient().Then((_, _) => { previousAtCall = compressor!.PreviousSummary; return "## Goal\nnext"; });
        compressor = Create(client, protectFirstN: 0);

        await compressor.CompressAsync(resumed);

        Assert.Equal("## Goal\ncarrier body", previousAtCall);
        Assert.Contains(carrierLive, client.Prompts.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_previous_summary_from_another_session_is_dropped_when_no_handoff_is_present()
    {
        ContextCompressor? compressor = null;
        var seen = new List<string?>();
        var client = new ScriptedSummaryClient("## Goal\nsession one")
            .Then("## Goal\nsession one")
            .Then((_, _) => { seen.Add(compressor!.PreviousSummary); return "## Goal\nsession two"; });
        compressor = Create(client);

        await compressor.CompressAsync(Msg.Turns(20));
        Assert.NotNull(compressor.PreviousSummary);

        await compressor.CompressAsync(Msg.Turns(20)); // a different conversation: no handoff in it

        Assert.Equal(new string?[] { null }, seen);
    }

    [Fact]
    public async Task The_focus_topic_reaches_the_summarizer()
    {
        var client = new ScriptedSummaryClient();

        await Create(client).CompressAsync(Msg.Turns(20), focusTopic: "the database migration");

        Assert.Contains("the database migration", client.Prompts.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_rethrown_and_is_not_a_summary_failure()
    {
        using var cancellation = new CancellationTokenSource();
        var client = new ScriptedSummaryClient().Then((_, token) =>
        {
            cancellation.Cancel();
            token.ThrowIfCancellationRequested();
            return "never";
        });
        var compressor = Create(client, time: new ManualTimeProvider());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => compressor.CompressAsync(Msg.Turns(20), cancellationToken: cancellation.Token));

        Assert.Equal(0, compressor.CompressionCount);
        Assert.False(compressor.SummaryCooldownActive);
        Assert.False(compressor.LastCompressionOutcome!.SummaryFallbackUsed);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_index_named()
    {
        var compressor = Create(new ScriptedSummaryClient());
        var messages = Msg.Turns(20);
        messages[5] = null!;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => compressor.CompressAsync(messages));

        Assert.Contains("Message 5", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>(() => compressor.CompressAsync(null!));
    }

    [Fact]
    public async Task Null_contents_and_unknown_roles_compress_without_errors()
    {
        var messages = Msg.Turns(20);
        messages.Insert(5, new ChatMessage(ChatRole.Assistant, (string?)null));
        messages.Insert(6, new ChatMessage(new ChatRole("developer"), "dev note"));
        messages.Insert(7, Msg.Result("nobody", (object?)null));

        var result = await Create(new ScriptedSummaryClient()).CompressAsync(messages);

        Assert.Equal(1, Inspect.SummaryCount(result));
        Assert.Empty(Inspect.ToolPairProblems(result));
    }

    [Fact]
    public async Task A_64K_window_compacts_a_conversation_over_its_threshold()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = 64_000 }, new ScriptedSummaryClient());
        var messages = Msg.Turns(60, chars: 4_000); // ~121 × 1,000 tokens ≥ 54,400

        IReadOnlyList<ChatMessage> result = await compressor.CompressAsync(messages, currentTokens: RoughTokenEstimator.EstimateMessagesTokensRough(messages));

        Assert.True(result.Count < messages.Count);
        Assert.Equal(1, Inspect.SummaryCount(result));
    }
}
