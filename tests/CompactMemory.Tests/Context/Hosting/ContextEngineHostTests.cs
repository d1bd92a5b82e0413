using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CompactMemory.Tests.Context.Hosting;

public sealed class ContextEngineHostTests
{
    private static ContextEngineHostOptions Options(Action<ContextEngineHostOptions>? configure = null)
    {
        var options = new ContextEngineHostOptions { Model = "test-model", ContextLength = 100_000, SessionId = "s0" };
        var counter = 0;
        options.SessionIdFactory = () => "s" + (++counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        configure?.Invoke(options);
        return options;
    }

    private static (ContextEngineHost Host, RecordingEngine Engine, ListLogger Log) Create(Action<RecordingEngine>? setup = null, Action<ContextEngineHostOptions>? configure = null)
    {
        var engine = new RecordingEngine();
        setup?.Invoke(engine);
        var log = new ListLogger();
        var host = new ContextEngineHost(engine, Options(configure), log);
        engine.Calls.Clear();
        engine.Starts.Clear();
        engine.Ends.Clear();
        return (host, engine, log);
    }

    // ---- Construction (§5 step 4–6, §6.1, §6.2) ----

    [Fact]
    public void Construction_sets_the_model_collects_tools_then_starts_the_session()
    {
        var engine = new RecordingEngine();
        engine.Schemas.Add(RecordingEngine.Schema("echo"));

        var host = new ContextEngineHost(engine, Options(o => { o.Platform = "gateway"; o.ConversationId = "conv-1"; }));

        Assert.Equal(["UpdateModel:test-model:100000", "GetToolSchemas", "OnSessionStart:s0"], engine.Calls);
        var start = Assert.Single(engine.Starts).Context;
        Assert.Equal("gateway", start.Platform);
        Assert.Equal("test-model", start.Model);
        Assert.Equal(100_000, start.ContextLength);
        Assert.Equal("conv-1", start.ConversationId);
        Assert.Null(start.BoundaryReason);
        Assert.Equal(100_000, engine.ContextLength);
        Assert.Equal("s0", host.SessionId);
    }

    [Fact]
    public void A_window_under_64000_is_a_configuration_error_naming_the_window_and_the_fix()
    {
        var engine = new RecordingEngine();

        var error = Assert.Throws<ConfigurationException>(() => new ContextEngineHost(engine, Options(o => o.ContextLength = 32_000)));

        Assert.Contains("32,000", error.Message, StringComparison.Ordinal);
        Assert.Contains("64,000", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContextEngineHostOptions.ContextLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_window_at_all_is_accepted()
    {
        var engine = new RecordingEngine();
        var host = new ContextEngineHost(engine, new ContextEngineHostOptions());

        Assert.Equal(0, engine.ContextLength);
        Assert.DoesNotContain(engine.Calls, c => c.StartsWith("UpdateModel", StringComparison.Ordinal));
        Assert.Matches("^[0-9]{8}_[0-9]{6}_[0-9a-f]{6}$", host.SessionId);
    }

    [Fact]
    public void Engine_tools_are_deduplicated_by_name_and_host_tools_win()
    {
        var (host, _, _) = Create(
            e => e.Schemas.AddRange([RecordingEngine.Schema("echo"), RecordingEngine.Schema("search"), RecordingEngine.Schema("echo"), RecordingEngine.Schema("read_file")]),
            o => o.HostToolNames.Add("read_file"));

        Assert.Equal(["echo", "search"], host.Tools.Select(t => t.Name));
        Assert.True(host.IsEngineTool("echo"));
        Assert.False(host.IsEngineTool("read_file"));
        Assert.Equal(["search"], host.ToolsExcept(["echo"]).Select(t => t.Name));
    }

    [Fact]
    public void Engine_tools_can_be_switched_off()
    {
        var (host, engine, _) = Create(e => e.Schemas.Add(RecordingEngine.Schema("echo")), o => o.EngineToolsEnabled = false);

        Assert.Empty(host.Tools);
        Assert.False(host.IsEngineTool("echo"));
    }

    // ---- Tool dispatch (§6.9) ----

    [Fact]
    public async Task A_throwing_engine_tool_becomes_the_contract_error_json()
    {
        var (host, _, log) = Create();

        var result = await host.HandleToolCallAsync("boom", "{}");

        Assert.Equal("{\"error\": \"Context engine tool 'boom' failed: kaput\"}", result);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Exception?.Message == "kaput");
    }

    [Fact]
    public async Task Engine_tools_get_the_arguments_and_the_live_messages()
    {
        var (host, engine, _) = Create();
        var live = Conversations.Long(1);

        var result = await host.HandleToolCallAsync("echo", "{\"query\":\"x\"}", live);
        var unknown = await host.HandleToolCallAsync("nope", null);

        Assert.Equal("{\"echo\": {\"query\":\"x\"}}", result);
        Assert.Same(live, engine.ToolCalls[0].Messages);
        Assert.Equal("{}", engine.ToolCalls[1].Arguments);
        Assert.Equal("{\"error\": \"Unknown context engine tool: nope\"}", unknown);
    }

    // ---- Usage feed (§6.3) ----

    [Fact]
    public void Usage_details_feed_the_counters()
    {
        var (host, engine, _) = Create();

        host.RecordResponse(new UsageDetails { InputTokenCount = 1234, OutputTokenCount = 56, TotalTokenCount = 1290 });

        Assert.Equal(1234, engine.LastPromptTokens);
        Assert.Equal(56, engine.LastCompletionTokens);
        Assert.Equal(1290, engine.LastTotalTokens);
        Assert.Equal(1234, host.Status.LastPromptTokens);
    }

    // ---- Preflight (§6.4) ----

    [Fact]
    public async Task Preflight_is_gated_by_the_protected_message_count()
    {
        var (host, engine, _) = Create(e => e.ShouldCompressWith = _ => true);
        var messages = Conversations.Long(4); // 10 messages = 3 + 6 + 1

        var result = await host.PreflightAsync(messages);

        Assert.Equal(ContextCompressionKind.NotNeeded, result.Kind);
        Assert.Empty(engine.Compressions);
        Assert.DoesNotContain("ShouldCompress", engine.Calls);
    }

    [Fact]
    public async Task Preflight_estimates_system_prompt_messages_and_tools_and_goes_through_ShouldCompress()
    {
        var (host, engine, _) = Create(e => e.Schemas.Add(RecordingEngine.Schema("echo")));
        var messages = Conversations.Long(6);

        var result = await host.PreflightAsync(messages, "Be brief and kind.");

        var expected = RoughTokenEstimator.EstimateRequestTokensRough(messages, "Be brief and kind.", host.Tools);
        Assert.Equal(ContextCompressionKind.NotNeeded, result.Kind);
        Assert.Equal([expected], engine.ShouldCompressArguments);
        Assert.True(expected > RoughTokenEstimator.EstimateRequestTokensRough(messages, "", null));
        Assert.Equal(expected, engine.LastPromptTokens);
    }

    [Fact]
    public async Task Preflight_display_seed_only_rises_and_never_overwrites_the_sentinel()
    {
        var (host, engine, _) = Create();
        var messages = Conversations.Long(6);

        engine.LastPromptTokens = 1_000_000;
        await host.PreflightAsync(messages);
        Assert.Equal(1_000_000, engine.LastPromptTokens);

        engine.LastPromptTokens = -1;
        await host.PreflightAsync(messages);
        Assert.Equal(-1, engine.LastPromptTokens);
    }

    [Fact]
    public async Task Preflight_deferred_to_real_usage_neither_seeds_nor_compresses()
    {
        var (host, engine, _) = Create(e => { e.DeferPreflight = true; e.ShouldCompressWith = _ => true; });

        var result = await host.PreflightAsync(Conversations.Long(6));

        Assert.Equal(ContextCompressionKind.NotNeeded, result.Kind);
        Assert.Equal(0, engine.LastPromptTokens);
        Assert.Empty(engine.Compressions);
        Assert.DoesNotContain("ShouldCompress", engine.Calls);
    }

    [Fact]
    public async Task Preflight_runs_up_to_three_passes_while_they_shrink()
    {
        var (host, engine, _) = Create(e =>
        {
            e.ShouldCompressWith = _ => true;
            e.CompressWith = m => m.Skip(1).ToList();
        });
        var messages = Conversations.Long(6);

        var result = await host.PreflightAsync(messages);

        Assert.Equal(ContextCompressionKind.Compressed, result.Kind);
        Assert.Equal(3, result.Passes);
        Assert.Equal(3, engine.Compressions.Count);
        Assert.Equal(messages.Count - 3, result.Messages.Count);
        Assert.Equal(messages.Count, result.MessagesBefore);
        Assert.Equal(-1, engine.LastPromptTokens);
    }

    [Fact]
    public async Task Preflight_stops_when_a_pass_does_not_shrink()
    {
        var (host, engine, _) = Create(e =>
        {
            e.ShouldCompressWith = _ => true;
            e.CompressWith = m => m.ToList();
        });

        var result = await host.PreflightAsync(Conversations.Long(6));

        Assert.Equal(1, result.Passes);
        Assert.Single(engine.Compressions);
    }

    [Fact]
    public async Task Preflight_stops_when_ShouldCompress_turns_false()
    {
        var (host, engine, _) = Create(e => e.ShouldCompressWith = t => t > 200);

        var result = await host.PreflightAsync(Conversations.Long(12, chars: 200));

        Assert.Equal(ContextCompressionKind.Compressed, result.Kind);
        Assert.Equal(1, result.Passes);
    }

    [Fact]
    public async Task Preflight_status_goes_through_the_engine_hook()
    {
        var notices = new List<ContextEngineNotice>();
        var (host, engine, _) = Create(e => e.ShouldCompressWith = _ => true, o => o.Notice = notices.Add);

        await host.PreflightAsync(Conversations.Long(6));
        Assert.Contains(notices, n => n.Kind == ContextEngineNoticeKind.Status && n.Message.StartsWith("📦 Preflight compression: ~", StringComparison.Ordinal) && n.Message.Contains(" threshold.", StringComparison.Ordinal));
        Assert.Contains("GetAutomaticCompactionStatusMessage:Preflight", engine.Calls);

        notices.Clear();
        engine.UseStatusOverride = true;
        engine.StatusOverride = "  quiet please  ";
        await host.PreflightAsync(Conversations.Long(6));
        Assert.Equal("quiet please", Assert.Single(notices, n => n.Kind == ContextEngineNoticeKind.Status).Message);

        notices.Clear();
        engine.StatusOverride = null;
        await host.PreflightAsync(Conversations.Long(6));
        Assert.DoesNotContain(notices, n => n.Kind == ContextEngineNoticeKind.Status);
    }

    [Fact]
    public async Task Disabled_compression_skips_every_automatic_trigger()
    {
        var (host, engine, _) = Create(e => e.ShouldCompressWith = _ => true, o => o.CompressionEnabled = false);
        var messages = Conversations.Long(6);

        Assert.Equal(ContextCompressionKind.Disabled, (await host.PreflightAsync(messages)).Kind);
        Assert.Equal(ContextCompressionKind.Disabled, (await host.AfterToolTurnAsync(messages)).Kind);
        Assert.Empty(engine.Compressions);
    }

    // ---- Post-tool-turn trigger (§6.5) ----

    [Fact]
    public async Task After_a_tool_turn_the_last_prompt_tokens_are_tested()
    {
        var (host, engine, _) = Create();
        engine.LastPromptTokens = 80_000;
        engine.LastCompletionTokens = 30_000;

        var result = await host.AfterToolTurnAsync(Conversations.Long(2));

        Assert.Equal([80_000], engine.ShouldCompressArguments);
        Assert.Equal(ContextCompressionKind.Compressed, result.Kind);
        Assert.Equal(80_000, engine.Compressions[0].CurrentTokens);
    }

    [Fact]
    public async Task After_a_tool_turn_the_sentinel_tests_zero_and_no_usage_tests_a_rough_estimate_with_tools()
    {
        var (host, engine, _) = Create(e => e.Schemas.Add(RecordingEngine.Schema("echo")));
        var messages = Conversations.Long(2);

        engine.LastPromptTokens = -1;
        await host.AfterToolTurnAsync(messages, "ignored system prompt");
        engine.LastPromptTokens = 0;
        await host.AfterToolTurnAsync(messages, "ignored system prompt");

        Assert.Equal([0, RoughTokenEstimator.EstimateRequestTokensRough(messages, "", host.Tools)], engine.ShouldCompressArguments);
        Assert.Empty(engine.Compressions);
    }

    // ---- Never inside a tool exchange (§6.7) ----

    [Fact]
    public async Task No_compaction_while_tool_results_are_awaited()
    {
        var (host, engine, _) = Create(e => e.ShouldCompressWith = _ => true);
        var messages = Conversations.Long(6);
        messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "echo"), new FunctionCallContent("c2", "echo")]));
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "one")]));
        engine.LastPromptTokens = 90_000;

        Assert.Equal(ContextCompressionKind.Deferred, (await host.PreflightAsync(messages)).Kind);
        Assert.Equal(ContextCompressionKind.Deferred, (await host.AfterToolTurnAsync(messages)).Kind);
        Assert.Equal(ContextCompressionKind.Deferred, (await host.CompressAsync(messages)).Kind);
        Assert.Equal(ContextCompressionKind.Deferred, (await host.CompressManuallyAsync(messages)).Kind);
        Assert.False((await host.RecoverFromOverflowAsync(messages, 1)).Retry);
        Assert.Empty(engine.Compressions);

        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c2", "two")]));
        Assert.Equal(ContextCompressionKind.Compressed, (await host.AfterToolTurnAsync(messages)).Kind);
    }

    // ---- The compression wrapper (§6.8) ----

    [Fact]
    public async Task The_wrapper_passes_every_argument_and_marks_real_usage_as_awaited()
    {
        var (host, engine, _) = Create(configure: o => o.MemoryContextProvider = _ => "remember password=hunter2");
        engine.LastPromptTokens = 5000;
        engine.LastCompletionTokens = 300;
        var messages = Conversations.Long(6);

        var result = await host.CompressAsync(messages, "", approxTokens: 4321, focusTopic: "the build", force: true);

        var call = Assert.Single(engine.Compressions);
        Assert.Same(messages, call.Messages);
        Assert.Equal(4321, call.CurrentTokens);
        Assert.Equal("the build", call.FocusTopic);
        Assert.True(call.Force);
        Assert.DoesNotContain("hunter2", call.MemoryContext, StringComparison.Ordinal);
        Assert.StartsWith("remember password=", call.MemoryContext, StringComparison.Ordinal);
        Assert.Equal(ContextCompressionKind.Compressed, result.Kind);
        Assert.Equal(-1, engine.LastPromptTokens);
        Assert.Equal(0, engine.LastCompletionTokens);
        Assert.Equal(RoughTokenEstimator.EstimateMessagesTokensRough(result.Messages), engine.CalibratedRoughTokens);
        Assert.Equal(result.Messages.Count, result.MessagesAfter);
        Assert.Equal(messages.Count, result.MessagesBefore);
        Assert.Equal(1, result.CompressionCount);
        Assert.Equal(0, host.Status.LastPromptTokens);
    }

    [Fact]
    public async Task An_aborted_compaction_keeps_the_messages_and_says_so()
    {
        var (host, engine, _) = Create(e => e.Outcome = new CompressionOutcome(true, false, 0, "summary model unreachable", null, null), o => o.RotateSessionOnCompression = true);
        engine.LastPromptTokens = 5000;
        var messages = Conversations.Long(6);

        var result = await host.CompressAsync(messages);

        Assert.Equal(ContextCompressionKind.Aborted, result.Kind);
        Assert.Same(messages, result.Messages);
        Assert.Equal("⚠ Compression aborted: summary model unreachable. No messages were dropped; the conversation is unchanged.", Assert.Single(result.Notices, n => n.Kind == ContextEngineNoticeKind.Warning).Message);
        Assert.Equal(5000, engine.LastPromptTokens);
        Assert.Empty(engine.Ends);
        Assert.Equal("s0", host.SessionId);
    }

    [Fact]
    public async Task A_summary_failure_is_a_warning_and_an_auxiliary_failure_a_note()
    {
        var (host, engine, _) = Create(e => e.Outcome = new CompressionOutcome(false, true, 7, "timed out", null, null));

        var failed = await host.CompressAsync(Conversations.Long(6));
        Assert.Equal("⚠ Compression summary failed: timed out. Inserted a fallback context marker.", Assert.Single(failed.Notices, n => n.Kind == ContextEngineNoticeKind.Warning).Message);
        Assert.Equal(7, failed.Outcome!.SummaryDroppedCount);

        engine.Outcome = new CompressionOutcome(false, false, 0, null, "cheap-model", "404");
        var aux = await host.CompressAsync(Conversations.Long(6));
        var note = Assert.Single(aux.Notices, n => n.Kind == ContextEngineNoticeKind.Info).Message;
        Assert.Contains("'cheap-model'", note, StringComparison.Ordinal);
        Assert.Contains("auxiliary.compression.model", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_throws_in_CompressAsync_leaves_the_conversation_as_it_was()
    {
        var (host, engine, log) = Create(e => e.Throwing.Add("Compress"));
        engine.LastPromptTokens = 5000;
        var messages = Conversations.Long(6);

        var result = await host.CompressAsync(messages);

        Assert.Equal(ContextCompressionKind.Failed, result.Kind);
        Assert.Same(messages, result.Messages);
        Assert.Equal("Compress exploded", result.Error!.Message);
        Assert.Contains(result.Notices, n => n.Kind == ContextEngineNoticeKind.Warning && n.Message.Contains("No messages were dropped", StringComparison.Ordinal));
        Assert.Equal(5000, engine.LastPromptTokens);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Exception?.Message == "Compress exploded");
    }

    [Fact]
    public async Task An_engine_that_returns_nothing_is_a_failure_not_an_empty_conversation()
    {
        var (host, _, _) = Create(e => e.CompressWith = _ => null);
        var messages = Conversations.Long(6);

        var result = await host.CompressAsync(messages);

        Assert.Equal(ContextCompressionKind.Failed, result.Kind);
        Assert.Same(messages, result.Messages);
    }

    [Fact]
    public async Task Cancellation_is_rethrown_not_reported_as_a_failure()
    {
        var (host, _, _) = Create();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.CompressAsync(Conversations.Long(6), cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task From_the_second_compaction_on_the_host_warns()
    {
        var (host, _, _) = Create();

        var first = await host.CompressAsync(Conversations.Long(6));
        var second = await host.CompressAsync(Conversations.Long(6));

        Assert.DoesNotContain(first.Notices, n => n.Kind == ContextEngineNoticeKind.Warning);
        Assert.Contains(second.Notices, n => n.Kind == ContextEngineNoticeKind.Warning && n.Message.Contains("compressed 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotation_ends_the_old_session_and_starts_one_with_the_compression_boundary()
    {
        var (host, engine, _) = Create(configure: o => { o.RotateSessionOnCompression = true; o.ConversationId = "conv"; });
        var messages = Conversations.Long(6);
        ContextCompressionResult? seen = null;
        host.Options.Compressed = r => seen = r;

        var result = await host.CompressAsync(messages);

        Assert.Equal(["OnSessionEnd:s0", "OnSessionStart:s1"], engine.Calls.Where(c => c.StartsWith("OnSession", StringComparison.Ordinal)));
        Assert.Same(messages, engine.Ends.Single().Messages);
        var start = engine.Starts.Single().Context;
        Assert.Equal("compression", start.BoundaryReason);
        Assert.Equal("s0", start.OldSessionId);
        Assert.Equal("conv", start.ConversationId);
        Assert.Equal("s1", host.SessionId);
        Assert.Equal("s0", result.PreviousSessionId);
        Assert.Equal("s1", result.SessionId);
        Assert.Same(result, seen);
    }

    [Fact]
    public async Task Without_rotation_the_session_continues_in_place()
    {
        var (host, engine, _) = Create();

        await host.CompressAsync(Conversations.Long(6));

        Assert.Empty(engine.Ends);
        Assert.Empty(engine.Starts);
        Assert.Equal("s0", host.SessionId);
    }

    // ---- Overflow recovery (§6.6) ----

    [Fact]
    public async Task Overflow_with_compaction_disabled_fails_for_good()
    {
        var (host, engine, _) = Create(configure: o => o.CompressionEnabled = false);

        var recovery = await host.RecoverFromOverflowAsync(Conversations.Long(6), 1);

        Assert.False(recovery.Retry);
        Assert.True(recovery.Failed);
        Assert.True(recovery.CompactionDisabled);
        Assert.StartsWith("Context overflow and auto-compaction is disabled", recovery.Error, StringComparison.Ordinal);
        Assert.Empty(engine.Compressions);
    }

    [Fact]
    public async Task Overflow_applies_a_lower_reported_limit_then_compacts()
    {
        var (host, engine, _) = Create();
        var messages = Conversations.Long(6);

        var recovery = await host.RecoverFromOverflowAsync(messages, 1, reportedContextLength: 80_000);

        Assert.True(recovery.Retry);
        Assert.Equal(80_000, engine.ContextLength);
        Assert.Equal(["UpdateModel:test-model:80000"], engine.Calls.Where(c => c.StartsWith("UpdateModel", StringComparison.Ordinal)));
        Assert.True(recovery.Messages.Count < messages.Count);

        engine.Calls.Clear();
        await host.RecoverFromOverflowAsync(messages, 2, reportedContextLength: 120_000);
        Assert.DoesNotContain(engine.Calls, c => c.StartsWith("UpdateModel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Overflow_gives_up_after_three_attempts_or_without_a_shrink()
    {
        var (host, engine, _) = Create();

        var fourth = await host.RecoverFromOverflowAsync(Conversations.Long(6), 4);
        Assert.True(fourth.CompressionExhausted);
        Assert.Empty(engine.Compressions);

        engine.CompressWith = m => m.ToList();
        var noShrink = await host.RecoverFromOverflowAsync(Conversations.Long(6), 1);
        Assert.True(noShrink.CompressionExhausted);
        Assert.False(noShrink.Retry);
    }

    // ---- Sessions (§6.10) ----

    [Fact]
    public void A_transition_runs_end_reset_start_carry_over_in_that_order()
    {
        var (host, engine, _) = Create();
        var previous = Conversations.Long(1);

        host.TransitionSession("old", "new", previous, carryOverContext: true, extra: new Dictionary<string, object?> { ["reason"] = "manual", ["dropped"] = null, ["blank"] = "" });

        Assert.Equal(["OnSessionEnd:old", "OnSessionReset", "OnSessionStart:new", "CarryOver:old->new"], engine.Calls);
        var start = engine.Starts.Single().Context;
        Assert.Equal("old", start.OldSessionId);
        Assert.True(start.CarryOverContext);
        Assert.Equal("manual", Assert.Single(start.Extra).Value);
        Assert.Equal("new", host.SessionId);
    }

    [Fact]
    public void A_transition_without_context_skips_end_and_start()
    {
        var (host, engine, _) = Create();

        host.TransitionSession(null, "fresh", null, carryOverContext: false, resetEngine: true);

        Assert.Equal(["OnSessionReset"], engine.Calls);
        Assert.Equal("fresh", host.SessionId);
    }

    [Fact]
    public void Every_transition_step_is_fail_open()
    {
        var (host, engine, log) = Create(e => e.Throwing.UnionWith(["OnSessionEnd:old", "OnSessionReset", "OnSessionStart:new", "CarryOver:old->new"]));

        host.TransitionSession("old", "new", [], carryOverContext: true);

        Assert.Equal(["OnSessionEnd:old", "OnSessionReset", "OnSessionStart:new", "CarryOver:old->new"], engine.Calls);
        Assert.Equal(4, log.Entries.Count(e => e.Level == LogLevel.Warning));
    }

    [Fact]
    public void Reset_without_arguments_only_resets_and_with_messages_transitions()
    {
        var (host, engine, _) = Create();

        host.ResetSession();
        Assert.Equal(["OnSessionReset"], engine.Calls);

        engine.Calls.Clear();
        var id = host.ResetSession(Conversations.Long(1));
        Assert.Equal(["OnSessionEnd:s0", "OnSessionReset", "OnSessionStart:" + id], engine.Calls);
        Assert.False(engine.Starts.Single().Context.CarryOverContext);
    }

    [Fact]
    public void New_session_refreshes_the_context_length_before_the_new_session_starts()
    {
        var window = 100_000;
        var (host, engine, _) = Create(configure: o => o.ContextLengthResolver = _ => window);
        window = 128_000;

        var id = host.NewSession(Conversations.Long(1));

        Assert.Equal(["OnSessionEnd:s0", "OnSessionReset", "UpdateModel:test-model:128000", "OnSessionStart:" + id], engine.Calls);
        Assert.Equal(128_000, engine.Starts.Single().Context.ContextLength);
    }

    [Fact]
    public void Switching_models_resolves_the_new_window_and_refuses_a_small_one()
    {
        var (host, engine, _) = Create(configure: o => o.ContextLengthResolver = m => m == "tiny" ? 8_000 : m == "big" ? 1_000_000 : 100_000);

        host.SwitchModel("big");
        Assert.Equal(1_000_000, engine.ContextLength);

        var error = Assert.Throws<ConfigurationException>(() => host.SwitchModel("tiny"));
        Assert.Contains("'tiny'", error.Message, StringComparison.Ordinal);
    }

    // ---- Manual /compress (§6.11) ----

    [Fact]
    public async Task Manual_compress_with_nothing_to_compress_answers_without_compacting()
    {
        var (host, engine, _) = Create(e => e.HasContent = false);

        var result = await host.CompressManuallyAsync(Conversations.Long(6), "focus");

        Assert.Equal(ContextCompressionKind.NothingToCompress, result.Kind);
        Assert.Equal("Nothing to compress", Assert.Single(result.Notices).Message);
        Assert.Empty(engine.Compressions);
    }

    [Fact]
    public async Task Manual_compress_forces_with_the_focus_and_resets_the_displayed_tokens()
    {
        var (host, engine, _) = Create(configure: o => o.CompressionEnabled = false);
        engine.LastPromptTokens = 9000;

        var result = await host.CompressManuallyAsync(Conversations.Long(6), "  the database  ");

        Assert.Equal(ContextCompressionKind.Compressed, result.Kind);
        var call = Assert.Single(engine.Compressions);
        Assert.True(call.Force);
        Assert.Equal("the database", call.FocusTopic);
        Assert.Equal(0, engine.LastPromptTokens);
    }

    // ---- Fail-open of every optional member ----

    public static TheoryData<string> OptionalMembers() =>
    [
        "UpdateModel:test-model:100000", "GetToolSchemas", "OnSessionStart:s0", "ShouldDeferPreflightToRealUsage", "ShouldCompressInfo",
        "GetAutomaticCompactionStatusMessage:Preflight", "GetAutomaticCompactionStatusMessage:Compress", "LastCompressionOutcome",
        "AwaitRealUsageAfterCompression", "UpdateFromResponse", "GetStatus", "SelectContext", "OnTurnComplete", "HasContentToCompress",
        "OnSessionEnd:s0", "OnSessionReset", "CarryOver:s0->s1",
    ];

    [Theory]
    [MemberData(nameof(OptionalMembers))]
    public async Task Every_optional_member_is_called_fail_open(string member)
    {
        var engine = new RecordingEngine { ShouldCompressWith = _ => true };
        engine.Schemas.Add(RecordingEngine.Schema("echo"));
        engine.Throwing.Add(member);
        var log = new ListLogger();
        var host = new ContextEngineHost(engine, Options(), log);
        var messages = Conversations.Long(6);

        var preflight = await host.PreflightAsync(messages);
        var after = await host.AfterToolTurnAsync(preflight.Messages);
        host.RecordResponse(new UsageDetails { InputTokenCount = 10 });
        var status = host.Status;
        var selected = host.SelectContext(messages);
        host.TurnComplete(messages, null);
        var manual = await host.CompressManuallyAsync(messages);
        host.TransitionSession("s0", "s1", messages, carryOverContext: true);

        Assert.Contains(member, engine.Calls);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Exception?.Message == member + " exploded");
        Assert.Equal(ContextCompressionKind.Compressed, preflight.Kind);
        Assert.Equal(ContextCompressionKind.Compressed, manual.Kind);
        Assert.Same(messages, selected);
        Assert.True(status.ContextLength is 0 or 100_000);
    }
}
