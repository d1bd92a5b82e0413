using System;

namespace CompactMemory.Context;

/// <summary>
/// A provider refused a request because the conversation does not fit the model's context window, and the host
/// could not recover: compaction is disabled, did not shrink the conversation, or its attempts are used up.
/// </summary>
public sealed class ContextOverflowException : CompactMemoryException
{
    /// <summary>Creates the exception.</summary>
    public ContextOverflowException()
        : this("The conversation does not fit the model's context window.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ContextOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the provider's error.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The provider's error.</param>
    public ContextOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from the host's decision.</summary>
    /// <param name="recovery">Why the host gave up.</param>
    /// <param name="innerException">The provider's error.</param>
    public ContextOverflowException(ContextOverflowRecovery recovery, Exception innerException)
        : base((recovery ?? throw new ArgumentNullException(nameof(recovery))).Error ?? "The conversation does not fit the model's context window.", innerException)
    {
        Recovery = recovery;
    }

    /// <summary>The host's decision (<c>compaction_disabled</c> or <c>compression_exhausted</c>), when known.</summary>
    public ContextOverflowRecovery? Recovery { get; }

    /// <summary>True when compaction is disabled (<c>compaction_disabled</c>).</summary>
    public bool CompactionDisabled => Recovery?.CompactionDisabled ?? false;

    /// <summary>True when compaction was tried and could not make the conversation fit (<c>compression_exhausted</c>).</summary>
    public bool CompressionExhausted => Recovery?.CompressionExhausted ?? false;
}
