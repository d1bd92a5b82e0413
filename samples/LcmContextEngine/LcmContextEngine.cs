using System;
using System.Buffers;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Compression;
using CompactMemory.Context;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.Lcm;

/// <summary>
/// Lossless context management. Every message the engine sees — in <see cref="CompressAsync"/>, in
/// <see cref="ReduceAsync"/> (as an <see cref="IChatReducer"/>), in <see cref="OnTurnComplete"/>, in
/// <see cref="SelectContext"/> (every provider request) and at <see cref="OnSessionEnd"/> — is stored once in a SQLite file, keyed by session. Compaction keeps the system prompt,
/// the first <see cref="ContextEngine.ProtectFirstN"/> and last <see cref="ContextEngine.ProtectLastN"/> messages (never
/// splitting a tool call from its results, always keeping the last user message) and replaces the middle with one
/// summary message that lists the ids of every stored message no longer in the window, with short excerpts. The model
/// gets them back with two tools: <c>lcm_grep</c> (FTS5 full-text search of the whole conversation) and
/// <c>lcm_expand</c> (the stored messages by id, exactly as they were).
/// </summary>
/// <remarks>
/// <para>The database: the <c>databasePath</c> constructor argument, else the <c>database_path</c> engine setting,
/// else the <c>LCM_DATABASE_PATH</c> environment variable, else <see cref="DefaultDatabasePath"/>
/// (<c>&lt;local application data&gt;/CompactMemory/lcm/lcm.db</c>: <c>~/.local/share/…</c> on Linux,
/// <c>~/Library/Application Support/…</c> on macOS, <c>%LOCALAPPDATA%\…</c> on Windows). <c>:memory:</c> keeps the
/// store in memory for the engine's lifetime. The file is opened on first use and closed by <see cref="OnSessionEnd"/>
/// and <see cref="Dispose"/>; the next use opens it again.</para>
/// <para>Sessions: until the host calls <see cref="OnSessionStart"/>, messages go to the session
/// <see cref="DefaultSessionId"/>. A session started with <c>boundary_reason = "compression"</c> or with carry-over
/// continues its <c>old_session_id</c>: searches and restores then cover both. Thread-safe: calls are serialised.</para>
/// </remarks>
[CompressionEngine("lcm", DisplayName = "Lossless Context Management", Version = "1.0.0",
    Description = "Stores every message in SQLite, compacts the middle of a conversation into a summary with pointers, and lets the model search (lcm_grep) and restore (lcm_expand) what was compacted.")]
public sealed partial class LcmContextEngine : ContextEngine, IDisposable
{
    /// <summary>The environment variable naming the database file when neither the constructor nor the configuration does.</summary>
    public const string DatabasePathEnvironmentVariable = "LCM_DATABASE_PATH";

    /// <summary>The engine setting (<see cref="EngineConfig.Extras"/>) naming the database file.</summary>
    public const string DatabasePathSetting = "database_path";

    /// <summary>The session messages belong to before the host starts one.</summary>
    public const string DefaultSessionId = "default";

    /// <summary>The host-private key, beside <see cref="ChatMessageFacts.CompressedSummaryKey"/>, that marks this engine's own summary.</summary>
    public const string SummaryMarkerKey = "_lcm_summary";

    /// <summary>Hits <c>lcm_grep</c> returns when no limit is given.</summary>
    public const int DefaultGrepLimit = 10;

    /// <summary>The most hits <c>lcm_grep</c> returns.</summary>
    public const int MaxGrepLimit = 50;

    /// <summary>The most ids one <c>lcm_expand</c> call restores.</summary>
    public const int MaxExpandIds = 50;

    private static readonly JsonWriterOptions ToolJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly object _gate = new();
    private LcmStore? _store;
    private ConversationIndex? _index;
    private string _sessionId = DefaultSessionId;
    private int _compactedCount;
    private bool _disposed;

    /// <summary>Creates the engine.</summary>
    /// <param name="databasePath">The SQLite file; <see langword="null"/> for <c>LCM_DATABASE_PATH</c> or <see cref="DefaultDatabasePath"/>.</param>
    /// <exception cref="ArgumentException">The path is not a valid file path.</exception>
    public LcmContextEngine(string? databasePath = null)
    {
        DatabasePath = ResolvePath(databasePath, nameof(databasePath), fromConfig: false);
    }

    /// <summary>Creates the engine from engine settings: <c>database_path</c> (string), <c>protect_first_n</c>,
    /// <c>protect_last_n</c> (integers ≥ 0) and <c>threshold_percent</c> (a number in (0, 1]).</summary>
    /// <param name="config">The settings.</param>
    /// <exception cref="ConfigurationException">A setting has the wrong type or value; the message names it.</exception>
    public LcmContextEngine(EngineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        DatabasePath = ResolvePath(config.Get<string?>(DatabasePathSetting, null), DatabasePathSetting, fromConfig: true);
        ProtectFirstN = NonNegative(config.Get("protect_first_n", ProtectFirstN), "protect_first_n");
        ProtectLastN = NonNegative(config.Get("protect_last_n", ProtectLastN), "protect_last_n");
        var percent = config.Get("threshold_percent", ThresholdPercent);
        if (!(percent > 0 && percent <= 1))
        {
            throw new ConfigurationException($"Engine 'lcm': setting 'threshold_percent' must be a number greater than 0 and at most 1; got {percent.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        ThresholdPercent = percent;
    }

    /// <inheritdoc />
    public override string Name => "lcm";

    /// <summary>The full path of the SQLite file (or <c>:memory:</c>).</summary>
    public string DatabasePath { get; }

    /// <summary>The session messages are stored under now.</summary>
    public string SessionId
    {
        get
        {
            lock (_gate)
            {
                return _sessionId;
            }
        }
    }

    /// <summary><c>&lt;local application data&gt;/CompactMemory/lcm/lcm.db</c> (the temp folder when the platform has no such folder).</summary>
    /// <returns>The default database path.</returns>
    public static string DefaultDatabasePath()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, "CompactMemory", "lcm", "lcm.db");
    }

    /// <summary>Stores the messages, then replaces the middle with one summary; counts only a real compaction.</summary>
    /// <inheritdoc />
    public override async Task<IReadOnlyList<ChatMessage>> CompressAsync(
        IReadOnlyList<ChatMessage> messages,
        int? currentTokens = null,
        string? focusTopic = null,
        bool force = false,
        string memoryContext = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var compressed = await CompressCoreAsync(messages, currentTokens, focusTopic, force, memoryContext ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(compressed, messages) && CompressionCount < int.MaxValue)
        {
            CompressionCount++;
        }

        return compressed;
    }

    /// <inheritdoc />
    /// <remarks>Returns the input instance itself when there is nothing to compact.</remarks>
    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
        IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(CompressLocked(messages));
        }
    }

    /// <summary>True when compaction would move at least one message out of the window.</summary>
    /// <inheritdoc />
    public override bool HasContentToCompress(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return LcmLayout.Plan(NonNull(messages), ProtectFirstN, ProtectLastN) is not null;
    }

    /// <summary>Opens (or reopens) the store and makes <paramref name="sessionId"/> current; a session that continues
    /// another (<c>boundary_reason = "compression"</c> or carry-over with an <c>old_session_id</c>) is linked to it.</summary>
    /// <inheritdoc />
    public override void OnSessionStart(string sessionId, SessionStartContext context)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            throw new ArgumentException("The LCM engine needs a non-empty session id to key its store by.", nameof(sessionId));
        }

        lock (_gate)
        {
            var store = StoreLocked();
            var continues = context is not null
                && !string.IsNullOrEmpty(context.OldSessionId)
                && !string.Equals(context.OldSessionId, sessionId, StringComparison.Ordinal)
                && (context.CarryOverContext || string.Equals(context.BoundaryReason, "compression", StringComparison.Ordinal));
            store.EnsureSession(sessionId, continues ? context!.OldSessionId : null);
            _sessionId = sessionId;
            _index = null;
        }
    }

    /// <summary>Stores the session's last messages, then closes the file (the next call opens it again).</summary>
    /// <inheritdoc />
    public override void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (messages is { Count: > 0 } && !string.IsNullOrEmpty(sessionId))
            {
                var current = _sessionId;
                if (!string.Equals(sessionId, current, StringComparison.Ordinal))
                {
                    _sessionId = sessionId;
                    _index = null;
                    StoreLocked().EnsureSession(sessionId, null);
                }

                try
                {
                    ObserveLocked(NonNull(messages));
                }
                finally
                {
                    if (!string.Equals(sessionId, current, StringComparison.Ordinal))
                    {
                        _sessionId = current;
                        _index = null;
                    }
                }
            }

            CloseLocked();
        }
    }

    /// <summary>Zeroes the counters; the stored messages stay (they are the point).</summary>
    /// <inheritdoc />
    public override void OnSessionReset()
    {
        base.OnSessionReset();
        lock (_gate)
        {
            _compactedCount = 0;
        }
    }

    /// <summary>Stores the turn's messages.</summary>
    /// <inheritdoc />
    public override void OnTurnComplete(IReadOnlyList<ChatMessage> messages, TokenUsage? usage, TurnCompleteContext turn)
    {
        if (messages is null)
        {
            return;
        }

        lock (_gate)
        {
            ObserveLocked(NonNull(messages));
        }
    }

    /// <summary>Links the new session to the old one, so searches and restores in the new session cover both.</summary>
    /// <inheritdoc />
    public override void CarryOverNewSessionContext(string oldSessionId, string newSessionId)
    {
        if (string.IsNullOrEmpty(oldSessionId) || string.IsNullOrEmpty(newSessionId) || string.Equals(oldSessionId, newSessionId, StringComparison.Ordinal))
        {
            return;
        }

        lock (_gate)
        {
            StoreLocked().EnsureSession(newSessionId, oldSessionId);
            if (string.Equals(newSessionId, _sessionId, StringComparison.Ordinal))
            {
                _index = null;
            }
        }
    }

    /// <summary>Stores the messages, then reduces them like every engine (<see cref="ContextEngine.ReduceAsync"/>).</summary>
    /// <inheritdoc />
    public override Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var given = messages as IReadOnlyList<ChatMessage> ?? new List<ChatMessage>(messages);
        var list = NonNull(given);
        lock (_gate)
        {
            ObserveLocked(list);
        }

        // Unchanged messages come back as the same instance when there was nothing to drop.
        return base.ReduceAsync(list.Count == given.Count ? given : list, cancellationToken);
    }

    /// <summary>Stores what the request carries and leaves it unchanged.</summary>
    /// <inheritdoc />
    public override IReadOnlyList<ChatMessage>? SelectContext(
        IReadOnlyList<ChatMessage> requestMessages,
        IReadOnlyList<ChatMessage>? conversationMessages = null,
        ChatMessage? incomingMessage = null,
        int budgetTokens = 0)
    {
        if (requestMessages is not null)
        {
            lock (_gate)
            {
                ObserveLocked(NonNull(requestMessages));
            }
        }

        return null;
    }

    /// <summary>The standard status, then <c>session_id</c>, <c>stored_messages</c> (in this conversation),
    /// <c>compacted_messages</c> (stored but out of the window after the last compaction) and <c>database_path</c>.</summary>
    /// <inheritdoc />
    public override ContextEngineStatus GetStatus()
    {
        var status = base.GetStatus();
        var extra = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        lock (_gate)
        {
            extra["session_id"] = _sessionId;
            try
            {
                extra["stored_messages"] = _disposed ? null : IndexLocked().Entries.Count;
            }
            catch (InvalidOperationException ex)
            {
                extra["stored_messages"] = null;
                extra["store_error"] = ex.Message;
            }

            extra["compacted_messages"] = _compactedCount;
            extra["database_path"] = DatabasePath;
        }

        return status with { Extra = extra };
    }

    /// <summary>
    /// Searches every stored message of this conversation — including those compacted long ago — for the words of a
    /// query, best matches first. Each word must occur (a word like <c>topic-5</c> is matched as the phrase
    /// <c>topic 5</c>); when nothing matches every word, messages matching any word are returned (<c>"match": "any"</c>).
    /// Punctuation and search operators are ignored, so any text is a valid query.
    /// </summary>
    /// <param name="query">The words to look for.</param>
    /// <param name="limit">The most hits to return (1–50, default 10).</param>
    /// <returns>JSON: <c>{"query", "match", "count", "results": [{"id", "seq", "role", "snippet"}], "hint"}</c>, or <c>{"error": …}</c>.</returns>
    [EngineTool("lcm_grep")]
    [Description("Full-text search over the whole stored history of this conversation, including messages compacted out of the context window. Returns message ids, roles and snippets; pass the ids to lcm_expand to read the messages in full.")]
    public string Grep(
        [Description("A few words to look for; every word must occur (punctuation is ignored).")] string query,
        [Description("The most hits to return, 1 to 50.")] int limit = DefaultGrepLimit)
    {
        var phrases = LcmQuery.Phrases(query ?? string.Empty);
        if (phrases.Count == 0)
        {
            return ErrorJson("lcm_grep: the query has no words to search for (only punctuation, operators or control characters); pass one or more words, for example {\"query\": \"database schema\"}.");
        }

        var clamped = Math.Clamp(limit, 1, MaxGrepLimit);
        List<GrepRow> hits;
        var match = "all";
        lock (_gate)
        {
            var store = StoreLocked();
            try
            {
                hits = store.Search(_sessionId, LcmQuery.Build(phrases, any: false), clamped);
                if (hits.Count == 0 && phrases.Count > 1)
                {
                    match = "any";
                    hits = store.Search(_sessionId, LcmQuery.Build(phrases, any: true), clamped);
                }
            }
            catch (SqliteException ex)
            {
                return ErrorJson("lcm_grep: the search failed: " + ex.Message);
            }
        }

        return WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("query", LcmMessageJson.Clean(query));
            writer.WriteString("match", match);
            writer.WriteNumber("count", hits.Count);
            writer.WriteStartArray("results");
            foreach (var hit in hits)
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", hit.Id);
                writer.WriteNumber("seq", hit.Seq);
                writer.WriteString("role", hit.Role);
                writer.WriteString("snippet", LcmMessageJson.Clean(hit.Snippet));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("hint", hits.Count == 0
                ? "No stored message matches; try other or fewer words."
                : "Call lcm_expand with these ids to restore the messages exactly.");
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Restores stored messages of this conversation by id, exactly as they were stored: role, content, tool calls
    /// and tool results in the OpenAI chat format. Ids are answered in the order given (repeats once); ids that are
    /// not in this conversation are listed under <c>missing</c>.
    /// </summary>
    /// <param name="ids">The message ids from the summary or from <c>lcm_grep</c> (1–50 of them).</param>
    /// <returns>JSON: <c>{"messages": [{"id", "seq", "session_id", "role", "message": {…}}], "missing": […]}</c>, or <c>{"error": …}</c>.</returns>
    [EngineTool("lcm_expand")]
    [Description("Restores stored messages of this conversation by id, exactly as they were (role, content, tool calls and results). Use the ids listed in the context summary or returned by lcm_grep.")]
    public string Expand([Description("The message ids to restore, at most 50.")] long[] ids)
    {
        if (ids is null || ids.Length == 0)
        {
            return ErrorJson("lcm_expand: pass at least one message id, for example {\"ids\": [12, 13]}; lcm_grep and the context summary list them.");
        }

        var wanted = new List<long>();
        var seen = new HashSet<long>();
        foreach (var id in ids)
        {
            if (seen.Add(id))
            {
                wanted.Add(id);
            }
        }

        if (wanted.Count > MaxExpandIds)
        {
            return ErrorJson($"lcm_expand: {wanted.Count} ids asked for; at most {MaxExpandIds} per call. Split the ids over several calls.");
        }

        Dictionary<long, StoredRow> found;
        lock (_gate)
        {
            found = StoreLocked().Get(_sessionId, wanted);
        }

        return WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var id in wanted)
            {
                if (found.TryGetValue(id, out var row))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("id", row.Id);
                    writer.WriteNumber("seq", row.Seq);
                    writer.WriteString("session_id", LcmMessageJson.Clean(row.SessionId));
                    writer.WriteString("role", LcmMessageJson.Clean(row.Role));
                    writer.WritePropertyName("message");
                    writer.WriteRawValue(row.ContentJson);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteStartArray("missing");
            foreach (var id in wanted)
            {
                if (!found.ContainsKey(id))
                {
                    writer.WriteNumberValue(id);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The stored messages of this conversation with these ids, read back as <see cref="ChatMessage"/>s, in
    /// the order given; ids not in this conversation are skipped.</summary>
    /// <param name="ids">The message ids.</param>
    /// <returns>The messages.</returns>
    public IReadOnlyList<ChatMessage> GetStoredMessages(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = new List<long>(ids);
        Dictionary<long, StoredRow> found;
        lock (_gate)
        {
            found = StoreLocked().Get(_sessionId, wanted);
        }

        var messages = new List<ChatMessage>(found.Count);
        foreach (var id in wanted)
        {
            if (found.TryGetValue(id, out var row))
            {
                messages.Add(LcmMessageJson.Parse(row.ContentJson));
            }
        }

        return messages;
    }

    /// <summary>The ids listed on the <c>Stored message ids:</c> line of one of this engine's summaries (empty for any other message).</summary>
    /// <param name="summary">A message.</param>
    /// <returns>The ids, ascending.</returns>
    public static IReadOnlyList<long> SummaryPointers(ChatMessage summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!IsOwnSummary(summary))
        {
            return Array.Empty<long>();
        }

        foreach (var line in ChatMessageFacts.Text(summary).Split('\n'))
        {
            if (line.StartsWith(LcmSummary.StoredIdsLabel, StringComparison.Ordinal))
            {
                var ranges = line[LcmSummary.StoredIdsLabel.Length..];
                var paren = ranges.IndexOf('(', StringComparison.Ordinal);
                return LcmSummary.ParseRanges(paren >= 0 ? ranges[..paren] : ranges);
            }
        }

        return Array.Empty<long>();
    }

    /// <summary>Closes the store.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            CloseLocked();
            _disposed = true;
        }
    }

    private IReadOnlyList<ChatMessage> CompressLocked(IReadOnlyList<ChatMessage> input)
    {
        var messages = NonNull(input);
        var ids = ObserveLocked(messages);
        var layout = LcmLayout.Plan(messages, ProtectFirstN, ProtectLastN);
        if (layout is null)
        {
            return input;
        }

        var keptIds = new HashSet<long>();
        var keptAt = new Dictionary<int, Kept>();
        foreach (var kept in layout.Kept)
        {
            keptAt[kept.Index] = kept;
            if (!kept.Modified && ids[kept.Index] is { } id)
            {
                keptIds.Add(id);
            }
        }

        // Moved by this compaction, in conversation order: the middle, orphans dropped and messages that had to change.
        var moved = new List<(long Id, ChatMessage Message)>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (ids[i] is not { } id || keptIds.Contains(id))
            {
                continue;
            }

            if ((i >= layout.HeadEnd && i < layout.TailStart) || !keptAt.TryGetValue(i, out var kept) || kept.Modified)
            {
                moved.Add((id, messages[i]));
            }
        }

        var compacted = new List<long>();
        foreach (var entry in IndexLocked().Entries)
        {
            if (!keptIds.Contains(entry.Id))
            {
                compacted.Add(entry.Id);
            }
        }

        compacted.Sort();
        _compactedCount = compacted.Count;
        var summary = new ChatMessage(layout.SummaryRole, LcmSummary.Build(compacted, moved))
        {
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [ChatMessageFacts.CompressedSummaryKey] = true,
                [SummaryMarkerKey] = true,
            },
        };

        var output = new List<ChatMessage>(layout.Kept.Count + 1);
        for (var k = 0; k < layout.Kept.Count; k++)
        {
            if (k == layout.SummaryPosition)
            {
                output.Add(summary);
            }

            output.Add(layout.Kept[k].Message);
        }

        if (layout.SummaryPosition == layout.Kept.Count)
        {
            output.Add(summary);
        }

        return output;
    }

    /// <summary>Stores every message not stored yet and returns each message's id (<see langword="null"/> for this engine's summaries).</summary>
    /// <remarks>
    /// A message is recognised by the SHA-256 of its stored JSON, matched in conversation order: walking the messages,
    /// each is matched to the first stored message with the same fingerprint after the previous match, so a repeated
    /// "yes" later in the conversation is a new message, not the old one. Unmatched messages are appended, in one
    /// transaction. Results of <c>lcm_grep</c> and <c>lcm_expand</c> are stored with no searchable text.
    /// </remarks>
    private long?[] ObserveLocked(List<ChatMessage> messages)
    {
        var index = IndexLocked();
        var ids = new long?[messages.Count];
        var fresh = new List<(int At, NewRow Row)>();
        var next = 0;

        // Results of this engine's own tools are stored but not indexed: they quote other messages, and a later
        // search should find the originals, not every earlier search.
        HashSet<string>? ownToolCalls = null;
        foreach (var message in messages)
        {
            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                if (call.Name is "lcm_grep" or "lcm_expand")
                {
                    (ownToolCalls ??= new HashSet<string>(StringComparer.Ordinal)).Add(call.CallId);
                }
            }
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (IsOwnSummary(message))
            {
                continue;
            }

            var json = LcmMessageJson.Serialize(message);
            var fingerprint = LcmMessageJson.Fingerprint(json);
            if (index.ByFingerprint.TryGetValue(fingerprint, out var positions)
                && FirstAtOrAfter(positions, next) is var at and >= 0)
            {
                ids[i] = index.Entries[positions[at]].Id;
                next = positions[at] + 1;
                continue;
            }

            var searchable = ownToolCalls is not null && ChatMessageFacts.ToolCallId(message) is { } callId && ownToolCalls.Contains(callId)
                ? string.Empty
                : LcmMessageJson.SearchText(message);
            fresh.Add((i, new NewRow(LcmMessageJson.Clean(message.Role.Value), json, searchable, fingerprint)));
        }

        if (fresh.Count > 0)
        {
            var rows = new List<NewRow>(fresh.Count);
            foreach (var (_, row) in fresh)
            {
                rows.Add(row);
            }

            var (firstSeq, newIds) = _store!.Insert(_sessionId, rows);
            var stale = firstSeq != index.NextSeq;
            for (var k = 0; k < fresh.Count; k++)
            {
                ids[fresh[k].At] = newIds[k];
                index.Add(new StoredEntry(newIds[k], firstSeq + k, rows[k].Fingerprint));
            }

            if (stale)
            {
                // Another engine instance wrote to this conversation: read the index again next time.
                _index = null;
            }
        }

        return ids;
    }

    private static int FirstAtOrAfter(List<int> ascending, int position)
    {
        int lo = 0, hi = ascending.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ascending[mid] < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < ascending.Count ? lo : -1;
    }

    private LcmStore StoreLocked()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_store is null)
        {
            _store = LcmStore.Open(DatabasePath);
            _store.EnsureSession(_sessionId, null);
            _index = null;
        }

        return _store;
    }

    private ConversationIndex IndexLocked()
    {
        var store = StoreLocked();
        return _index ??= new ConversationIndex(store.LoadConversation(_sessionId));
    }

    private void CloseLocked()
    {
        _store?.Dispose();
        _store = null;
        _index = null;
    }

    /// <summary>True for a summary this engine wrote: the private marker, or (when a host dropped private keys) the header.</summary>
    internal static bool IsOwnSummary(ChatMessage message) =>
        (message.AdditionalProperties is { } properties && properties.TryGetValue(SummaryMarkerKey, out var marker) && marker is true)
        || (ChatMessageFacts.IsCompressedSummary(message) && ChatMessageFacts.Text(message).StartsWith(LcmSummary.Header, StringComparison.Ordinal))
        || (!ChatMessageFacts.IsTool(message) && ChatMessageFacts.Text(message).StartsWith(LcmSummary.Header + " Earlier parts", StringComparison.Ordinal));

    private static List<ChatMessage> NonNull(IReadOnlyList<ChatMessage> messages)
    {
        var list = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (message is not null)
            {
                list.Add(message);
            }
        }

        return list;
    }

    private static string ResolvePath(string? path, string what, bool fromConfig)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            path = Environment.GetEnvironmentVariable(DatabasePathEnvironmentVariable);
            what = DatabasePathEnvironmentVariable;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            return DefaultDatabasePath();
        }

        if (string.Equals(path, ":memory:", StringComparison.Ordinal))
        {
            return path;
        }

        try
        {
            if (path.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("the path contains a NUL character");
            }

            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            var message = $"The LCM database path '{path}' (from {what}) is not a valid file path: {ex.Message}. Give a file path such as ~/.local/share/CompactMemory/lcm/lcm.db, or leave it empty for the default.";
            if (fromConfig)
            {
                throw new ConfigurationException(message, ex);
            }

            throw new ArgumentException(message, what == DatabasePathEnvironmentVariable ? "databasePath" : what, ex);
        }
    }

    private static int NonNegative(int value, string key) =>
        value >= 0 ? value : throw new ConfigurationException($"Engine 'lcm': setting '{key}' must be 0 or more; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, ToolJson))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The stored messages of the current conversation, oldest first, with a fingerprint lookup.</summary>
    private sealed class ConversationIndex
    {
        public ConversationIndex(List<StoredEntry> entries)
        {
            Entries = new List<StoredEntry>(entries.Count);
            foreach (var entry in entries)
            {
                Add(entry);
            }
        }

        public List<StoredEntry> Entries { get; }

        /// <summary>Positions in <see cref="Entries"/> by fingerprint, ascending.</summary>
        public Dictionary<string, List<int>> ByFingerprint { get; } = new(StringComparer.Ordinal);

        public long NextSeq { get; private set; } = 1;

        public void Add(StoredEntry entry)
        {
            if (!ByFingerprint.TryGetValue(entry.Fingerprint, out var positions))
            {
                ByFingerprint[entry.Fingerprint] = positions = new List<int>(1);
            }

            positions.Add(Entries.Count);
            Entries.Add(entry);
            NextSeq = Math.Max(NextSeq, entry.Seq + 1);
        }
    }
}
