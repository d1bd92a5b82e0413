namespace CompactMemory.Context;

/// <summary>
/// An optional interface of context engines that calibrate their preflight check against the size of the
/// conversation right after a compaction (the built-in compressor does). After every successful compaction the host
/// calls <see cref="AwaitRealUsageAfterCompression"/> with the rough size of the compacted conversation; the engine
/// then defers the next preflight check to the provider's real usage.
/// </summary>
public interface ICompressionCalibration
{
    /// <summary>
    /// Records that a compaction just ran: the engine should remember <paramref name="compressedRoughTokens"/>
    /// (<c>last_compression_rough_tokens</c>) and set its awaiting-real-usage flag
    /// (<c>awaiting_real_usage_after_compression = True</c>) until the next <see cref="IContextEngine.UpdateFromResponse"/>.
    /// </summary>
    /// <param name="compressedRoughTokens">The rough token estimate of the compacted conversation.</param>
    void AwaitRealUsageAfterCompression(int compressedRoughTokens);
}
