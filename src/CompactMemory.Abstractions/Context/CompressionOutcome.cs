namespace CompactMemory.Context;

/// <summary>
/// What the last <see cref="IContextEngine.CompressAsync"/> call of an engine did, beyond the messages it returned:
/// read by the host after each compaction through <see cref="ICompressionOutcomeSource"/>.
/// </summary>
/// <param name="Aborted">The input came back unchanged because the summary failed and the engine aborts rather than drop messages.</param>
/// <param name="SummaryFallbackUsed">A deterministic fallback summary was inserted instead of a model-written one.</param>
/// <param name="SummaryDroppedCount">How many messages the fallback summary stands for; 0 unless <paramref name="SummaryFallbackUsed"/>.</param>
/// <param name="SummaryError">A short description of the summary failure, or <see langword="null"/>.</param>
/// <param name="AuxModelFailureModel">The summary model that failed before the main model was used instead, or <see langword="null"/>.</param>
/// <param name="AuxModelFailureError">Why that summary model failed, or <see langword="null"/>.</param>
public sealed record CompressionOutcome(
    bool Aborted,
    bool SummaryFallbackUsed,
    int SummaryDroppedCount,
    string? SummaryError,
    string? AuxModelFailureModel,
    string? AuxModelFailureError)
{
    /// <summary>A compaction that ran cleanly: not aborted, no fallback, no errors.</summary>
    public static CompressionOutcome Clean { get; } = new(false, false, 0, null, null, null);
}
