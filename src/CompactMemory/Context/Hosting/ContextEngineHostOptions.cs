using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// How a <see cref="ContextEngineHost"/> drives its engine: the model runtime it reports to the engine, whether
/// compaction may run at all, session handling, and where status lines and warnings go.
/// </summary>
public sealed class ContextEngineHostOptions
{
    /// <summary>Whether automatic and overflow compaction may run (<c>compression.enabled</c>); default true. Manual compaction always may.</summary>
    public bool CompressionEnabled { get; set; } = true;

    /// <summary>The main model's id, passed to <see cref="IContextEngine.UpdateModel"/> and to session starts.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>
    /// The main model's resolved context window. When set, the host calls <see cref="IContextEngine.UpdateModel"/> with
    /// it once at construction (and again on <see cref="ContextEngineHost.NewSession"/>); when <see langword="null"/>
    /// the engine's own <see cref="IContextEngine.ContextLength"/> is kept. <see cref="ContextLengthResolver"/> wins when set.
    /// </summary>
    public int? ContextLength { get; set; }

    /// <summary>Resolves the context window of a model id afresh (on construction, model switch and <c>/new</c>); <see langword="null"/> result: unknown.</summary>
    public Func<string, int?>? ContextLengthResolver { get; set; }

    /// <summary>The provider's base URL, passed to <see cref="IContextEngine.UpdateModel"/>.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>The provider's key, passed to <see cref="IContextEngine.UpdateModel"/>; never logged.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>The provider's name, passed to <see cref="IContextEngine.UpdateModel"/>.</summary>
    public string Provider { get; set; } = string.Empty;

    /// <summary>The provider's API mode, passed to <see cref="IContextEngine.UpdateModel"/>.</summary>
    public string ApiMode { get; set; } = string.Empty;

    /// <summary>The platform reported to <see cref="IContextEngine.OnSessionStart"/> (<c>platform</c>); default <c>"cli"</c>.</summary>
    public string Platform { get; set; } = "cli";

    /// <summary>The host's home directory reported to session starts (<c>hermes_home</c>), or <see langword="null"/>.</summary>
    public string? HomeDirectory { get; set; }

    /// <summary>A gateway's conversation key reported to session starts (<c>conversation_id</c>), or <see langword="null"/>.</summary>
    public string? ConversationId { get; set; }

    /// <summary>The first session's id; <see langword="null"/> generates one (<c>yyyyMMdd_HHmmss_&lt;6 hex&gt;</c>).</summary>
    public string? SessionId { get; set; }

    /// <summary>Makes new session ids (for rotation and <c>/new</c>); <see langword="null"/> uses the clock and 6 random hex digits.</summary>
    public Func<string>? SessionIdFactory { get; set; }

    /// <summary>
    /// Whether a compaction ends the session and starts a new one (<c>boundary_reason = "compression"</c>, with
    /// <c>old_session_id</c>), as a host with a session store does; default false: the session continues in place.
    /// </summary>
    public bool RotateSessionOnCompression { get; set; }

    /// <summary>Whether the engine's tools are offered to the model (the <c>context_engine</c> toolset); default true.</summary>
    public bool EngineToolsEnabled { get; set; } = true;

    /// <summary>Names of the host's own tools: an engine tool with one of these names is not offered (the host's tool wins).</summary>
    public ICollection<string> HostToolNames { get; } = new List<string>();

    /// <summary>Memory-provider text for a compaction's handoff, cleaned with <see cref="ContextEngine.SanitizeMemoryContext"/>; <see langword="null"/>: none.</summary>
    public Func<IReadOnlyList<ChatMessage>, string?>? MemoryContextProvider { get; set; }

    /// <summary>Receives every status line, note and warning the host emits (they are logged too); <see langword="null"/>: log only.</summary>
    public Action<ContextEngineNotice>? Notice { get; set; }

    /// <summary>Called after every compaction that changed the conversation, with its result (for example to persist the compacted transcript).</summary>
    public Action<ContextCompressionResult>? Compressed { get; set; }

    /// <summary>The clock for generated session ids; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The most preflight compaction passes per turn; default 3.</summary>
    public int MaxPreflightPasses { get; set; } = 3;

    /// <summary>The most compaction attempts per turn after context-overflow errors; default 3.</summary>
    public int MaxOverflowAttempts { get; set; } = 3;

    /// <summary>The most times <see cref="ContextEngineChatClient"/> calls the model again by itself after answering engine tool calls, per request; default 10.</summary>
    public int MaxEngineToolRoundTrips { get; set; } = 10;
}
