namespace CompactMemory.Context;

/// <summary>Whether compaction should fire now and, when it should not although the threshold is reached, why.</summary>
/// <param name="ShouldCompress">Whether compaction should fire.</param>
/// <param name="BlockReason">Why compaction is held back (a cooldown, anti-thrash), for the host to show; or <see langword="null"/>.</param>
public readonly record struct CompressionDecision(bool ShouldCompress, string? BlockReason);
