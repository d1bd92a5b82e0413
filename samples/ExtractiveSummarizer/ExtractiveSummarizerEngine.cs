using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompactMemory.Compression;

namespace CompactMemory.Samples.ExtractiveSummarizer;

/// <summary>
/// Keeps the sentences that carry the text's most frequent content words, as many as fit the token budget,
/// in their original order.
/// </summary>
[CompressionEngine("extractive_summary", DisplayName = "Extractive Summarizer", Version = "1.0.0",
    Description = "Keeps the highest-scoring sentences that fit the token budget, in their original order.")]
public sealed partial class ExtractiveSummarizerEngine : CompressionEngine
{
    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "is", "it", "its",
        "of", "on", "or", "that", "the", "their", "they", "this", "to", "was", "were", "which", "with", "what", "when",
    };

    /// <summary>Creates the engine.</summary>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    public ExtractiveSummarizerEngine(EngineConfig? config = null)
        : base(config)
    {
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBoundary();

    [GeneratedRegex(@"\w+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    /// <inheritdoc />
    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ValidateBudget(budget);
        var started = Stopwatch.GetTimestamp();
        var tokenizer = TokenizerOf(options);
        var sentences = SentenceBoundary().Split(text.Trim()).Where(s => s.Length > 0).ToArray();

        var frequencies = Words(text).GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var scores = sentences.Select((sentence, index) =>
        {
            var words = Words(sentence).ToArray();
            var score = words.Length == 0 ? 0 : words.Sum(w => frequencies[w]) / Math.Sqrt(words.Length);
            return index == 0 ? score * 1.25 : score; // openings usually state the topic
        }).ToArray();

        var kept = new SortedSet<int>();
        var used = 0;
        foreach (var index in Enumerable.Range(0, sentences.Length).OrderByDescending(i => scores[i]).ThenBy(i => i))
        {
            var cost = tokenizer.CountTokens(sentences[index]);
            if (used + cost <= budget)
            {
                kept.Add(index);
                used += cost;
            }
        }

        string output;
        var truncated = false;
        if (kept.Count == 0 && sentences.Length > 0 && budget > 0)
        {
            // Not even the best sentence fits: keep as much of it as the budget allows.
            var best = Enumerable.Range(0, sentences.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).First();
            output = tokenizer.Truncate(sentences[best], budget);
            truncated = true;
        }
        else
        {
            output = string.Join(" ", kept.Select(i => sentences[i]));
        }

        var trace = StartTrace(budget, options);
        if (trace is not null)
        {
            trace.InputSummary["sentences"] = sentences.Length;
            trace.InputSummary["input_length"] = text.Length;
            trace.AddStep("split_sentences", new JsonObject { ["count"] = sentences.Length });
            trace.AddStep("score_sentences", new JsonObject { ["content_words"] = frequencies.Count });
            trace.AddStep("select_sentences", new JsonObject
            {
                ["kept"] = new JsonArray(kept.Select(i => (JsonNode)i).ToArray()),
                ["dropped"] = sentences.Length - kept.Count,
                ["truncated_best_sentence"] = truncated,
            });
            trace.OutputSummary["output_length"] = output.Length;
            CompleteTrace(trace, text, output, tokenizer, Stopwatch.GetElapsedTime(started));
        }

        return new CompressedMemory(output) { EngineId = Id, EngineConfig = Config.ToJsonObject(), Trace = trace };
    }

    private static IEnumerable<string> Words(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length > 2 && !CommonWords.Contains(w));
}
