using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Tokens;
using Microsoft.Extensions.AI;

namespace CompactMemory.Cli.Experiments;

/// <summary>
/// What an experiment runs, for either kind of engine: how a dataset text is measured, and how one engine instance,
/// created for one budget, compresses a text. A compression engine compresses the text to the budget. A context engine
/// is given the text as a conversation (<see cref="Conversation"/>), is told the budget as its model's context length
/// (<see cref="IContextEngine.UpdateModel"/>, as a host does when the model changes), and compacts the conversation
/// as on a manual compaction (<c>force: true</c>); its tokens are those of the message texts.
/// </summary>
internal sealed class ExperimentEngine
{
    /// <summary>The model name a context engine is told (it has no model; only the context length matters).</summary>
    public const string ModelName = "compact-memory-experiment";

    private readonly Func<string, int> _measure;
    private readonly Func<int, Instance> _create;

    private ExperimentEngine(string engineId, string kind, Func<string, int> measure, Func<int, Instance> create)
    {
        EngineId = engineId;
        Kind = kind;
        _measure = measure;
        _create = create;
    }

    /// <summary>The engine id, for the report and messages.</summary>
    public string EngineId { get; }

    /// <summary><c>compression</c> or <c>context</c>.</summary>
    public string Kind { get; }

    /// <summary>One engine instance, ready for one budget.</summary>
    /// <param name="Compress">Runs the engine on a text (timed by the caller); returns how to count the result's tokens, or null when the engine returned nothing.</param>
    /// <param name="Engine">The instance (disposed after its budget when it is disposable).</param>
    internal sealed record Instance(Func<string, CancellationToken, Func<int>?> Compress, object Engine);

    /// <summary>A compression engine: texts are compressed as they are.</summary>
    public static ExperimentEngine Compression(string engineId, Func<CompressionEngine> create) => new(
        engineId,
        "compression",
        Count,
        budget =>
        {
            var engine = create();
            return new Instance(
                (text, token) =>
                {
                    var result = engine.Compress(text, budget, new CompressionOptions { Tokenizer = DefaultTokenizer.Instance, CancellationToken = token });
                    return result is null ? null : () => Count(result.Text ?? string.Empty);
                },
                engine);
        });

    /// <summary>A context engine: texts are conversations, compacted at a context length of the budget.</summary>
    public static ExperimentEngine Context(string engineId, Func<IContextEngine> create)
    {
        // Each text is read as a conversation once, outside the timed calls.
        var conversations = new Dictionary<string, IReadOnlyList<ChatMessage>>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<ChatMessage> ConversationOf(string text)
        {
            lock (conversations)
            {
                if (!conversations.TryGetValue(text, out var messages))
                {
                    messages = Conversation.Parse(text);
                    conversations[text] = messages;
                }

                return messages;
            }
        }

        return new ExperimentEngine(
            engineId,
            "context",
            text => Conversation.Tokens(ConversationOf(text)),
            budget =>
            {
                var engine = create();
                engine.UpdateModel(ModelName, budget);
                return new Instance(
                    (text, token) =>
                    {
                        var messages = ConversationOf(text);
                        var result = engine.CompressAsync(messages, Conversation.Tokens(messages), focusTopic: null, force: true, memoryContext: string.Empty, token).GetAwaiter().GetResult();
                        return result is null ? null : () => Conversation.Tokens(result);
                    },
                    engine);
            });
    }

    /// <summary>A text's tokens as this engine is given it: the text's, or its conversation's message texts'.</summary>
    public int Measure(string text) => _measure(text);

    /// <summary>Creates an engine instance for <paramref name="budget"/> (the engine's own code runs here: call it under a time limit).</summary>
    public Instance Create(int budget) => _create(budget);

    private static int Count(string text) => DefaultTokenizer.Instance.CountTokens(text);
}

/// <summary>
/// A dataset text read as a conversation for a context engine. A line that starts with a role and a colon
/// (<c>System:</c>, <c>User:</c>, <c>Assistant:</c> or <c>Tool:</c>, in any case) starts a message of that role; the
/// lines after it, up to the next such line, continue it. Text before the first such line, or a text without any, is
/// one user message.
/// </summary>
internal static class Conversation
{
    private static readonly (string Prefix, ChatRole Role)[] Roles =
    [
        ("system:", ChatRole.System),
        ("user:", ChatRole.User),
        ("assistant:", ChatRole.Assistant),
        ("tool:", ChatRole.Tool),
    ];

    /// <summary>The messages of a text, oldest first (messages with no text are left out).</summary>
    public static IReadOnlyList<ChatMessage> Parse(string text)
    {
        var messages = new List<ChatMessage>();
        var role = ChatRole.User;
        var body = new List<string>();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var start = Roles.FirstOrDefault(r => line.StartsWith(r.Prefix, StringComparison.OrdinalIgnoreCase));
            if (start.Prefix is null)
            {
                body.Add(line);
                continue;
            }

            Flush();
            role = start.Role;
            body.Add(line[start.Prefix.Length..].TrimStart());
        }

        Flush();
        return messages;

        void Flush()
        {
            var content = string.Join("\n", body).Trim();
            body.Clear();
            if (content.Length > 0)
            {
                messages.Add(new ChatMessage(role, content));
            }
        }
    }

    /// <summary>The tokens of the messages' texts, as the token estimator counts them.</summary>
    public static int Tokens(IReadOnlyList<ChatMessage> messages) => messages.Sum(m => DefaultTokenizer.Instance.CountTokens(m.Text ?? string.Empty));
}
