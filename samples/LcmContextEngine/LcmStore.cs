using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CompactMemory.Samples.Lcm;

/// <summary>One stored message as the engine's in-memory index knows it.</summary>
internal readonly record struct StoredEntry(long Id, long Seq, string Fingerprint);

/// <summary>A row of the store read back for a tool.</summary>
internal sealed record StoredRow(long Id, long Seq, string SessionId, string Role, string ContentJson);

/// <summary>A full-text hit.</summary>
internal sealed record GrepRow(long Id, long Seq, string Role, string Snippet);

/// <summary>A message to insert.</summary>
internal sealed record NewRow(string Role, string ContentJson, string Text, string Fingerprint);

/// <summary>
/// The SQLite file behind the engine: <c>messages(id, session_id, seq, role, content_json, text, fingerprint)</c>, the
/// FTS5 index <c>messages_fts</c> over <c>text</c> (kept in step by a trigger), and <c>sessions(session_id,
/// parent_session_id)</c>, which links a session that continues another (a rotation after compaction, a carry-over)
/// so searches see the whole conversation. Every statement is parameterised. Not thread-safe: the engine serialises calls.
/// </summary>
internal sealed class LcmStore : IDisposable
{
    /// <summary>The schema version written to <c>PRAGMA user_version</c>.</summary>
    public const int SchemaVersion = 1;

    // The conversation a session belongs to: the session and its ancestors (UNION stops on a cycle; depth is capped).
    private const string Lineage = """
        WITH RECURSIVE lineage(sid, depth) AS (
            SELECT $session, 0
            UNION
            SELECT s.parent_session_id, l.depth + 1 FROM sessions s JOIN lineage l ON s.session_id = l.sid
            WHERE s.parent_session_id IS NOT NULL AND l.depth < 1000)
        """;

    private readonly SqliteConnection _connection;

    private LcmStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating when needed) the store at a path; <c>:memory:</c> opens a private in-memory store.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be opened or was written by a newer schema; the message names the path.</exception>
    public static LcmStore Open(string path)
    {
        SqliteConnection? connection = null;
        try
        {
            if (!string.Equals(path, ":memory:", StringComparison.Ordinal))
            {
                var directory = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }
            }

            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                // No pool: closing the store at session end really closes the file.
                Pooling = false,
                DefaultTimeout = 30,
            };
            connection = new SqliteConnection(builder.ToString());
            connection.Open();
            var store = new LcmStore(connection);
            // Write-ahead log: another engine instance can read while this one writes, and a commit survives a crash
            // of the process without a disk flush per message (the log is checkpointed when the store closes).
            store.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            store.EnsureSchema(path);
            return store;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            connection?.Dispose();
            throw new InvalidOperationException(
                $"The LCM store '{path}' could not be opened: {ex.Message} Set another path with the engine's databasePath, the 'database_path' setting or {LcmContextEngine.DatabasePathEnvironmentVariable}.",
                ex);
        }
    }

    private void EnsureSchema(string path)
    {
        var version = Convert.ToInt32(Scalar("PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The LCM store '{path}' has schema version {version}; this engine reads version {SchemaVersion}. Use a newer engine or another database path.");
        }

        Execute("""
            CREATE TABLE IF NOT EXISTS sessions(
                session_id TEXT PRIMARY KEY NOT NULL,
                parent_session_id TEXT NULL);
            CREATE TABLE IF NOT EXISTS messages(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                role TEXT NOT NULL,
                content_json TEXT NOT NULL,
                text TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                UNIQUE(session_id, seq));
            CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
                text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
            CREATE TRIGGER IF NOT EXISTS messages_after_insert AFTER INSERT ON messages BEGIN
                INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER IF NOT EXISTS messages_after_delete AFTER DELETE ON messages BEGIN
                INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            PRAGMA user_version = 1;
            """);
    }

    /// <summary>Records a session; links it to the session it continues when <paramref name="parentSessionId"/> is given and it has no parent yet.</summary>
    public void EnsureSession(string sessionId, string? parentSessionId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sessions(session_id, parent_session_id) VALUES ($session, $parent)
            ON CONFLICT(session_id) DO UPDATE SET parent_session_id = COALESCE(sessions.parent_session_id, excluded.parent_session_id);
            """;
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$parent", (object?)parentSessionId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Every message of the session's conversation (the session and the sessions it continues), oldest first.</summary>
    public List<StoredEntry> LoadConversation(string sessionId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = Lineage + """
            SELECT id, seq, fingerprint FROM messages
            WHERE session_id IN (SELECT sid FROM lineage)
            ORDER BY seq, id;
            """;
        command.Parameters.AddWithValue("$session", sessionId);
        var entries = new List<StoredEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new StoredEntry(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return entries;
    }

    /// <summary>
    /// Appends messages to the session in one write transaction, numbering them after the newest message of the
    /// conversation (read inside the transaction, so two engines on one file never reuse a number).
    /// </summary>
    /// <returns>The first number given and the new ids, in order.</returns>
    public (long FirstSeq, List<long> Ids) Insert(string sessionId, IReadOnlyList<NewRow> rows)
    {
        var ids = new List<long>(rows.Count);
        using var transaction = _connection.BeginTransaction(deferred: false);
        long firstSeq;
        using (var max = _connection.CreateCommand())
        {
            max.Transaction = transaction;
            max.CommandText = Lineage + "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id IN (SELECT sid FROM lineage);";
            max.Parameters.AddWithValue("$session", sessionId);
            firstSeq = Convert.ToInt64(max.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO messages(session_id, seq, role, content_json, text, fingerprint)
            VALUES ($session, $seq, $role, $json, $text, $fingerprint)
            RETURNING id;
            """;
        var session = command.Parameters.Add("$session", SqliteType.Text);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var role = command.Parameters.Add("$role", SqliteType.Text);
        var json = command.Parameters.Add("$json", SqliteType.Text);
        var text = command.Parameters.Add("$text", SqliteType.Text);
        var fingerprint = command.Parameters.Add("$fingerprint", SqliteType.Text);
        session.Value = sessionId;
        for (var i = 0; i < rows.Count; i++)
        {
            seq.Value = firstSeq + i;
            role.Value = rows[i].Role;
            json.Value = rows[i].ContentJson;
            text.Value = rows[i].Text;
            fingerprint.Value = rows[i].Fingerprint;
            ids.Add(Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture));
        }

        transaction.Commit();
        return (firstSeq, ids);
    }

    /// <summary>Full-text search over the session's conversation; best matches first, then newest.</summary>
    /// <exception cref="SqliteException">The FTS5 query is malformed (the engine builds only well-formed ones).</exception>
    public List<GrepRow> Search(string sessionId, string ftsQuery, int limit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = Lineage + """
            SELECT m.id, m.seq, m.role, snippet(messages_fts, 0, '[', ']', '…', 24)
            FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
            WHERE messages_fts MATCH $query AND m.session_id IN (SELECT sid FROM lineage)
            ORDER BY bm25(messages_fts), m.seq DESC, m.id DESC
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$query", ftsQuery);
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<GrepRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new GrepRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? string.Empty : reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>The stored messages with these ids that belong to the session's conversation, by id.</summary>
    public Dictionary<long, StoredRow> Get(string sessionId, IReadOnlyList<long> ids)
    {
        var found = new Dictionary<long, StoredRow>();
        using var command = _connection.CreateCommand();
        command.CommandText = Lineage + """
            SELECT id, seq, session_id, role, content_json FROM messages
            WHERE id = $id AND session_id IN (SELECT sid FROM lineage);
            """;
        command.Parameters.AddWithValue("$session", sessionId);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var wanted in ids)
        {
            id.Value = wanted;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                found[wanted] = new StoredRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            }
        }

        return found;
    }

    public void Dispose() => _connection.Dispose();

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
