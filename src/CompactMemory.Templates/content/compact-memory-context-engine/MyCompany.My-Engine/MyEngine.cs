using System.ComponentModel;
using System.Globalization;
using CompactMemory;
using CompactMemory.Context;
using CompactMemory.Tokens;
using Microsoft.Extensions.AI;

namespace MyCompany.My_Engine;

/// <summary>
/// Compacts a conversation by keeping the system prompt and the newest messages that fit a token budget (half the
/// compaction threshold by default), replacing the older ones with a short note. The compacted messages are kept, and
/// the model can search them with the <c>recall_compacted</c> tool. Replace the selection with your own idea: the
/// budget, the note and the tool are the parts to keep.
/// </summary>
[CompressionEngine("my_engine", DisplayName = "My Engine",
    Description = "Keeps the newest messages that fit the budget and lets the model search the ones it compacted.")]
public sealed partial class MyEngine : ContextEngine
{
    /// <summary>The budget used before the host has told the engine its model's context length.</summary>
    public const int DefaultBudgetTokens = 4000;

    private readonly List<ChatMessage> _compacted = [];

    /// <inheritdoc />
    public override string Name => "my_engine";

    /// <summary>The share of the compaction threshold a compacted conversation may use (0.5 by default).</summary>
    public double BudgetShare { get; set; } = 0.5;

    /// <summary>The most tokens a compacted conversation holds, counted by <see cref="DefaultTokenizer"/> over the message texts.</summary>
    public int BudgetTokens => ThresholdTokens > 0 ? Math.Max(1, (int)(ThresholdTokens * BudgetShare)) : DefaultBudgetTokens;

    /// <summary>The messages compacted so far, oldest first.</summary>
    public IReadOnlyList<ChatMessage> Compacted => _compacted;

    /// <inheritdoc />
    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
        IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var system = messages.TakeWhile(m => m.Role == ChatRole.System).ToList();
        var rest = messages.Skip(system.Count).ToList();
        var note = Note(rest.Count);
        var used = system.Sum(Tokens) + Tokens(note);

        // Keep the newest messages that fit, walking back from the end.
        var keepFrom = rest.Count;
        while (keepFrom > 0 && used + Tokens(rest[keepFrom - 1]) <= BudgetTokens)
        {
            keepFrom--;
            used += Tokens(rest[keepFrom]);
        }

        // A tool result without the call that asked for it is not a valid conversation: compact it with its call.
        while (keepFrom < rest.Count && rest[keepFrom].Role == ChatRole.Tool)
        {
            keepFrom++;
        }

        if (keepFrom == 0)
        {
            return Task.FromResult(messages);
        }

        _compacted.AddRange(rest.Take(keepFrom));
        IReadOnlyList<ChatMessage> compacted = [.. system, Note(keepFrom), .. rest.Skip(keepFrom)];
        return Task.FromResult(compacted);
    }

    /// <summary>Searches the messages that compaction removed from the conversation.</summary>
    /// <param name="query">The words to look for.</param>
    /// <param name="limit">The most messages to return.</param>
    /// <returns>The matching messages, newest first, each as "role: text".</returns>
    [EngineTool("recall_compacted")]
    [Description("Searches the earlier messages that were compacted out of the conversation and returns those containing the words, newest first.")]
    public string[] RecallCompacted(
        [Description("The words to look for (case-insensitive).")] string query,
        [Description("The most messages to return.")] int limit = 3)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        return _compacted
            .Where(m => m.Text.Contains(query, StringComparison.OrdinalIgnoreCase))
            .Reverse()
            .Take(Math.Max(0, limit))
            .Select(m => m.Role.Value + ": " + m.Text)
            .ToArray();
    }

    /// <inheritdoc />
    public override void OnSessionReset()
    {
        base.OnSessionReset();
        _compacted.Clear();
    }

    private static int Tokens(ChatMessage message) => DefaultTokenizer.Instance.CountTokens(message.Text);

    private static ChatMessage Note(int count) => new(ChatRole.User, string.Create(
        CultureInfo.InvariantCulture,
        $"[{count} earlier messages were compacted. Call recall_compacted to search them.]"));
}
