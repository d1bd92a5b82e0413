using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context;

/// <summary>The contract members completed for the host: model thresholds, the reducer, carry-over, the status hook, memory context and in-flight tool exchanges.</summary>
public sealed class ContextEngineContractCompletionTests
{
    private sealed class KeepLastEngine : ContextEngine
    {
        public override string Name => "keep_last";

        protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
            IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<ChatMessage>>(messages.Skip(messages.Count - 1).ToList());
    }

    private sealed class StatusEngine(Func<string?> message) : ContextEngine
    {
        public override string Name => "status";

        public override string? GetAutomaticCompactionStatusMessage(CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens) => message();

        protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
            IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
            => Task.FromResult(messages);
    }

    [Fact]
    public void ModelThresholds_longest_matching_substring_wins()
    {
        var engine = new KeepLastEngine { ThresholdPercent = 0.5 };
        engine.ModelThresholds["gpt-5"] = 0.8;
        engine.ModelThresholds["gpt-5.5"] = 0.85;

        engine.UpdateModel("openai/gpt-5.5-codex", 200_000);

        Assert.Equal(0.85, engine.ThresholdPercent);
        Assert.Equal(170_000, engine.ThresholdTokens);

        engine.UpdateModel("openai/gpt-5-mini", 200_000);
        Assert.Equal(0.8, engine.ThresholdPercent);
        Assert.Equal(160_000, engine.ThresholdTokens);
    }

    [Fact]
    public void ModelThresholds_fall_back_to_the_configured_percent_not_the_previous_override()
    {
        var engine = new KeepLastEngine { ThresholdPercent = 0.5 };
        engine.ModelThresholds["gpt-5.5"] = 0.85;

        engine.UpdateModel("gpt-5.5", 100_000);
        engine.UpdateModel("claude-sonnet", 100_000);

        Assert.Equal(0.5, engine.ThresholdPercent);
        Assert.Equal(50_000, engine.ThresholdTokens);

        engine.UpdateModel("gpt-5.5", 100_000);
        engine.UpdateModel("gpt-5.5", 100_000);
        engine.UpdateModel("other", 100_000);
        Assert.Equal(50_000, engine.ThresholdTokens);
    }

    [Fact]
    public void Setting_the_percent_between_switches_makes_it_the_configured_value()
    {
        var engine = new KeepLastEngine { ThresholdPercent = 0.5 };
        engine.ModelThresholds["big"] = 0.9;
        engine.UpdateModel("big-model", 1000);

        engine.ThresholdPercent = 0.6;
        engine.UpdateModel("small-model", 1000);

        Assert.Equal(600, engine.ThresholdTokens);
    }

    [Fact]
    public void ModelThresholds_matching_is_ordinal_and_ties_pick_the_ordinally_smaller_key()
    {
        var engine = new KeepLastEngine { ThresholdPercent = 0.5 };
        engine.ModelThresholds = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase) { ["abc"] = 0.7, ["xyz"] = 0.9 };
        engine.UpdateModel("ABC", 1000);
        Assert.Equal(500, engine.ThresholdTokens);

        engine.UpdateModel("abc-xyz", 1000);
        Assert.Equal(700, engine.ThresholdTokens);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_bad_model_threshold_is_a_clear_error_naming_the_entry(double bad)
    {
        var engine = new KeepLastEngine();
        engine.ModelThresholds["gpt"] = bad;

        var error = Assert.Throws<InvalidOperationException>(() => engine.UpdateModel("gpt-4", 1000));

        Assert.Contains("ModelThresholds['gpt']", error.Message, StringComparison.Ordinal);
        Assert.Contains("model_thresholds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReduceAsync_returns_the_messages_unchanged_below_the_threshold()
    {
        var engine = new KeepLastEngine();
        engine.UpdateModel("m", 1_000_000);
        var messages = new List<ChatMessage> { new(ChatRole.User, "hello"), new(ChatRole.Assistant, "hi") };

        var reduced = await ((IChatReducer)engine).ReduceAsync(messages, CancellationToken.None);

        Assert.Equal(messages, reduced);
        Assert.Equal(0, engine.CompressionCount);
    }

    [Fact]
    public async Task ReduceAsync_compresses_at_the_rough_threshold()
    {
        var engine = new KeepLastEngine { ThresholdPercent = 0.5 };
        engine.UpdateModel("m", 20);
        var messages = new List<ChatMessage> { new(ChatRole.User, new string('x', 100)), new(ChatRole.Assistant, "last") };

        var reduced = (await engine.ReduceAsync(messages, CancellationToken.None)).ToList();

        Assert.Equal("last", Assert.Single(reduced).Text);
        Assert.Equal(1, engine.CompressionCount);
    }

    [Fact]
    public async Task ReduceAsync_never_compresses_inside_a_tool_exchange()
    {
        var engine = new KeepLastEngine { ThresholdPercent = 0.5 };
        engine.UpdateModel("m", 20);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, new string('x', 100)),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "a"), new FunctionCallContent("c2", "b")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "one")]),
        };

        var reduced = await engine.ReduceAsync(messages, CancellationToken.None);

        Assert.Equal(3, reduced.Count());
        Assert.Equal(0, engine.CompressionCount);
    }

    [Fact]
    public void Tool_exchanges_in_flight_are_recognised()
    {
        ChatMessage Call(params string[] ids) => new(ChatRole.Assistant, ids.Select(id => (AIContent)new FunctionCallContent(id, "f")).ToList());
        ChatMessage Result(string id) => new(ChatRole.Tool, [new FunctionResultContent(id, "r")]);

        Assert.False(ChatMessageFacts.HasToolCallsInFlight([]));
        Assert.False(ChatMessageFacts.HasToolCallsInFlight([new(ChatRole.User, "u")]));
        Assert.True(ChatMessageFacts.HasToolCallsInFlight([new(ChatRole.User, "u"), Call("a")]));
        Assert.True(ChatMessageFacts.HasToolCallsInFlight([new(ChatRole.User, "u"), Call("a", "b"), Result("b")]));
        Assert.False(ChatMessageFacts.HasToolCallsInFlight([new(ChatRole.User, "u"), Call("a", "b"), Result("b"), Result("a")]));
        Assert.False(ChatMessageFacts.HasToolCallsInFlight([new(ChatRole.User, "u"), Call("a"), new(ChatRole.User, "moved on")]));
        Assert.False(ChatMessageFacts.HasToolCallsInFlight([Call("a"), Result("a"), new(ChatRole.Assistant, "done")]));
    }

    [Fact]
    public void The_engine_is_a_reducer_and_accepts_carry_over_as_a_no_op()
    {
        var engine = new KeepLastEngine();
        engine.UpdateModel("m", 100_000);
        engine.LastPromptTokens = 5;

        Assert.IsAssignableFrom<IChatReducer>(engine);
        ((ISessionCarryOver)engine).CarryOverNewSessionContext("old", "new");

        Assert.Equal(5, engine.LastPromptTokens);
        Assert.Equal(75_000, engine.ThresholdTokens);
    }

    [Fact]
    public void The_status_hook_is_trimmed_and_blank_means_silent()
    {
        Assert.Equal("custom", ContextEngine.AutomaticCompactionStatusMessage(new StatusEngine(() => "  custom \n"), CompactionPhase.Preflight, "default", 10, 5));
        Assert.Null(ContextEngine.AutomaticCompactionStatusMessage(new StatusEngine(() => "   "), CompactionPhase.Compress, "default", 10, 5));
        Assert.Null(ContextEngine.AutomaticCompactionStatusMessage(new StatusEngine(() => null), CompactionPhase.Compress, "default", 10, 5));
        Assert.Equal("default", ContextEngine.AutomaticCompactionStatusMessage(new KeepLastEngine(), CompactionPhase.Compress, " default ", 10, 5));
        Assert.Null(ContextEngine.AutomaticCompactionStatusMessage(new KeepLastEngine { EmitAutomaticCompactionStatus = false }, CompactionPhase.Compress, "default", 10, 5));
    }

    [Fact]
    public void The_status_hook_is_fail_open()
    {
        var errors = new List<Exception>();
        var message = ContextEngine.AutomaticCompactionStatusMessage(
            new StatusEngine(() => throw new InvalidOperationException("boom")), CompactionPhase.Preflight, "default", 10, 5, errors.Add);

        Assert.Equal("default", message);
        Assert.Equal("boom", Assert.Single(errors).Message);

        var silent = new StatusEngine(() => throw new InvalidOperationException("boom")) { EmitAutomaticCompactionStatus = false };
        Assert.Null(ContextEngine.AutomaticCompactionStatusMessage(silent, CompactionPhase.Preflight, "default", 10, 5));
    }

    [Fact]
    public void SanitizeMemoryContext_truncates_long_text_to_head_marker_tail()
    {
        var text = string.Concat(Enumerable.Range(0, 7000).Select(i => (char)('a' + (i % 26))));

        var sanitized = ContextEngine.SanitizeMemoryContext(text);

        const string Marker = "\n...[memory provider context truncated]...\n";
        Assert.Equal(text[..4000] + Marker + text[^1500..], sanitized);
        Assert.Equal(text[..6000], ContextEngine.SanitizeMemoryContext(text[..6000]));
        Assert.Equal(string.Empty, ContextEngine.SanitizeMemoryContext(null));
    }

    [Fact]
    public void SanitizeMemoryContext_redacts_credentials_in_urls_and_secrets()
    {
        var sanitized = ContextEngine.SanitizeMemoryContext(
            "db at postgres://admin:hunter2@db.local/app, token ghp_abcdefghijklmnopqrstuvwxyz0123, api_key=sk-live-123456 and Authorization: Bearer abc.def.ghi");

        Assert.DoesNotContain("hunter2", sanitized, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", sanitized, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_", sanitized, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-123456", sanitized, StringComparison.Ordinal);
        Assert.DoesNotContain("abc.def.ghi", sanitized, StringComparison.Ordinal);
        Assert.Contains("postgres://[REDACTED]@db.local/app", sanitized, StringComparison.Ordinal);
    }
}
