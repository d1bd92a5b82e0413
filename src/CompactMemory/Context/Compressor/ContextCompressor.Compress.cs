using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CompactMemory.Context;

/// <summary>The compaction itself: prune, find the region, summarise it, assemble a valid conversation.</summary>
public sealed partial class ContextCompressor
{
    /// <summary>
    /// Compacts the conversation. Returns the same list when there is nothing to compact, when the region between
    /// the protected head and tail is empty (counted as an ineffective compaction), or when the summary failed and
    /// the compaction aborted (<see cref="CompressionOutcome.Aborted"/>); <see cref="ContextEngine.CompressionCount"/>
    /// grows only when a compacted conversation is returned. The input is never changed.
    /// </summary>
    /// <param name="messages">The conversation, oldest first.</param>
    /// <param name="currentTokens">The host's token estimate, when known; the savings are measured against it.</param>
    /// <param name="focusTopic">A topic the summary should keep in detail, or <see langword="null"/> for the recent user asks.</param>
    /// <param name="force">True for a manual compaction: a summary-failure cooldown is cleared first.</param>
    /// <param name="memoryContext">Memory-provider text for the handoff (not used by this engine).</param>
    /// <param name="cancellationToken">Cancels the summary call; cancellation is rethrown, never taken for a summary failure.</param>
    /// <returns>The compacted conversation, or <paramref name="messages"/> itself when nothing was compacted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An element of <paramref name="messages"/> is <see langword="null"/>.</exception>
    public override Task<IReadOnlyList<ChatMessage>> CompressAsync(
        IReadOnlyList<ChatMessage> messages,
        int? currentTokens = null,
        string? focusTopic = null,
        bool force = false,
        string memoryContext = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckElements(messages);

        // The base counts every call; this engine counts only completed compactions, inside the algorithm.
        return CompressCoreAsync(messages, currentTokens, focusTopic, force, memoryContext ?? string.Empty, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
        IReadOnlyList<ChatMessage> messages,
        int? currentTokens,
        string? focusTopic,
        bool force,
        string memoryContext,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // Step 0: per-call flags.
        _summarizer.ResetCallFlags();
        LastCompressionOutcome = new CompressionOutcome(false, false, 0, null, null, null);
        if (force && _summarizer.CooldownActive)
        {
            _summarizer.ClearCooldown();
        }

        // Step 1: the protected head; a short conversation is left alone.
        var n = messages.Count;
        var head = HeadEnd(messages);
        if (n <= head + 3 + 1)
        {
            return messages;
        }

        // Step 2: the size the savings are measured against (non-positive values, like the -1 sentinel, are skipped).
        var displayTokens = currentTokens is > 0 ? currentTokens.Value
            : LastPromptTokens > 0 ? LastPromptTokens
            : RoughTokenEstimator.EstimateMessagesTokensRough(messages);

        // Steps 3–4: cheap pruning of old tool output, then the compacted region [start, end).
        var (work, start, end) = Window(messages, head);
        if (start >= end)
        {
            RecordIneffective(0);
            LogNothingToCompact(_logger, n, null);
            return messages;
        }

        // Step 5: continuity with an earlier summary, and the cross-session guard.
        var turns = TurnsToSummarize(work, start, end);

        // Step 6: focus.
        var focus = string.IsNullOrWhiteSpace(focusTopic) ? HandoffText.AutoFocus(work) : focusTopic;

        // Step 7: the summary.
        string? summary;
        string? failure = null;
        try
        {
            summary = await _summarizer.GenerateAsync(turns, focus, MaxSummaryTokens, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            summary = null;
            failure = ex.Message;
        }

        var error = summary is null ? failure ?? _summarizer.FailureReason : null;

        // Step 8: abort keeps every message.
        if (summary is null && (AbortOnSummaryFailure || _summarizer.AuthFailure || _summarizer.NetworkFailure))
        {
            LastCompressionOutcome = new CompressionOutcome(true, false, 0, Short(error), _summarizer.AuxModelFailureModel, _summarizer.AuxModelFailureError);
            LogAborted(_logger, error ?? "unknown error", null);
            return messages;
        }

        var fallbackUsed = false;
        var dropped = 0;
        if (summary is null)
        {
            // The fallback stands for the new turns; an earlier summary is kept in front of it, so nothing is lost.
            var fallback = FallbackSummary.Build(turns, error ?? "summary generation failed");
            var body = HandoffText.SummaryBody(new ChatMessage(ChatRole.User, fallback));
            var previous = _summarizer.PreviousSummary;
            var combined = string.IsNullOrEmpty(previous) ? body : previous + "\n\n" + body;
            summary = string.IsNullOrEmpty(previous) ? fallback : HandoffText.WithSummaryPrefix(combined);
            _summarizer.PreviousSummary = combined;
            fallbackUsed = true;
            dropped = end - start;
        }

        // Step 9: assembly, tool-pair repair, media stripping, anti-thrash, persistence markers.
        var assembled = Assemble(work, start, end, summary);
        if (CompressionCount < int.MaxValue)
        {
            CompressionCount++;
        }

        var sanitized = SanitizeToolPairs(assembled);
        var result = StripHistoricalMedia(sanitized);
        FinishPrivateKeys(result);

        var after = RoughTokenEstimator.EstimateMessagesTokensRough(result);
        LastCompressionRoughTokens = after;
        var savings = displayTokens > 0 ? (displayTokens - (double)after) / displayTokens * 100.0 : 0.0;
        if (savings < 10.0)
        {
            RecordIneffective(savings);
        }
        else
        {
            LastCompressionSavingsPct = savings;
            IneffectiveCompressionCount = 0;
            _antiThrashWarned = false;
        }

        LastCompressionOutcome = new CompressionOutcome(false, fallbackUsed, dropped, Short(error), _summarizer.AuxModelFailureModel, _summarizer.AuxModelFailureError);
        if (!_quiet)
        {
            LogCompressed(_logger, n, result.Count, displayTokens, after, null);
        }

        return result;
    }

    private void RecordIneffective(double savings)
    {
        LastCompressionSavingsPct = savings;
        if (IneffectiveCompressionCount < int.MaxValue)
        {
            IneffectiveCompressionCount++;
        }
    }

    /// <summary>
    /// The turns the summary covers: after the newest earlier handoff in the region (whose summary becomes the
    /// previous summary, and whose own live content, for a merged carrier, becomes the first turn); with no handoff a
    /// previous summary from another session is dropped.
    /// </summary>
    private List<ChatMessage> TurnsToSummarize(List<ChatMessage> work, int start, int end)
    {
        var firstNonSystem = work.Count > 0 && ChatMessageFacts.IsSystem(work[0]) ? 1 : 0;
        var handoff = -1;
        for (var i = end - 1; i >= firstNonSystem; i--)
        {
            if (HandoffText.IsHandoff(work[i]))
            {
                handoff = i;
                break;
            }
        }

        var turns = new List<ChatMessage>();
        if (handoff < 0)
        {
            if (_summarizer.PreviousSummary is not null)
            {
                _summarizer.PreviousSummary = null;
            }

            turns.AddRange(work.GetRange(start, end - start));
            return turns;
        }

        if (string.IsNullOrEmpty(_summarizer.PreviousSummary))
        {
            _summarizer.PreviousSummary = HandoffText.SummaryBody(work[handoff]);
        }

        // A merged carrier's live content (with its tool calls and images) is a turn to summarise; a standalone summary has none.
        if (handoff >= start && HandoffText.LiveContent(work[handoff]) is { } live)
        {
            turns.Add(live);
        }

        var from = Math.Max(start, handoff + 1);
        if (from < end)
        {
            turns.AddRange(work.GetRange(from, end - from));
        }

        return turns;
    }

    private static string? Short(string? error) =>
        error is null ? null : error.Length <= 220 ? error : string.Concat(error.AsSpan(0, 217), "...");

    /// <summary>Rejects a list with a null element, naming its index.</summary>
    private static void CheckElements(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is null)
            {
                throw new ArgumentException("Message " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is null; remove it or pass a ChatMessage.", nameof(messages));
            }
        }
    }

    private static readonly Action<ILogger, int, Exception?> LogNothingToCompact = LoggerMessage.Define<int>(
        LogLevel.Information,
        new EventId(3, "CompressionNoOp"),
        "Nothing to compact in {MessageCount} messages: the protected head and tail cover the conversation.");

    private static readonly Action<ILogger, string, Exception?> LogAborted = LoggerMessage.Define<string>(
        LogLevel.Warning,
        new EventId(4, "CompressionAborted"),
        "Compaction aborted, no messages were dropped: the summary failed ({Error}).");

    private static readonly Action<ILogger, int, int, int, int, Exception?> LogCompressed = LoggerMessage.Define<int, int, int, int>(
        LogLevel.Information,
        new EventId(5, "Compressed"),
        "Compacted {Before} messages to {After} (~{TokensBefore} to ~{TokensAfter} tokens).");
}
