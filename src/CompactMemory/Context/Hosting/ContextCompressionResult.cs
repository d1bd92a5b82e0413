using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>What a host-driven compaction did.</summary>
public enum ContextCompressionKind
{
    /// <summary>No compaction was needed (below the threshold, or the engine held it back).</summary>
    NotNeeded = 0,

    /// <summary>The engine compacted the conversation; <see cref="ContextCompressionResult.Messages"/> is its result.</summary>
    Compressed = 1,

    /// <summary>A tool exchange is in flight; compaction waits for the next safe point and the messages are unchanged.</summary>
    Deferred = 2,

    /// <summary>Compaction is disabled (<see cref="ContextEngineHostOptions.CompressionEnabled"/>); the messages are unchanged.</summary>
    Disabled = 3,

    /// <summary>A manual compaction found nothing to compact (<c>Nothing to compress</c>); no model was called.</summary>
    NothingToCompress = 4,

    /// <summary>The engine aborted (its summary failed and it would not drop messages); the messages are unchanged.</summary>
    Aborted = 5,

    /// <summary>The engine threw or returned no conversation; the original messages are kept and <see cref="ContextCompressionResult.Error"/> says why.</summary>
    Failed = 6,
}

/// <summary>
/// The result of one compaction the host ran (or declined to run). <see cref="Messages"/> is always a complete
/// conversation to continue with: the compacted one, or the original when nothing was compacted — a message is never
/// lost without a summary or an explicit abort.
/// </summary>
public sealed record ContextCompressionResult
{
    /// <summary>What happened.</summary>
    public required ContextCompressionKind Kind { get; init; }

    /// <summary>The conversation to continue with.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Messages before the compaction.</summary>
    public int MessagesBefore { get; init; }

    /// <summary>Messages after the compaction.</summary>
    public int MessagesAfter { get; init; }

    /// <summary>The host's estimate of the prompt size that triggered the compaction, when known.</summary>
    public int? TokensBefore { get; init; }

    /// <summary>The rough token estimate of <see cref="Messages"/>.</summary>
    public int TokensAfter { get; init; }

    /// <summary>How many compaction passes ran (preflight and overflow recovery may run several).</summary>
    public int Passes { get; init; }

    /// <summary>The engine's report of its last compaction, when it offers one (<see cref="ICompressionOutcomeSource"/>).</summary>
    public CompressionOutcome? Outcome { get; init; }

    /// <summary>The exception of a <see cref="ContextCompressionKind.Failed"/> compaction.</summary>
    public Exception? Error { get; init; }

    /// <summary>The warnings and notes emitted for this compaction, in order.</summary>
    public IReadOnlyList<ContextEngineNotice> Notices { get; init; } = Array.Empty<ContextEngineNotice>();

    /// <summary>The session after the compaction.</summary>
    public string? SessionId { get; init; }

    /// <summary>The session that ended, when the compaction rotated the session; otherwise <see langword="null"/>.</summary>
    public string? PreviousSessionId { get; init; }

    /// <summary>The engine's compaction count afterwards.</summary>
    public int CompressionCount { get; init; }

    /// <summary>True when the conversation changed (<see cref="ContextCompressionKind.Compressed"/>).</summary>
    public bool Changed => Kind == ContextCompressionKind.Compressed;
}

/// <summary>What the host decided after a context-overflow error from the provider.</summary>
public sealed record ContextOverflowRecovery
{
    /// <summary>True to rebuild the request from <see cref="Messages"/> and send it again.</summary>
    public required bool Retry { get; init; }

    /// <summary>The conversation to retry with (compacted), or the original when giving up.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Which attempt this was (1-based).</summary>
    public int Attempt { get; init; }

    /// <summary>Giving up: compaction is disabled (<c>compaction_disabled</c>).</summary>
    public bool CompactionDisabled { get; init; }

    /// <summary>Giving up: the attempts are used up or compaction did not shrink the conversation (<c>compression_exhausted</c>).</summary>
    public bool CompressionExhausted { get; init; }

    /// <summary>Why the turn failed, when it did; <see langword="null"/> when retrying.</summary>
    public string? Error { get; init; }

    /// <summary>The compaction that ran for this attempt, if one ran.</summary>
    public ContextCompressionResult? Compression { get; init; }

    /// <summary>True when the turn failed for good (<c>failed</c>).</summary>
    public bool Failed => !Retry;
}
