using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.SearchableHistory;

/// <summary>
/// Compacts a conversation by keeping the system prompt, the first and last messages, and pinned messages, and
/// replacing the rest with a short note. Nothing is lost: every message ever seen stays in an archive, and the model
/// can search it (<c>history_search</c>), read a message back (<c>history_read</c>), check what is there
/// (<c>history_stats</c>) and pin messages that must survive compaction (<c>history_pin</c>).
/// </summary>
[CompressionEngine("searchable_history", DisplayName = "Searchable History", Version = "1.0.0",
    Description = "Compacts the middle of a conversation and lets the model search and read back what was compacted.")]
public sealed partial class SearchableHistoryEngine : ContextEngine
{
    private readonly List<ChatMessage> _archive = [];
    private readonly SortedSet<int> _pinned = [];

    /// <inheritdoc />
    public override string Name => "searchable_history";

    /// <inheritdoc />
    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
        IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
    {
        Archive(messages);
        var system = messages.TakeWhile(m => m.Role == ChatRole.System).ToList();
        var body = messages.Skip(system.Count).ToList();
        if (body.Count <= ProtectFirstN + ProtectLastN)
        {
            return Task.FromResult(messages);
        }

        var head = body.Take(ProtectFirstN).ToList();
        var tail = body.Skip(body.Count - ProtectLastN).ToList();
        var middle = body.Skip(ProtectFirstN).Take(body.Count - ProtectFirstN - ProtectLastN).ToList();
        var pinned = middle.Where(m => _pinned.Contains(IndexOf(m))).ToList();
        var note = new ChatMessage(ChatRole.User, string.Create(
            CultureInfo.InvariantCulture,
            $"[{middle.Count - pinned.Count} earlier messages were compacted into the searchable archive. Use history_search and history_read to recall them.]"));

        IReadOnlyList<ChatMessage> compacted = [.. system, .. head, note, .. pinned, .. tail];
        return Task.FromResult(compacted);
    }

    /// <summary>Searches every archived message, including compacted ones, for a phrase.</summary>
    /// <param name="query">The words to look for (case-insensitive).</param>
    /// <param name="limit">The most hits to return.</param>
    /// <param name="speaker">Whose messages to search.</param>
    /// <returns>The matching messages, newest first.</returns>
    [EngineTool("history_search")]
    [Description("Searches every message of the conversation, including compacted ones, for a phrase.")]
    public SearchHit[] Search(
        [Description("The words to look for (case-insensitive).")] string query,
        [Description("The most hits to return.")] int limit = 5,
        [Description("Whose messages to search.")] SpeakerFilter speaker = SpeakerFilter.Any)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        return _archive
            .Select((message, index) => (message, index))
            .Where(pair => Matches(pair.message.Role, speaker))
            .Select(pair => (pair.message, pair.index, at: pair.message.Text.IndexOf(query, StringComparison.OrdinalIgnoreCase)))
            .Where(hit => hit.at >= 0)
            .OrderByDescending(hit => hit.index)
            .Take(Math.Max(0, limit))
            .Select(hit => new SearchHit(hit.index, hit.message.Role.Value, Excerpt(hit.message.Text, hit.at, query.Length)))
            .ToArray();
    }

    /// <summary>Reads one archived message back in full.</summary>
    /// <param name="index">The archive index from <c>history_search</c>.</param>
    /// <returns>The message text.</returns>
    [EngineTool("history_read")]
    [Description("Reads one archived message back in full.")]
    public string Read([Description("The archive index, as returned by history_search.")] int index) =>
        index >= 0 && index < _archive.Count
            ? _archive[index].Text
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The archive holds messages 0 to {_archive.Count - 1}.");

    /// <summary>Reports what the archive holds.</summary>
    /// <returns>The counts and the pinned indexes.</returns>
    [EngineTool("history_stats")]
    [Description("Reports how many messages are archived, how many compactions ran, and which messages are pinned.")]
    public HistoryStats Stats() => new(_archive.Count, CompressionCount, [.. _pinned]);

    /// <summary>Pins messages so compaction keeps them verbatim.</summary>
    /// <param name="request">The messages to pin and why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A confirmation.</returns>
    [EngineTool("history_pin")]
    [Description("Pins archived messages so every later compaction keeps them verbatim.")]
    public Task<string> PinAsync([Description("The messages to pin and why.")] PinRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var valid = request.Indexes.Where(i => i >= 0 && i < _archive.Count).ToArray();
        _pinned.UnionWith(valid);
        return Task.FromResult(string.Create(CultureInfo.InvariantCulture, $"Pinned {valid.Length} message(s){(request.Note is null ? "" : ": " + request.Note)}."));
    }

    /// <inheritdoc />
    public override void OnSessionReset()
    {
        base.OnSessionReset();
        _archive.Clear();
        _pinned.Clear();
    }

    private void Archive(IReadOnlyList<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!_archive.Contains(message))
            {
                _archive.Add(message);
            }
        }
    }

    private int IndexOf(ChatMessage message) => _archive.IndexOf(message);

    private static bool Matches(ChatRole role, SpeakerFilter speaker) => speaker switch
    {
        SpeakerFilter.User => role == ChatRole.User,
        SpeakerFilter.Assistant => role == ChatRole.Assistant,
        SpeakerFilter.Tool => role == ChatRole.Tool,
        _ => true,
    };

    private static string Excerpt(string text, int at, int length)
    {
        var start = Math.Max(0, at - 40);
        var end = Math.Min(text.Length, at + length + 40);
        return (start > 0 ? "…" : string.Empty) + text[start..end] + (end < text.Length ? "…" : string.Empty);
    }
}
