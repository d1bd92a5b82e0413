using System;
using System.Collections.Generic;
using CompactMemory.Context;
using Xunit;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>Constructor, derived budgets, per-model thresholds and UpdateModel (§8.1, §8.2, §8.20).</summary>
public sealed class CompressorBudgetTests
{
    [Theory]
    [InlineData(100_000, 64_000)]
    [InlineData(200_000, 100_000)]
    [InlineData(64_000, 54_400)]
    [InlineData(128_000, 64_000)]
    [InlineData(1_000_000, 500_000)]
    [InlineData(32_000, 27_200)]
    public void Threshold_uses_the_floor_and_the_small_window_rule(int contextLength, int expected)
    {
        Assert.Equal(expected, ContextCompressor.ComputeThresholdTokens(contextLength, 0.50, null));
        Assert.Equal(expected, new ContextCompressor(new ContextCompressorOptions { ContextLength = contextLength }).ThresholdTokens);
    }

    [Fact]
    public void Threshold_reserves_the_output_tokens()
    {
        Assert.Equal(84_000, ContextCompressor.ComputeThresholdTokens(200_000, 0.50, 32_000));
        // 100K − 32K = 68K: the 64K floor is below 68K, so it applies.
        Assert.Equal(64_000, ContextCompressor.ComputeThresholdTokens(100_000, 0.50, 32_000));
        // 64K − 8K = 56K: the floor is unreachable, 85 % of the effective window.
        Assert.Equal(47_600, ContextCompressor.ComputeThresholdTokens(64_000, 0.50, 8_000));
        // A reserve as large as the window is ignored.
        Assert.Equal(54_400, ContextCompressor.ComputeThresholdTokens(64_000, 0.50, 64_000));
        Assert.Equal(1, ContextCompressor.ComputeThresholdTokens(1, 0.50, null));
    }

    [Fact]
    public void Threshold_rejects_nonsense_with_the_argument_named()
    {
        Assert.Equal("contextLength", Assert.Throws<ArgumentOutOfRangeException>(() => ContextCompressor.ComputeThresholdTokens(0, 0.5, null)).ParamName);
        Assert.Equal("percent", Assert.Throws<ArgumentOutOfRangeException>(() => ContextCompressor.ComputeThresholdTokens(100_000, double.NaN, null)).ParamName);
        Assert.Equal("maxTokens", Assert.Throws<ArgumentOutOfRangeException>(() => ContextCompressor.ComputeThresholdTokens(100_000, 0.5, -1)).ParamName);
    }

    [Theory]
    [InlineData(200_000, 20_000, 10_000)]
    [InlineData(100_000, 12_800, 5_000)]
    [InlineData(1_000_000, 100_000, 10_000)]
    [InlineData(64_000, 10_880, 3_200)]
    public void Tail_and_summary_budgets_follow_the_threshold_and_the_window(int contextLength, int tail, int maxSummary)
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = contextLength });

        Assert.Equal(tail, compressor.TailTokenBudget);
        Assert.Equal(maxSummary, compressor.MaxSummaryTokens);
    }

    [Fact]
    public void Defaults_match_the_contract()
    {
        var compressor = new ContextCompressor();

        Assert.Equal("compressor", compressor.Name);
        Assert.Equal(0.50, compressor.ThresholdPercent);
        Assert.Equal(3, compressor.ProtectFirstN);
        Assert.Equal(20, compressor.ProtectLastN);
        Assert.Equal(0.20, compressor.SummaryTargetRatio);
        Assert.Equal(128_000, compressor.ContextLength);
        Assert.Equal(64_000, compressor.ThresholdTokens);
        Assert.False(compressor.AbortOnSummaryFailure);
        Assert.Null(compressor.MaxTokens);
        Assert.Null(compressor.PreviousSummary);
        Assert.Equal(100.0, compressor.LastCompressionSavingsPct);
        Assert.Equal(0, compressor.IneffectiveCompressionCount);
        Assert.Null(compressor.LastCompressionOutcome);
        Assert.Equal(64_000, ContextCompressor.MinimumContextLength);
    }

    [Theory]
    [InlineData(0.01, 0.10)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.95, 0.80)]
    public void Summary_target_ratio_is_clamped(double configured, double expected)
    {
        Assert.Equal(expected, new ContextCompressor(new ContextCompressorOptions { SummaryTargetRatio = configured }).SummaryTargetRatio);
    }

    [Fact]
    public void DefaultContextLength_is_used_when_no_window_is_configured()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { DefaultContextLength = 200_000 });

        Assert.Equal(200_000, compressor.ContextLength);
        Assert.Equal(100_000, compressor.ThresholdTokens);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_setting_named()
    {
        Assert.Contains("ThresholdPercent", Assert.Throws<ArgumentOutOfRangeException>(() => new ContextCompressor(new ContextCompressorOptions { ThresholdPercent = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("ContextLength", Assert.Throws<ArgumentOutOfRangeException>(() => new ContextCompressor(new ContextCompressorOptions { ContextLength = -5 })).Message, StringComparison.Ordinal);
        Assert.Contains("ProtectLastN", Assert.Throws<ArgumentOutOfRangeException>(() => new ContextCompressor(new ContextCompressorOptions { ProtectLastN = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("MaxTokens", Assert.Throws<ArgumentOutOfRangeException>(() => new ContextCompressor(new ContextCompressorOptions { MaxTokens = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("ModelThresholds['gpt']", Assert.Throws<ArgumentOutOfRangeException>(() => new ContextCompressor(new ContextCompressorOptions
        {
            ModelThresholds = new Dictionary<string, double> { ["gpt"] = 1.5 },
        })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_model_threshold_longest_match_wins_and_switching_back_restores_the_configured_percent()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions
        {
            ContextLength = 400_000,
            ModelThresholds = new Dictionary<string, double> { ["glm-5.2"] = 0.70, ["glm-5.2-1M"] = 0.90 },
        });

        compressor.UpdateModel("glm-5.2-1M", 400_000);
        Assert.Equal(0.90, compressor.ThresholdPercent);
        Assert.Equal(360_000, compressor.ThresholdTokens);

        compressor.UpdateModel("glm-5.2", 400_000);
        Assert.Equal(0.70, compressor.ThresholdPercent);

        compressor.UpdateModel("other", 400_000);
        Assert.Equal(0.50, compressor.ThresholdPercent);
        Assert.Equal(200_000, compressor.ThresholdTokens);
    }

    [Fact]
    public void Per_model_threshold_applies_to_the_configured_model_at_construction()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions
        {
            Model = "vendor/gpt-5.5",
            ContextLength = 400_000,
            ModelThresholds = new Dictionary<string, double> { ["gpt-5.5"] = 0.85 },
        });

        Assert.Equal(340_000, compressor.ThresholdTokens);
    }

    [Fact]
    public void UpdateModel_recomputes_budgets_and_zeroes_counters_and_calibration()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = 100_000, MaxTokens = 32_000 });
        compressor.UpdateFromResponse(new TokenUsage { PromptTokens = 50_000, CompletionTokens = 10, TotalTokens = 50_010 });
        compressor.LastCompressionRoughTokens = 30_000;
        compressor.AwaitingRealUsageAfterCompression = true;

        compressor.UpdateModel("bigger", 200_000);

        Assert.Equal("bigger", compressor.Model);
        Assert.Equal(200_000, compressor.ContextLength);
        Assert.Equal(32_000, compressor.MaxTokens);
        Assert.Equal(84_000, compressor.ThresholdTokens);
        Assert.Equal(16_800, compressor.TailTokenBudget);
        Assert.Equal(10_000, compressor.MaxSummaryTokens);
        Assert.Equal(0, compressor.LastPromptTokens);
        Assert.Equal(0, compressor.LastCompletionTokens);
        Assert.Equal(0, compressor.LastTotalTokens);
        Assert.Equal(0, compressor.LastRealPromptTokens);
        Assert.Equal(0, compressor.LastCompressionRoughTokens);
        Assert.False(compressor.AwaitingRealUsageAfterCompression);

        compressor.UpdateModel("bigger", 200_000, "", "", "", "", 0);
        Assert.Equal(0, compressor.MaxTokens);
        Assert.Equal(100_000, compressor.ThresholdTokens);
    }

    [Fact]
    public void UpdateModel_with_an_unknown_window_falls_back_to_the_configured_one()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = 200_000 });

        compressor.UpdateModel("m", 0);

        Assert.Equal(200_000, compressor.ContextLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => compressor.UpdateModel("m", -1));
    }

    [Fact]
    public void A_host_set_threshold_percent_becomes_the_configured_one()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = 200_000 });

        compressor.ThresholdPercent = 0.8;
        compressor.UpdateModel("m", 200_000);

        Assert.Equal(160_000, compressor.ThresholdTokens);
    }

    [Fact]
    public void Status_reports_the_standard_keys_first_then_the_compressor_metrics()
    {
        var compressor = new ContextCompressor(new ContextCompressorOptions { ContextLength = 200_000 });
        compressor.LastPromptTokens = -1;

        var json = compressor.GetStatus().ToJsonObject();

        var keys = new List<string>();
        foreach (var pair in json)
        {
            keys.Add(pair.Key);
        }

        Assert.Equal(new[] { "last_prompt_tokens", "threshold_tokens", "context_length", "usage_percent", "compression_count" }, keys.GetRange(0, 5));
        Assert.Equal(0, (int)json["last_prompt_tokens"]!);
        Assert.Equal(20_000, (int)json["tail_token_budget"]!);
    }
}
