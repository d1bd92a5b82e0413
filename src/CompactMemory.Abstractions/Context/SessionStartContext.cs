using System.Collections.Generic;

namespace CompactMemory.Context;

/// <summary>
/// What a host knows when a session starts, passed to <see cref="IContextEngine.OnSessionStart"/>.
/// Every field is optional; hosts may add more in <see cref="Extra"/>, which engines must tolerate.
/// </summary>
public sealed record SessionStartContext
{
    /// <summary>The host's home directory (<c>hermes_home</c>).</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>The platform the session runs on, such as <c>"cli"</c> (<c>platform</c>).</summary>
    public string? Platform { get; init; }

    /// <summary>The main model (<c>model</c>).</summary>
    public string? Model { get; init; }

    /// <summary>The main model's context window (<c>context_length</c>).</summary>
    public int? ContextLength { get; init; }

    /// <summary>A gateway's conversation key (<c>conversation_id</c>).</summary>
    public string? ConversationId { get; init; }

    /// <summary>Why a new session began, for example <c>"compression"</c> (<c>boundary_reason</c>).</summary>
    public string? BoundaryReason { get; init; }

    /// <summary>The session this one continues, after a rotation (<c>old_session_id</c>).</summary>
    public string? OldSessionId { get; init; }

    /// <summary>Whether the engine should carry context over from the old session (<c>carry_over_context</c>).</summary>
    public bool CarryOverContext { get; init; }

    /// <summary>Further host-specific values by snake_case key.</summary>
    public IReadOnlyDictionary<string, object?> Extra { get; init; } = new Dictionary<string, object?>();
}
