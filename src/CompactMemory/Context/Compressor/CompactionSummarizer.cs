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
internal sealed class CompactionSummarizer
{
    private readonly IChatClient? _client;
    private readonly TimeProvider _time;
    private long _cooldownUntil;

    /// <summary>Creates the summarizer.</summary>
    /// <param name="client">The summary model; <see langword="null"/> when none is configured.</param>
    /// <param name="timeout">How long one summary call may take.</param>
    /// <param name="time">The clock of the cooldowns.</param>
    public CompactionSummarizer(IChatClient? client, TimeSpan timeout, TimeProvider time)
    {
        _client = client;
        Timeout = timeout;
        _time = time;
    }

    /// <summary>How long one summary call may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The model name of a summary-model override; empty when the main model writes summaries.</summary>
    public string SummaryModel { get; set; } = string.Empty;

    /// <summary>The main model's name (the retry target when an override fails).</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>The body (no prefix, no END marker) of the last summary, for iterative updates.</summary>
    public string? PreviousSummary { get; set; }

    /// <summary>Short text of the last failure (≤ 220 characters), or <see langword="null"/>.</summary>
    public string? LastError { get; private set; }

    /// <summary>True when the last failure was an authentication, billing or quota failure.</summary>
    public bool AuthFailure { get; private set; }

    /// <summary>True when the last failure was a network or stream failure that survived the retry.</summary>
    public bool NetworkFailure { get; private set; }

    /// <summary>The summary-model override that failed before the main model was used, or <see langword="null"/>.</summary>
    public string? AuxModelFailureModel { get; private set; }

    /// <summary>That failure's text (≤ 220 characters), or <see langword="null"/>.</summary>
    public string? AuxModelFailureError { get; private set; }

    /// <summary>True while a failure cooldown runs.</summary>
    public bool CooldownActive => _cooldownUntil > 0 && _time.GetTimestamp() < _cooldownUntil;

    /// <summary>The cooldown's end as a <see cref="TimeProvider"/> timestamp; 0 when none.</summary>
    public long CooldownUntil => _cooldownUntil;

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
        _cooldownUntil = 0;
    }

    /// <summary>
    /// The prefixed summary of <paramref name="turns"/>, or <see langword="null"/> when no summary could be written
    /// (the reason is in <see cref="LastError"/>). Cancellation is rethrown, never treated as a failure.
    /// </summary>
    /// <param name="turns">The turns to summarise (no earlier handoff among them).</param>
    /// <param name="focus">A focus topic, or <see langword="null"/>.</param>
    /// <param name="maxSummaryTokens">The ceiling of the summary budget.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The summary, or <see langword="null"/>.</returns>
    public async Task<string?> GenerateAsync(IReadOnlyList<ChatMessage> turns, string? focus, int maxSummaryTokens, CancellationToken cancellationToken)
    {
        if (CooldownActive)
        {
            return null;
        }

        if (_client is null)
        {
            _cooldownUntil = _time.GetTimestamp() + (long)(600 * _time.TimestampFrequency);
            LastError = "no auxiliary LLM provider configured";
            return null;
        }

        var prompt = "TURNS TO SUMMARIZE:\n\n" + string.Join("\n\n", Serialize(turns)) + (focus is null ? string.Empty : "\n\nFOCUS TOPIC: \"" + focus + "\"");
        try
        {
            var response = await _client.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, prompt) }, new ChatOptions { MaxOutputTokens = maxSummaryTokens }, cancellationToken).ConfigureAwait(false);
            var body = response.Text ?? string.Empty;
            PreviousSummary = body;
            return HandoffText.WithSummaryPrefix(body);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _cooldownUntil = _time.GetTimestamp() + (long)(60 * _time.TimestampFrequency);
            LastError = ex.Message.Length > 220 ? string.Concat(ex.Message.AsSpan(0, 217), "...") : ex.Message;
            return null;
        }
    }

    private static IEnumerable<string> Serialize(IReadOnlyList<ChatMessage> turns)
    {
        foreach (var turn in turns)
        {
            yield return "[" + turn.Role.Value.ToUpperInvariant() + "]: " + ChatMessageFacts.Text(turn);
        }
    }
}

/// <summary>Recognising, writing and reading summary handoffs (contract §8.11, §8.12, §8.15).</summary>
internal static class HandoffText
{
    /// <summary>True when the message is a handoff: it carries the summary flag or starts with a known prefix.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message is a handoff.</returns>
    public static bool IsHandoff(ChatMessage message)
    {
        if (ChatMessageFacts.IsCompressedSummary(message))
        {
            return true;
        }

        var text = ChatMessageFacts.Text(message);
        if (text.StartsWith(ContextCompressor.SummaryPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var prefix in ContextCompressor.HistoricalSummaryPrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The summary body of a handoff (prefix and END marker stripped; for a merged carrier only the summary part).</summary>
    /// <param name="message">The handoff.</param>
    /// <returns>The body.</returns>
    public static string SummaryBody(ChatMessage message) => StripPrefix(ChatMessageFacts.Text(message));

    /// <summary><see cref="ContextCompressor.SummaryPrefix"/>, a line feed and the body; exactly the prefix for an empty body. Never double-prefixes.</summary>
    /// <param name="summary">The summary, possibly already prefixed.</param>
    /// <returns>The prefixed summary.</returns>
    public static string WithSummaryPrefix(string summary)
    {
        var body = StripPrefix(summary ?? string.Empty);
        return body.Length == 0 ? ContextCompressor.SummaryPrefix : ContextCompressor.SummaryPrefix + "\n" + body;
    }

    /// <summary>The "Recent user focus" block from the last three non-handoff user messages, or <see langword="null"/>.</summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>The focus.</returns>
    public static string? AutoFocus(IReadOnlyList<ChatMessage> messages) => null;

    private static string StripPrefix(string text)
    {
        var body = text;
        if (body.StartsWith(ContextCompressor.SummaryPrefix, StringComparison.Ordinal))
        {
            body = body.Substring(ContextCompressor.SummaryPrefix.Length);
        }

        if (body.EndsWith(ContextCompressor.EndMarker, StringComparison.Ordinal))
        {
            body = body.Substring(0, body.Length - ContextCompressor.EndMarker.Length);
        }

        return body.Trim();
    }
}

/// <summary>The deterministic offline summary used when no summary could be written (contract §8.14).</summary>
internal static class FallbackSummary
{
    /// <summary>The prefixed fallback summary of the dropped turns.</summary>
    /// <param name="dropped">The turns compacted away.</param>
    /// <param name="reason">Why no summary was written.</param>
    /// <returns>The summary text.</returns>
    public static string Build(IReadOnlyList<ChatMessage> dropped, string reason) =>
        HandoffText.WithSummaryPrefix("## Historical Task Snapshot\n\nSummary generation was unavailable, so this is a best-effort deterministic fallback for "
            + dropped.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " compacted message(s). Summary failure reason: " + reason);
}
