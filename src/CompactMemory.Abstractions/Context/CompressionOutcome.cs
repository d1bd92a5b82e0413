namespace CompactMemory.Context;

/// <summary>
/// An engine that reports what its last <see cref="IContextEngine.CompressAsync"/> call did, so a host can warn about
/// an abort or a fallback summary without reaching into the engine's internals.
/// </summary>
public interface ICompressionOutcomeSource
{
    /// <summary>What the last compression call did; <see langword="null"/> before the first call.</summary>
    CompressionOutcome? LastCompressionOutcome { get; }
}

/// <summary>What one compression call did (the result flags a host reads after each call).</summary>
/// <param name="Aborted">The messages were returned unchanged because the summary failed in abort mode or with an authentication or network failure.</param>
/// <param name="SummaryFallbackUsed">A deterministic fallback summary was inserted because no summary could be written.</param>
/// <param name="SummaryDroppedCount">How many messages the fallback summary stands for; 0 when no fallback was used.</param>
/// <param name="SummaryError">A short text (at most 220 characters) of the summary failure, or <see langword="null"/>.</param>
/// <param name="AuxModelFailureModel">The summary-model override that failed before the main model was used, or <see langword="null"/>.</param>
/// <param name="AuxModelFailureError">That failure's text, or <see langword="null"/>.</param>
public sealed record CompressionOutcome(
    bool Aborted,
    bool SummaryFallbackUsed,
    int SummaryDroppedCount,
    string? SummaryError,
    string? AuxModelFailureModel,
    string? AuxModelFailureError);
