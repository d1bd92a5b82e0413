using System;
using System.Threading.Tasks;
using CompactMemory.Context;
using Xunit;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>Usage feed, the trigger with its cooldown and anti-thrash vetoes, preflight deferral, resets (§8.3–8.6, §8.18, §8.20).</summary>
public sealed class CompressorStateTests
{
    private static ContextCompressor Create(ScriptedSummaryClient? client = null, TimeProvider? time = null) =>
        new(new ContextCompressorOptions { ContextLength = 200_000 }, client, timeProvider: time);

    [Fact]
    public void UpdateFromResponse_records_usage_and_calibrates_after_a_compaction()
    {
        var compressor = Create();
        compressor.LastCompressionRoughTokens = 40_000;
        compressor.AwaitingRealUsageAfterCompression = true;

        compressor.UpdateFromResponse(new TokenUsage { PromptTokens = 50_000, CompletionTokens = 100, TotalTokens = 50_100 });

        Assert.Equal(50_000, compressor.LastPromptTokens);
        Assert.Equal(100, compressor.LastCompletionTokens);
        Assert.Equal(50_100, compressor.LastTotalTokens);
        Assert.Equal(50_000, compressor.LastRealPromptTokens);
        Assert.Equal(40_000, compressor.LastRoughTokensWhenRealPromptFit);
        Assert.False(compressor.AwaitingRealUsageAfterCompression);

        compressor.UpdateFromResponse(new TokenUsage { PromptTokens = 120_000 });
        Assert.Equal(0, compressor.LastRoughTokensWhenRealPromptFit);

        compressor.UpdateFromResponse(new TokenUsage());
        Assert.Equal(120_000, compressor.LastRealPromptTokens);
        Assert.Equal(0, compressor.LastPromptTokens);
    }

    [Fact]
    public void ShouldCompress_fires_at_the_threshold_inclusive()
    {
        var compressor = Create();

        Assert.False(compressor.ShouldCompress(99_999));
        Assert.True(compressor.ShouldCompress(100_000));
        Assert.Equal(new CompressionDecision(false, null), compressor.ShouldCompressInfo(5));

        compressor.LastPromptTokens = 100_000;
        Assert.True(compressor.ShouldCompress());
    }

    [Fact]
    public async Task A_summary_failure_cooldown_blocks_ShouldCompress_until_it_expires_or_a_forced_compaction_clears_it()
    {
        var time = new ManualTimeProvider();
        var compressor = Create(client: null, time: time);

        // No summary model: the fallback summary is used and a 600 s cooldown starts.
        await compressor.CompressAsync(Msg.Turns(20), force: true);
        Assert.True(compressor.LastCompressionOutcome!.SummaryFallbackUsed);
        Assert.True(compressor.SummaryCooldownActive);
        Assert.False(compressor.ShouldCompress(150_000));
        Assert.Equal(new CompressionDecision(false, "cooldown"), compressor.ShouldCompressInfo(150_000));

        time.Advance(TimeSpan.FromSeconds(601));
        Assert.False(compressor.SummaryCooldownActive);
        Assert.True(compressor.ShouldCompress(150_000));
    }

    [Fact]
    public async Task Force_clears_an_active_cooldown_before_summarising()
    {
        var time = new ManualTimeProvider();
        var client = new ScriptedSummaryClient().ThenThrow(new InvalidOperationException("boom")).Then("## Goal\nrecovered");
        var compressor = Create(client, time);

        await compressor.CompressAsync(Msg.Turns(20));
        Assert.True(compressor.SummaryCooldownActive);
        Assert.Equal(1, client.Calls);

        await compressor.CompressAsync(Msg.Turns(20));
        Assert.Equal(1, client.Calls); // cooldown: no call, fallback again

        await compressor.CompressAsync(Msg.Turns(20), force: true);
        Assert.Equal(2, client.Calls);
        Assert.False(compressor.LastCompressionOutcome!.SummaryFallbackUsed);
    }

    [Fact]
    public async Task Two_ineffective_compactions_latch_anti_thrash_and_an_effective_one_releases_it()
    {
        var compressor = Create(new ScriptedSummaryClient());

        // Claiming the conversation was 1 token makes every compaction look ineffective.
        await compressor.CompressAsync(Msg.Turns(20), currentTokens: 1);
        Assert.Equal(1, compressor.IneffectiveCompressionCount);
        Assert.True(compressor.ShouldCompress(150_000));
        await compressor.CompressAsync(Msg.Turns(20), currentTokens: 1);
        Assert.Equal(2, compressor.IneffectiveCompressionCount);
        Assert.True(compressor.LastCompressionSavingsPct < 10);

        Assert.False(compressor.ShouldCompress(150_000));
        Assert.Equal(new CompressionDecision(false, "anti_thrash"), compressor.ShouldCompressInfo(150_000));

        // A manual compaction that saves a lot releases the latch.
        await compressor.CompressAsync(Msg.Turns(40, 2_000), force: true);
        Assert.Equal(0, compressor.IneffectiveCompressionCount);
        Assert.True(compressor.LastCompressionSavingsPct >= 10);
        Assert.True(compressor.ShouldCompress(150_000));
    }

    [Fact]
    public async Task Anti_thrash_latch_is_released_by_reset_session_end_and_model_switch()
    {
        foreach (var release in new Action<ContextCompressor>[]
        {
            c => c.OnSessionReset(),
            c => c.OnSessionEnd("s1", Msg.Turns(1)),
            c => c.UpdateModel("m", 200_000),
        })
        {
            var compressor = Create(new ScriptedSummaryClient());
            await compressor.CompressAsync(Msg.Turns(20), currentTokens: 1);
            await compressor.CompressAsync(Msg.Turns(20), currentTokens: 1);
            Assert.False(compressor.ShouldCompress(150_000));

            release(compressor);

            Assert.Equal(0, compressor.IneffectiveCompressionCount);
            Assert.True(compressor.ShouldCompress(150_000));
        }
    }

    [Fact]
    public async Task A_no_op_window_counts_as_ineffective()
    {
        var compressor = Create(new ScriptedSummaryClient());
        var messages = Msg.Turns(3);
        messages.Add(Msg.User("last"));

        var result = await compressor.CompressAsync(messages, force: true);

        // 8 messages, head = system + 3: too short, untouched, not counted either way.
        Assert.Same(messages, result);
        Assert.Equal(0, compressor.IneffectiveCompressionCount);

        // Make the region empty: only tool results follow the protected head.
        var noRegion = new System.Collections.Generic.List<Microsoft.Extensions.AI.ChatMessage>
        {
            Msg.System(), Msg.User("a"), Msg.Call("c1"),
            Msg.Result("c1", "r1"), Msg.Result("c1", "r2"), Msg.Result("c1", "r3"), Msg.Result("c1", "r4"), Msg.Result("c1", "r5"), Msg.Result("c1", "r6"),
        };
        var unchanged = await compressor.CompressAsync(noRegion, force: true);
        Assert.Same(noRegion, unchanged);
        Assert.Equal(1, compressor.IneffectiveCompressionCount);
        Assert.Equal(0, compressor.LastCompressionSavingsPct);
        Assert.Equal(0, compressor.CompressionCount);
    }

    [Fact]
    public void Preflight_defers_once_after_compaction_and_while_growth_is_small()
    {
        var compressor = Create();

        Assert.False(compressor.ShouldDeferPreflightToRealUsage(90_000)); // under threshold

        compressor.AwaitingRealUsageAfterCompression = true;
        Assert.True(compressor.ShouldDeferPreflightToRealUsage(110_000));

        compressor.LastCompressionRoughTokens = 100_000;
        compressor.UpdateFromResponse(new TokenUsage { PromptTokens = 80_000 });
        Assert.Equal(100_000, compressor.LastRoughTokensWhenRealPromptFit);

        // Growth 3,000 ≤ max(4096, 5,000): defer and raise the baseline.
        Assert.True(compressor.ShouldDeferPreflightToRealUsage(103_000));
        Assert.Equal(103_000, compressor.LastRoughTokensWhenRealPromptFit);

        // Growth 6,000 > 5,000: do not defer.
        Assert.False(compressor.ShouldDeferPreflightToRealUsage(109_001));

        // A real prompt at or over the threshold never defers.
        compressor.UpdateFromResponse(new TokenUsage { PromptTokens = 100_000 });
        Assert.False(compressor.ShouldDeferPreflightToRealUsage(101_000));
    }

    [Fact]
    public void Preflight_does_not_defer_without_a_baseline()
    {
        var compressor = Create();
        compressor.UpdateFromResponse(new TokenUsage { PromptTokens = 80_000 });

        Assert.False(compressor.ShouldDeferPreflightToRealUsage(101_000));
    }

    [Fact]
    public async Task OnSessionReset_clears_the_whole_session_state()
    {
        var compressor = Create(new ScriptedSummaryClient());
        await compressor.CompressAsync(Msg.Turns(20));
        compressor.UpdateFromResponse(new TokenUsage { PromptTokens = 5 });
        Assert.NotNull(compressor.PreviousSummary);
        Assert.Equal(1, compressor.CompressionCount);

        compressor.OnSessionReset();

        Assert.Null(compressor.PreviousSummary);
        Assert.Equal(0, compressor.CompressionCount);
        Assert.Equal(0, compressor.LastPromptTokens);
        Assert.Equal(0, compressor.LastRealPromptTokens);
        Assert.Equal(0, compressor.LastCompressionRoughTokens);
        Assert.Equal(100.0, compressor.LastCompressionSavingsPct);
        Assert.Null(compressor.LastCompressionOutcome);
    }

    [Fact]
    public async Task OnSessionEnd_clears_the_previous_summary_and_the_cooldown()
    {
        var compressor = Create(client: null, time: new ManualTimeProvider());
        await compressor.CompressAsync(Msg.Turns(20));
        Assert.True(compressor.SummaryCooldownActive);
        Assert.NotNull(compressor.PreviousSummary);

        compressor.OnSessionEnd("s1", Msg.Turns(1));

        Assert.Null(compressor.PreviousSummary);
        Assert.False(compressor.SummaryCooldownActive);
    }

    [Fact]
    public async Task OnSessionStart_after_a_compaction_rotation_keeps_the_anti_thrash_count()
    {
        var compressor = Create(new ScriptedSummaryClient());
        await compressor.CompressAsync(Msg.Turns(20), currentTokens: 1);

        compressor.OnSessionStart("child", new SessionStartContext { BoundaryReason = "compression", OldSessionId = "parent" });
        Assert.Equal(1, compressor.IneffectiveCompressionCount);

        compressor.OnSessionStart("fresh", new SessionStartContext());
        Assert.Equal(0, compressor.IneffectiveCompressionCount);
    }
}
