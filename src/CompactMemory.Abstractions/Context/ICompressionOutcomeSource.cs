namespace CompactMemory.Context;

/// <summary>
/// An optional interface of context engines that report what their last compaction did (aborted, fell back to a
/// deterministic summary, a summary-model failure). A host reads <see cref="LastCompressionOutcome"/> right after
/// <see cref="IContextEngine.CompressAsync"/> returns, to warn the user; engines without it are treated as clean.
/// </summary>
public interface ICompressionOutcomeSource
{
    /// <summary>The outcome of the most recent compaction, or <see langword="null"/> before the first one.</summary>
    CompressionOutcome? LastCompressionOutcome { get; }
}
