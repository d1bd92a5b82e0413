using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context;

public sealed class ContextEngineDefaultsTests
{
    /// <summary>The smallest context engine: keeps the last message.</summary>
    private sealed class KeepLastEngine : ContextEngine
    {
        public override string Name => "keep_last";

        public int CoreCalls { get; private set; }

        protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
            IReadOnlyList<ChatMessage> messages,
            int? currentTokens,
            string? focusTopic,
            bool force,
            string memoryContext,
            CancellationToken cancellationToken)
        {
            CoreCalls++;
            return Task.FromResult<IReadOnlyList<ChatMessage>>(messages.Skip(messages.Count - 1).ToList());
        }
    }

    private static List<ChatMessage> Conversation() =>
    [
        new ChatMessage(ChatRole.System, "system"),
        new ChatMessage(ChatRole.User, "hello"),
        new ChatMessage(ChatRole.Assistant, "hi"),
    ];

    [Fact]
    public void Defaults_match_the_contract()
    {
        var engine = new KeepLastEngine();

        Assert.Equal(0.75, engine.ThresholdPercent);
        Assert.Equal(3, engine.ProtectFirstN);
        Assert.Equal(6, engine.ProtectLastN);
        Assert.True(engine.EmitAutomaticCompactionStatus);
        Assert.Equal(0, engine.LastPromptTokens);
        Assert.Equal(0, engine.LastCompletionTokens);
        Assert.Equal(0, engine.LastTotalTokens);
        Assert.Equal(0, engine.ThresholdTokens);
        Assert.Equal(0, engine.ContextLength);
        Assert.Equal(0, engine.CompressionCount);
    }

    [Fact]
    public void UpdateModel_sets_the_context_length_and_the_threshold()
    {
        var engine = new KeepLastEngine();

        engine.UpdateModel("some-model", 200000);

        Assert.Equal(200000, engine.ContextLength);
        Assert.Equal(150000, engine.ThresholdTokens);
    }

    [Fact]
    public void UpdateModel_uses_the_current_threshold_percent_and_truncates()
    {
        var engine = new KeepLastEngine { ThresholdPercent = 0.5 };

        engine.UpdateModel("m", 200000);
        Assert.Equal(100000, engine.ThresholdTokens);

        engine.ThresholdPercent = 0.333;
        engine.UpdateModel("m", 1000);
        Assert.Equal(333, engine.ThresholdTokens);
    }

    [Fact]
    public void ShouldCompress_fires_at_the_threshold_inclusive()
    {
        var engine = new KeepLastEngine();
        engine.UpdateModel("m", 200000);

        Assert.False(engine.ShouldCompress(149999));
        Assert.True(engine.ShouldCompress(150000));
        Assert.True(engine.ShouldCompress(150001));
    }

    [Fact]
    public void ShouldCompress_without_an_argument_uses_the_last_prompt_tokens()
    {
        var engine = new KeepLastEngine();
        engine.UpdateModel("m", 200000);

        engine.LastPromptTokens = 150000;
        Assert.True(engine.ShouldCompress());
        Assert.Equal(new CompressionDecision(true, null), engine.ShouldCompressInfo());

        engine.LastPromptTokens = 10;
        Assert.False(engine.ShouldCompress());
        Assert.Equal(new CompressionDecision(false, null), engine.ShouldCompressInfo());
    }

    [Fact]
    public void ShouldCompress_never_fires_without_a_threshold()
    {
        var engine = new KeepLastEngine();

        Assert.False(engine.ShouldCompress(0));
        Assert.False(engine.ShouldCompress(1000000));
    }

    [Fact]
    public async Task CompressAsync_runs_the_engine_and_counts_each_compaction()
    {
        var engine = new KeepLastEngine();
        var messages = Conversation();

        var first = await engine.CompressAsync(messages);
        await engine.CompressAsync(messages, currentTokens: 100, focusTopic: "x", force: true);

        Assert.Equal(2, engine.CompressionCount);
        Assert.Equal(2, engine.CoreCalls);
        Assert.Equal("hi", Assert.Single(first).Text);
    }

    [Fact]
    public void UpdateFromResponse_records_the_three_counters()
    {
        var engine = new KeepLastEngine();

        engine.UpdateFromResponse(new TokenUsage { PromptTokens = 100, CompletionTokens = 20, TotalTokens = 120 });

        Assert.Equal(100, engine.LastPromptTokens);
        Assert.Equal(20, engine.LastCompletionTokens);
        Assert.Equal(120, engine.LastTotalTokens);
    }

    [Fact]
    public async Task OnSessionReset_zeroes_the_four_counters_and_keeps_the_model_settings()
    {
        var engine = new KeepLastEngine();
        engine.UpdateModel("m", 200000);
        engine.UpdateFromResponse(new TokenUsage { PromptTokens = 100, CompletionTokens = 20, TotalTokens = 120 });
        await engine.CompressAsync(Conversation());

        engine.OnSessionReset();

        Assert.Equal(0, engine.LastPromptTokens);
        Assert.Equal(0, engine.LastCompletionTokens);
        Assert.Equal(0, engine.LastTotalTokens);
        Assert.Equal(0, engine.CompressionCount);
        Assert.Equal(200000, engine.ContextLength);
        Assert.Equal(150000, engine.ThresholdTokens);
    }

    [Fact]
    public void GetStatus_clamps_the_compaction_sentinel_to_zero()
    {
        var engine = new KeepLastEngine();
        engine.UpdateModel("m", 200000);
        engine.LastPromptTokens = -1;

        var status = engine.GetStatus();

        Assert.Equal(0, status.LastPromptTokens);
        Assert.Equal(0.0, status.UsagePercent);
    }

    [Fact]
    public void GetStatus_caps_usage_at_one_hundred_percent()
    {
        var engine = new KeepLastEngine();
        engine.UpdateModel("m", 200000);
        engine.LastPromptTokens = 300000;

        Assert.Equal(100.0, engine.GetStatus().UsagePercent);
    }

    [Fact]
    public void GetStatus_reports_the_counters_and_the_usage()
    {
        var engine = new KeepLastEngine { CompressionCount = 2 };
        engine.UpdateModel("m", 200000);
        engine.LastPromptTokens = 50000;

        var status = engine.GetStatus();

        Assert.Equal(50000, status.LastPromptTokens);
        Assert.Equal(150000, status.ThresholdTokens);
        Assert.Equal(200000, status.ContextLength);
        Assert.Equal(25.0, status.UsagePercent);
        Assert.Equal(2, status.CompressionCount);
    }

    [Fact]
    public void GetStatus_without_a_context_length_reports_zero_percent()
    {
        var engine = new KeepLastEngine { LastPromptTokens = 5000 };

        Assert.Equal(0.0, engine.GetStatus().UsagePercent);
    }

    [Fact]
    public void Status_json_has_the_contract_keys_in_order_then_extras()
    {
        var status = new ContextEngineStatus
        {
            LastPromptTokens = 1,
            ThresholdTokens = 2,
            ContextLength = 3,
            UsagePercent = 33.3,
            CompressionCount = 4,
            Extra = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["store_size"] = 9 },
        };

        var json = status.ToJsonObject();

        Assert.Equal(
            new[] { "last_prompt_tokens", "threshold_tokens", "context_length", "usage_percent", "compression_count", "store_size" },
            json.Select(field => field.Key).ToArray());
        Assert.Equal(33.3, json["usage_percent"]!.GetValue<double>());
        Assert.Equal(9, json["store_size"]!.GetValue<int>());
    }

    [Fact]
    public async Task HandleToolCallAsync_defaults_to_the_exact_unknown_tool_error()
    {
        var engine = new KeepLastEngine();

        var result = await engine.HandleToolCallAsync("foo", "{}");

        Assert.Equal("{\"error\": \"Unknown context engine tool: foo\"}", result);
    }

    [Fact]
    public void ErrorJson_escapes_quotes_backslashes_and_control_characters()
    {
        var json = ContextEngine.ErrorJson("a \"b\" \\ c\nd\u0001");

        Assert.Equal("{\"error\": \"a \\\"b\\\" \\\\ c\\nd\\u0001\"}", json);
        Assert.Equal("a \"b\" \\ c\nd\u0001", System.Text.Json.Nodes.JsonNode.Parse(json)!["error"]!.GetValue<string>());
    }

    [Fact]
    public void The_automatic_compaction_status_message_is_the_hosts_unless_silenced()
    {
        var engine = new KeepLastEngine();

        Assert.Equal("Compacting…", engine.GetAutomaticCompactionStatusMessage(CompactionPhase.Preflight, "Compacting…", 100, 90));

        engine.EmitAutomaticCompactionStatus = false;
        Assert.Null(engine.GetAutomaticCompactionStatusMessage(CompactionPhase.Compress, "Compacting…", 100, 90));
    }

    [Fact]
    public void Optional_members_have_neutral_defaults()
    {
        var engine = new KeepLastEngine();
        var messages = Conversation();

        Assert.False(engine.ShouldCompressPreflight(messages));
        Assert.False(engine.ShouldDeferPreflightToRealUsage(1000));
        Assert.True(engine.HasContentToCompress(messages));
        Assert.Empty(engine.GetToolSchemas());
        Assert.Null(engine.SelectContext(messages));
        Assert.Equal(PendingCompressionOperation.None, engine.GetPendingCompressionOperation(messages));
        var pruning = engine.PruneToolResultsOnly(messages);
        Assert.Same(messages, pruning.Messages);
        Assert.Equal(0, pruning.PrunedCount);
    }

    [Fact]
    public void TokenUsage_maps_usage_details()
    {
        var usage = TokenUsage.FromUsageDetails(new UsageDetails
        {
            InputTokenCount = 100,
            OutputTokenCount = 20,
            TotalTokenCount = 125,
            CachedInputTokenCount = 30,
            ReasoningTokenCount = 5,
        });

        Assert.Equal(100, usage.PromptTokens);
        Assert.Equal(20, usage.CompletionTokens);
        Assert.Equal(125, usage.TotalTokens);
        Assert.Equal(100, usage.InputTokens);
        Assert.Equal(20, usage.OutputTokens);
        Assert.Equal(30, usage.CacheReadTokens);
        Assert.Equal(5, usage.ReasoningTokens);
        Assert.Null(usage.CacheWriteTokens);
    }

    [Fact]
    public void TokenUsage_without_a_total_adds_prompt_and_completion()
    {
        var usage = TokenUsage.FromUsageDetails(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 });

        Assert.Equal(120, usage.TotalTokens);
        Assert.Null(usage.CacheReadTokens);
        Assert.Null(usage.ReasoningTokens);
    }

    [Fact]
    public void TokenUsage_of_missing_usage_is_all_zero()
    {
        Assert.Equal(new TokenUsage(), TokenUsage.FromUsageDetails(null));

        var empty = TokenUsage.FromUsageDetails(new UsageDetails());
        Assert.Equal(0, empty.PromptTokens);
        Assert.Equal(0, empty.CompletionTokens);
        Assert.Equal(0, empty.TotalTokens);
        Assert.Null(empty.InputTokens);
        Assert.Null(empty.OutputTokens);
    }

    [Fact]
    public void TokenUsage_clamps_out_of_range_counts()
    {
        var usage = TokenUsage.FromUsageDetails(new UsageDetails { InputTokenCount = -5, OutputTokenCount = long.MaxValue });

        Assert.Equal(0, usage.PromptTokens);
        Assert.Equal(int.MaxValue, usage.CompletionTokens);
    }

    [Fact]
    public void Usage_without_a_total_sums_prompt_and_completion_without_overflowing()
    {
        var usage = TokenUsage.FromUsageDetails(new UsageDetails { InputTokenCount = long.MaxValue, OutputTokenCount = 5 });

        Assert.Equal(int.MaxValue, usage.PromptTokens);
        Assert.Equal(5, usage.CompletionTokens);
        Assert.Equal(int.MaxValue, usage.TotalTokens);
    }
}
