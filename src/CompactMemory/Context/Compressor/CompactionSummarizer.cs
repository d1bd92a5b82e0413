using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// Writes the summary of a compacted middle (contract §8.12–8.13) and owns the summary-side state: the previous
/// summary, the failure cooldown and the per-call failure flags.
/// </summary>
/// <remarks>
/// One call: the turns are serialised (redacted), the prompt is sent as one user message through
/// <see cref="IChatClient.GetResponseAsync"/> with <see cref="ChatOptions.MaxOutputTokens"/> = <c>int(budget × 1.3)</c>,
/// <see cref="ChatOptions.ModelId"/> only when a summary-model override is set, and no temperature. A failure (an
/// exception, the timeout, a response without text) starts a cooldown and returns <see langword="null"/> so the
/// compressor writes the deterministic fallback instead; a failing override is retried once on the main model first.
/// Cancellation of the caller's token is rethrown and is never a failure.
/// </remarks>
internal sealed class CompactionSummarizer
{
    private readonly IChatClient? _client;
    private readonly TimeProvider _time;
    private long _cooldownUntil;

    /// <summary>Creates the summarizer.</summary>
    /// <param name="client">The summary model; <see langword="null"/> when none is configured.</param>
    /// <param name="timeout">How long one summary call may take (positive, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</param>
    /// <param name="time">The clock of the cooldowns, the timeout and today's date.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative.</exception>
    public CompactionSummarizer(IChatClient? client, TimeSpan timeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The summary timeout must be positive (for example 120 seconds), or Timeout.InfiniteTimeSpan for none.");
        }

        _client = client;
        Timeout = timeout;
        _time = time;
    }

    /// <summary>How long one summary call may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The model name of a summary-model override; empty when the main model writes summaries. Cleared when the override fails.</summary>
    public string SummaryModel { get; set; } = string.Empty;

    /// <summary>The main model's name (the retry target when an override fails).</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>The body (no prefix, no END marker) of the last summary, for iterative updates.</summary>
    public string? PreviousSummary { get; set; }

    /// <summary>Short text of the last failure (≤ 220 characters), or <see langword="null"/>.</summary>
    public string? LastError { get; private set; }

    /// <summary>True when the last failure was an authentication, billing or quota failure (rate limits excluded).</summary>
    public bool AuthFailure { get; private set; }

    /// <summary>True when the last failure was a network or stream failure that survived the retry.</summary>
    public bool NetworkFailure { get; private set; }

    /// <summary>The summary-model override that failed before the main model was used, or <see langword="null"/>.</summary>
    public string? AuxModelFailureModel { get; private set; }

    /// <summary>That failure's text (≤ 220 characters, ending <c>...</c> when cut), or <see langword="null"/>.</summary>
    public string? AuxModelFailureError { get; private set; }

    /// <summary>True once a failing override was retried on the main model; cleared by a successful summary.</summary>
    public bool FellBackToMainModel { get; private set; }

    /// <summary>True while a failure cooldown runs.</summary>
    public bool CooldownActive => _cooldownUntil > 0 && _time.GetTimestamp() < _cooldownUntil;

    /// <summary>The cooldown's end as a <see cref="TimeProvider"/> timestamp; 0 when none.</summary>
    public long CooldownUntil => _cooldownUntil;

    /// <summary>How much of the cooldown is left (zero when none runs).</summary>
    public TimeSpan CooldownRemaining
    {
        get
        {
            if (!CooldownActive)
            {
                return TimeSpan.Zero;
            }

            return TimeSpan.FromSeconds((double)(_cooldownUntil - _time.GetTimestamp()) / _time.TimestampFrequency);
        }
    }

    /// <summary>
    /// Why no summary was written, for the fallback summary's closing sentence: <see cref="LastError"/>, or a note on
    /// the running cooldown, or a generic reason.
    /// </summary>
    public string FailureReason
    {
        get
        {
            if (LastError is { } error)
            {
                return error;
            }

            if (CooldownActive)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(CooldownRemaining.TotalSeconds));
                return "summary generation is paused for " + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " s after an earlier failure";
            }

            return "summary unavailable";
        }
    }

    /// <summary>Ends any cooldown.</summary>
    public void ClearCooldown() => _cooldownUntil = 0;

    /// <summary>Clears the per-call flags (step 0 of compress).</summary>
    public void ResetCallFlags()
    {
        LastError = null;
        AuthFailure = false;
        NetworkFailure = false;
        AuxModelFailureModel = null;
        AuxModelFailureError = null;
    }

    /// <summary>Clears every per-session field.</summary>
    public void ResetSession()
    {
        ResetCallFlags();
        PreviousSummary = null;
        FellBackToMainModel = false;
        _cooldownUntil = 0;
    }

    /// <summary>
    /// The prefixed summary of <paramref name="turns"/>, or <see langword="null"/> when no summary could be written
    /// (the reason is in <see cref="LastError"/>). Cancellation is rethrown, never treated as a failure.
    /// </summary>
    /// <param name="turns">The turns to summarise (no earlier handoff among them; one that slips in contributes only its live content).</param>
    /// <param name="focus">A focus topic, or <see langword="null"/>.</param>
    /// <param name="maxSummaryTokens">The ceiling of the summary budget.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The summary, or <see langword="null"/>.</returns>
    public async Task<string?> GenerateAsync(IReadOnlyList<ChatMessage> turns, string? focus, int maxSummaryTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        cancellationToken.ThrowIfCancellationRequested();
        if (CooldownActive)
        {
            return null;
        }

        if (_client is null)
        {
            Fail(new SummaryFailure(SummaryFailureKind.NotConfigured, SummaryFailure.NotConfiguredMessage, false));
            return null;
        }

        var budget = SummaryPrompt.Budget(turns, maxSummaryTokens);
        var prompt = SummaryPrompt.Build(SummaryPrompt.Serialize(turns), PreviousSummary, focus, budget, _time.GetLocalNow());
        var retried = false;
        while (true)
        {
            var modelId = SummaryModel.Length > 0 ? SummaryModel : null;
            var (text, failure) = await CallAsync(_client, prompt, budget, modelId, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                var body = HandoffText.StripSummaryPrefix(SecretRedactor.Redact(text!));
                PreviousSummary = body;
                _cooldownUntil = 0;
                LastError = null;
                FellBackToMainModel = false;
                return HandoffText.WithSummaryPrefix(body);
            }

            if (failure.Kind != SummaryFailureKind.NotConfigured
                && modelId is not null
                && !string.Equals(modelId, Model, StringComparison.Ordinal)
                && !retried)
            {
                AuxModelFailureModel = modelId;
                AuxModelFailureError = SummaryText.Ellipsize(failure.Message, 220);
                SummaryModel = string.Empty;
                _cooldownUntil = 0;
                FellBackToMainModel = true;
                retried = true;
                continue;
            }

            Fail(failure);
            return null;
        }
    }

    private void Fail(SummaryFailure failure)
    {
        _cooldownUntil = _time.GetTimestamp() + (failure.CooldownSeconds * _time.TimestampFrequency);
        LastError = SummaryText.Ellipsize(failure.Message, 220);
        AuthFailure = failure.AuthFailure;
        NetworkFailure = failure.NetworkFailure;
    }

    /// <summary>One call of the summary model: its text, or the failure.</summary>
    private async Task<(string? Text, SummaryFailure? Failure)> CallAsync(IChatClient client, string prompt, int budget, string? modelId, CancellationToken cancellationToken)
    {
        using var timer = Timeout == System.Threading.Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var options = new ChatOptions { MaxOutputTokens = (int)(budget * 1.3) };
        if (modelId is not null)
        {
            options.ModelId = modelId;
        }

        try
        {
            var response = await client.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, prompt) }, options, linked.Token).ConfigureAwait(false);
            return ReadResponse(response);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return (null, SummaryFailure.TimedOut(Timeout));
        }
        catch (Exception ex)
        {
            return (null, SummaryFailure.Classify(ex));
        }
    }

    /// <summary>The response's text, or a failure when it has none (no message is lost to an empty summary: the compressor falls back).</summary>
    private static (string? Text, SummaryFailure? Failure) ReadResponse(ChatResponse? response)
    {
        var text = response?.Text;
        if (!string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(HandoffText.StripSummaryPrefix(text)))
        {
            return (text, null);
        }

        string? what = null;
        if (response is not null)
        {
            var kinds = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var message in response.Messages)
            {
                foreach (var content in message.Contents)
                {
                    if (content is not TextContent)
                    {
                        kinds.Add(content.GetType().Name);
                    }
                }
            }

            if (kinds.Count > 0)
            {
                what = string.Join(", ", kinds);
            }
        }

        return (null, SummaryFailure.NoText(what));
    }
}
