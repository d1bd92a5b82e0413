namespace CompactMemory.Context;

/// <summary>Facts about a finished turn, passed to <see cref="IContextEngine.OnTurnComplete"/>.</summary>
public sealed record TurnCompleteContext
{
    /// <summary>The turn's id (<c>turn_id</c>).</summary>
    public string? TurnId { get; init; }

    /// <summary>The task's id (<c>task_id</c>).</summary>
    public string? TaskId { get; init; }

    /// <summary>How many provider calls the turn made (<c>api_call_count</c>).</summary>
    public int ApiCallCount { get; init; }

    /// <summary>Whether the user interrupted the turn (<c>interrupted</c>).</summary>
    public bool Interrupted { get; init; }

    /// <summary>Whether the turn failed (<c>failed</c>).</summary>
    public bool Failed { get; init; }

    /// <summary>Why the turn ended (<c>turn_exit_reason</c>).</summary>
    public string? TurnExitReason { get; init; }
}
