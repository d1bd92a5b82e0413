using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Summary;

public sealed class CompactionSummarizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<ChatMessage> Turns = [Msg.User("fix the build"), Msg.Assistant("fixed")];

    private static (CompactionSummarizer Summarizer, ManualTimeProvider Time) Create(IChatClient? client, TimeSpan? timeout = null)
    {
        var time = new ManualTimeProvider(Now);
        return (new CompactionSummarizer(client, timeout ?? TimeSpan.FromSeconds(120), time), time);
    }

    /// <summary>The cooldown lasts exactly <paramref name="seconds"/>: active one second before its end, over one second after.</summary>
    private static void AssertCooldown(CompactionSummarizer summarizer, ManualTimeProvider time, int seconds)
    {
        Assert.True(summarizer.CooldownActive);
        Assert.Equal(TimeSpan.FromSeconds(seconds), summarizer.CooldownRemaining);
        time.Advance(TimeSpan.FromSeconds(seconds - 1));
        Assert.True(summarizer.CooldownActive);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(summarizer.CooldownActive);
    }

    [Fact]
    public async Task No_client_means_not_configured_for_ten_minutes()
    {
        var (summarizer, time) = Create(null);
        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));
        Assert.Equal("no auxiliary LLM provider configured", summarizer.LastError);
        Assert.False(summarizer.AuthFailure);
        Assert.False(summarizer.NetworkFailure);
        AssertCooldown(summarizer, time, 600);
    }

    public static TheoryData<Exception, int, bool, bool, string> FailureClasses() => new()
    {
        { new InvalidOperationException("Auxiliary provider not configured for task compression"), 600, false, false, "no auxiliary LLM provider configured" },
        { new JsonException("'<' is an invalid start of a value."), 30, false, false, "JSON decode error" },
        { new InvalidOperationException("Expecting value: line 1 column 1 (char 0)"), 30, false, false, "JSON decode error" },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), 30, false, true, "stream closed" },
        { new HttpIOException(HttpRequestError.ResponseEnded, "Received an invalid chunk terminator"), 30, false, true, "stream closed" },
        { new InvalidOperationException("peer closed connection without sending complete message body (incomplete chunked read)"), 30, false, true, "stream closed" },
        { new HttpRequestException("Response status code does not indicate success: 401 (Unauthorized).", null, HttpStatusCode.Unauthorized), 60, true, false, "HttpRequestException" },
        { new InvalidOperationException("Error code: 402 - {'error': 'Payment Required'}"), 60, true, false, "InvalidOperationException" },
        { new HttpRequestException("Forbidden", null, HttpStatusCode.Forbidden), 60, true, false, "HttpRequestException" },
        { new InvalidOperationException("HTTP 429 (insufficient_quota: You exceeded your current quota, please check your plan and billing details.)"), 60, true, false, "timeout" },
        { new InvalidOperationException("The api_key client option must be set either by passing api_key to the client or by setting the OPENAI_API_KEY environment variable"), 60, true, false, "InvalidOperationException" },
        { new HttpRequestException("Too Many Requests: rate limit reached for requests", null, HttpStatusCode.TooManyRequests), 60, false, false, "timeout" },
        { new HttpRequestException("Not Found", null, HttpStatusCode.NotFound), 60, false, false, "model not found" },
        { new InvalidOperationException("The model `gpt-9` does not exist"), 60, false, false, "model not found" },
        { new InvalidOperationException("Request timeout from upstream"), 60, false, false, "timeout" },
        { new InvalidOperationException("something odd"), 60, false, false, "InvalidOperationException: something odd" },
    };

    [Theory]
    [MemberData(nameof(FailureClasses))]
    public async Task Each_failure_class_gets_its_cooldown_and_flags(Exception failure, int seconds, bool auth, bool network, string errorStart)
    {
        var client = ScriptedChatClient.Throwing(failure);
        var (summarizer, time) = Create(client);

        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));

        Assert.Single(client.Calls);
        Assert.StartsWith(errorStart, summarizer.LastError, StringComparison.Ordinal);
        Assert.True(summarizer.LastError!.Length <= 220);
        Assert.Equal(auth, summarizer.AuthFailure);
        Assert.Equal(network, summarizer.NetworkFailure);
        Assert.Null(summarizer.AuxModelFailureModel);
        AssertCooldown(summarizer, time, seconds);
    }

    [Fact]
    public async Task During_a_cooldown_the_model_is_not_called_and_afterwards_it_is()
    {
        var client = new ScriptedChatClient(ScriptedChatClient.Throw(new InvalidOperationException("boom")), ScriptedChatClient.Reply("## Goal\nok"));
        var (summarizer, time) = Create(client);
        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));
        summarizer.ResetCallFlags();

        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));
        Assert.Single(client.Calls);
        Assert.Contains("paused", summarizer.FailureReason, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.NotNull(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));
        Assert.Equal(2, client.Calls.Count);
        Assert.False(summarizer.CooldownActive);
        Assert.Null(summarizer.LastError);
    }

    [Fact]
    public async Task Success_clears_the_cooldown_and_the_error()
    {
        var client = new ScriptedChatClient(ScriptedChatClient.Throw(new InvalidOperationException("boom")), ScriptedChatClient.Reply("body"));
        var (summarizer, _) = Create(client);
        await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None);
        Assert.True(summarizer.CooldownActive);
        summarizer.ClearCooldown();

        Assert.Equal(ContextCompressor.SummaryPrefix + "\nbody", await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));
        Assert.False(summarizer.CooldownActive);
        Assert.Equal(0, summarizer.CooldownUntil);
        Assert.Null(summarizer.LastError);
        Assert.Equal("body", summarizer.PreviousSummary);
    }

    [Fact]
    public async Task A_failing_override_is_recorded_cleared_and_retried_once_on_the_main_model()
    {
        var longError = "override exploded: " + new string('e', 400);
        var client = new ScriptedChatClient(ScriptedChatClient.Throw(new InvalidOperationException(longError)), ScriptedChatClient.Reply("## Goal\nfrom main"));
        var (summarizer, _) = Create(client);
        summarizer.SummaryModel = "cheap-model";
        summarizer.Model = "main-model";

        var summary = await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None);

        Assert.Equal(ContextCompressor.SummaryPrefix + "\n## Goal\nfrom main", summary);
        Assert.Equal(2, client.Calls.Count);
        Assert.Equal("cheap-model", client.Calls[0].Options!.ModelId);
        Assert.Null(client.Calls[1].Options!.ModelId);
        Assert.Equal(client.Calls[0].Prompt, client.Calls[1].Prompt);
        Assert.Equal("cheap-model", summarizer.AuxModelFailureModel);
        Assert.Equal(220, summarizer.AuxModelFailureError!.Length);
        Assert.EndsWith("...", summarizer.AuxModelFailureError, StringComparison.Ordinal);
        Assert.StartsWith("InvalidOperationException: override exploded", summarizer.AuxModelFailureError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, summarizer.SummaryModel);
        Assert.False(summarizer.CooldownActive);
        Assert.Null(summarizer.LastError);
        Assert.False(summarizer.FellBackToMainModel);
    }

    [Fact]
    public async Task The_retry_on_the_main_model_happens_only_once()
    {
        var client = ScriptedChatClient.Throwing(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        var (summarizer, time) = Create(client);
        summarizer.SummaryModel = "cheap-model";
        summarizer.Model = "main-model";

        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));

        Assert.Equal(2, client.Calls.Count);
        Assert.Equal("cheap-model", summarizer.AuxModelFailureModel);
        Assert.True(summarizer.FellBackToMainModel);
        Assert.True(summarizer.NetworkFailure);
        AssertCooldown(summarizer, time, 30);
    }

    [Fact]
    public async Task A_network_failure_of_the_override_that_the_main_model_survives_is_no_abort()
    {
        var client = new ScriptedChatClient(ScriptedChatClient.Throw(new IOException("Connection reset by peer")), ScriptedChatClient.Reply("fine"));
        var (summarizer, _) = Create(client);
        summarizer.SummaryModel = "cheap-model";
        Assert.NotNull(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));
        Assert.False(summarizer.NetworkFailure);
        Assert.False(summarizer.AuthFailure);
        Assert.Equal("cheap-model", summarizer.AuxModelFailureModel);
    }

    [Fact]
    public async Task An_override_equal_to_the_main_model_is_not_retried()
    {
        var client = ScriptedChatClient.Throwing(new InvalidOperationException("boom"));
        var (summarizer, _) = Create(client);
        summarizer.SummaryModel = "same";
        summarizer.Model = "same";
        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));
        Assert.Single(client.Calls);
        Assert.Null(summarizer.AuxModelFailureModel);
        Assert.Equal("same", summarizer.SummaryModel);
    }

    [Fact]
    public async Task A_call_that_outlives_the_timeout_is_a_timeout_failure()
    {
        var client = new ScriptedChatClient(async (_, token) =>
        {
            await Task.Delay(System.Threading.Timeout.Infinite, token);
            return new ChatResponse();
        });
        var (summarizer, time) = Create(client, TimeSpan.FromMilliseconds(50));

        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));

        Assert.StartsWith("timeout", summarizer.LastError, StringComparison.Ordinal);
        Assert.False(summarizer.NetworkFailure);
        Assert.False(summarizer.AuthFailure);
        AssertCooldown(summarizer, time, 60);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_is_rethrown_and_never_a_failure()
    {
        using var cancel = new CancellationTokenSource();
        var client = new ScriptedChatClient(async (_, token) =>
        {
            cancel.Cancel();
            await Task.Delay(System.Threading.Timeout.Infinite, token);
            return new ChatResponse();
        });
        var (summarizer, _) = Create(client);
        summarizer.SummaryModel = "cheap-model";

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => summarizer.GenerateAsync(Turns, null, 10_000, cancel.Token));

        Assert.Single(client.Calls);
        Assert.False(summarizer.CooldownActive);
        Assert.Null(summarizer.LastError);
        Assert.Null(summarizer.AuxModelFailureModel);
        Assert.Equal("cheap-model", summarizer.SummaryModel);
    }

    [Fact]
    public async Task A_client_that_throws_after_the_caller_cancelled_is_still_a_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var client = new ScriptedChatClient((_, _) =>
        {
            cancel.Cancel();
            throw new HttpRequestException("socket torn down");
        });
        var (summarizer, _) = Create(client);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => summarizer.GenerateAsync(Turns, null, 10_000, cancel.Token));
        Assert.False(summarizer.CooldownActive);
    }

    [Fact]
    public async Task An_already_cancelled_token_calls_nothing()
    {
        var client = ScriptedChatClient.Replying("x");
        var (summarizer, _) = Create(client);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => summarizer.GenerateAsync(Turns, null, 10_000, new CancellationToken(true)));
        Assert.Empty(client.Calls);
    }

    public static TheoryData<ChatResponse?> ResponsesWithoutText() => new()
    {
        new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "summarize", new Dictionary<string, object?>())])),
        new ChatResponse(new ChatMessage(ChatRole.Assistant, "   ")),
        new ChatResponse(),
        new ChatResponse(new ChatMessage(ChatRole.Assistant, ContextCompressor.SummaryPrefix)),
        null,
    };

    [Theory]
    [MemberData(nameof(ResponsesWithoutText))]
    public async Task A_response_without_text_is_a_failure_so_the_compressor_falls_back(ChatResponse? response)
    {
        var client = new ScriptedChatClient((_, _) => Task.FromResult(response!));
        var (summarizer, time) = Create(client);

        Assert.Null(await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None));

        Assert.StartsWith("the summary model returned no text", summarizer.LastError, StringComparison.Ordinal);
        AssertCooldown(summarizer, time, 60);
    }

    [Fact]
    public async Task A_function_call_response_names_what_came_back()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "summarize")]));
        var (summarizer, _) = Create(new ScriptedChatClient((_, _) => Task.FromResult(response)));
        await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None);
        Assert.Contains("FunctionCallContent", summarizer.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reply_is_redacted_again_and_never_double_prefixed()
    {
        var reply = ContextCompressor.SummaryPrefix + "\n## Critical Context\nkey sk-proj-AbCdEf0123456789ghijKLMN\n\n" + ContextCompressor.EndMarker;
        var (summarizer, _) = Create(ScriptedChatClient.Replying(reply));

        var summary = await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None);

        Assert.Equal(ContextCompressor.SummaryPrefix + "\n## Critical Context\nkey [REDACTED]", summary);
        Assert.Equal("## Critical Context\nkey [REDACTED]", summarizer.PreviousSummary);
    }

    [Fact]
    public async Task Resetting_the_session_forgets_the_summary_and_the_cooldown()
    {
        var (summarizer, _) = Create(null);
        summarizer.PreviousSummary = "old";
        await summarizer.GenerateAsync(Turns, null, 10_000, CancellationToken.None);
        Assert.True(summarizer.CooldownActive);

        summarizer.ResetSession();

        Assert.Null(summarizer.PreviousSummary);
        Assert.False(summarizer.CooldownActive);
        Assert.Null(summarizer.LastError);
        Assert.Equal("summary unavailable", summarizer.FailureReason);
    }

    [Fact]
    public void A_timeout_that_is_not_positive_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CompactionSummarizer(null, TimeSpan.Zero, TimeProvider.System));
        Assert.Equal("timeout", error.ParamName);
        _ = new CompactionSummarizer(null, System.Threading.Timeout.InfiniteTimeSpan, TimeProvider.System);
    }
}
