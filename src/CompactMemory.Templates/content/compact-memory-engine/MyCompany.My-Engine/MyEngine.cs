using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompactMemory;
using CompactMemory.Compression;

namespace MyCompany.My_Engine;

/// <summary>
/// Keeps the leading sentences of a text, as many as fit the token budget. When not even the first sentence fits,
/// it keeps as many of that sentence's tokens as the budget allows. Replace the selection with your own idea: the
/// budget check, the trace and the result are the parts every engine keeps.
/// </summary>
[CompressionEngine("my_engine", DisplayName = "My Engine",
    Description = "Keeps the leading sentences of a text that fit the token budget.")]
public sealed partial class MyEngine : CompressionEngine
{
    /// <summary>Creates the engine.</summary>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    public MyEngine(EngineConfig? config = null)
        : base(config)
    {
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBoundary();

    /// <inheritdoc />
    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ValidateBudget(budget);
        var started = Stopwatch.GetTimestamp();
        var tokenizer = TokenizerOf(options);
        var sentences = SentenceBoundary().Split(text.Trim()).Where(s => s.Length > 0).ToArray();

        // Keep whole sentences from the start while they fit.
        var kept = 0;
        var used = 0;
        while (kept < sentences.Length && used + tokenizer.CountTokens(sentences[kept]) <= budget)
        {
            used += tokenizer.CountTokens(sentences[kept]);
            kept++;
        }

        var output = string.Join(" ", sentences.Take(kept));

        // A tokenizer may count joined text differently from its parts: drop sentences until the whole fits.
        while (kept > 0 && tokenizer.CountTokens(output) > budget)
        {
            kept--;
            output = string.Join(" ", sentences.Take(kept));
        }

        var truncated = false;
        if (kept == 0 && sentences.Length > 0 && budget > 0)
        {
            // Not even the first sentence fits: keep as much of it as the budget allows.
            output = tokenizer.Truncate(sentences[0], budget);
            truncated = true;
        }

        var trace = StartTrace(budget, options);
        if (trace is not null)
        {
            trace.InputSummary["sentences"] = sentences.Length;
            trace.AddStep("split_sentences", new JsonObject { ["count"] = sentences.Length });
            trace.AddStep("keep_leading_sentences", new JsonObject
            {
                ["kept"] = kept,
                ["dropped"] = sentences.Length - kept,
                ["truncated_first_sentence"] = truncated,
            });
            CompleteTrace(trace, text, output, tokenizer, Stopwatch.GetElapsedTime(started));
        }

        return new CompressedMemory(output) { EngineId = Id, EngineConfig = Config.ToJsonObject(), Trace = trace };
    }
}
