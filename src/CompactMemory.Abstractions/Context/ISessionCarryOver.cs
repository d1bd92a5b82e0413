namespace CompactMemory.Context;

/// <summary>
/// An optional interface of context engines that can carry context from one session into the next
/// (<c>carry_over_new_session_context</c>). A host calls it last in a session transition, after
/// <see cref="IContextEngine.OnSessionStart"/>, and only when the caller asked for carry-over.
/// <see cref="ContextEngine"/> implements it as a no-op that subclasses may override.
/// </summary>
public interface ISessionCarryOver
{
    /// <summary>Carries what the engine keeps from the old session into the new one.</summary>
    /// <param name="oldSessionId">The session that ended.</param>
    /// <param name="newSessionId">The session that began.</param>
    void CarryOverNewSessionContext(string oldSessionId, string newSessionId);
}
