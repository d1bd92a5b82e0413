using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompactMemory.Compression;

namespace CompactMemory.BuiltIn;

/// <summary>
/// <c>stopword_pruner</c>: drops punctuation, stopwords, filler words and short words, emits the remaining words in
/// lower case, then cuts the result to the token budget. Settings (config extras): <c>preserve_order</c> (true),
/// <c>min_word_length</c> (1), <c>remove_fillers</c> (true), <c>remove_duplicates</c> (false),
/// <c>stopwords_language</c> (<c>english</c>).
/// </summary>
[CompressionEngine(EngineId, DisplayName = "Stopword Pruner", Description = "Removes stopwords, fillers and punctuation, then cuts to the token budget.")]
public sealed partial class StopwordPrunerEngine : CompressionEngine
{
    /// <summary>The engine id.</summary>
    public const string EngineId = "stopword_pruner";

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal) { "um", "uh", "like", "basically", "actually" };

    /// <summary>Creates the engine.</summary>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    public StopwordPrunerEngine(EngineConfig? config = null)
        : base(config)
    {
    }

    /// <inheritdoc />
    public override string Id => EngineId;

    [GeneratedRegex(@"(?<!\bDr\.)(?<=[.!?])\s+(?=[A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBoundary();

    [GeneratedRegex(@"\b\w+\b|[^\w\s]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    /// <inheritdoc />
    /// <exception cref="ConfigurationException">A setting has the wrong type, or <c>stopwords_language</c> names no shipped list.</exception>
    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ValidateBudget(budget);
        options?.CancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var tokenizer = TokenizerOf(options);
        var preserveOrder = Config.Get("preserve_order", true);
        var minWordLength = Config.Get("min_word_length", 1);
        var removeFillers = Config.Get("remove_fillers", true);
        var removeDuplicates = Config.Get("remove_duplicates", false);
        var language = Config.Get("stopwords_language", "english");
        if (!EnglishStopwords.ByLanguage.TryGetValue(language, out var stopwords))
        {
            throw new ConfigurationException(
                $"stopwords_language '{language}' has no stopword list; available: {string.Join(", ", EnglishStopwords.ByLanguage.Keys.Order(StringComparer.Ordinal))}.");
        }

        IEnumerable<string> sentences = SentenceBoundary().Split(text);
        if (removeDuplicates)
        {
            sentences = sentences.Distinct(StringComparer.OrdinalIgnoreCase);
        }

        int removedStopwords = 0, removedFillers = 0, removedShort = 0, removedDuplicates = 0;
        var kept = new List<string>();
        foreach (var sentence in sentences)
        {
            foreach (Match match in Token().Matches(sentence))
            {
                var token = match.Value.ToLowerInvariant();
                if (!char.IsLetterOrDigit(token[0]) && token[0] != '_')
                {
                    continue; // punctuation
                }

                if (stopwords.Contains(token))
                {
                    removedStopwords++;
                }
                else if (removeFillers && Fillers.Contains(token))
                {
                    removedFillers++;
                }
                else if (token.Length < minWordLength)
                {
                    removedShort++;
                }
                else if (removeDuplicates && kept.Count > 0 && kept[^1] == token)
                {
                    removedDuplicates++;
                }
                else
                {
                    kept.Add(token);
                }
            }
        }

        var pruned = string.Join(" ", preserveOrder ? kept : kept.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var output = tokenizer.Truncate(pruned, budget);
        var trace = StartTrace(budget, options, "llm_token_budget");
        if (trace is not null)
        {
            trace.InputSummary["input_length"] = text.Length;
            trace.AddStep("remove_stopwords", new JsonObject { ["removed"] = removedStopwords });
            trace.AddStep("remove_fillers", new JsonObject { ["removed"] = removedFillers });
            trace.AddStep("remove_short", new JsonObject { ["removed"] = removedShort });
            trace.AddStep("remove_duplicates", new JsonObject { ["removed"] = removedDuplicates });
            trace.AddStep("truncate_to_budget", new JsonObject
            {
                ["budget"] = budget,
                ["length_before_truncation"] = pruned.Length,
                ["length_after_truncation"] = output.Length,
            });
            trace.OutputSummary["output_length"] = output.Length;
            CompleteTrace(trace, text, output, tokenizer, Stopwatch.GetElapsedTime(started));
        }

        return new CompressedMemory(output) { EngineId = Id, EngineConfig = Config.ToJsonObject(), Trace = trace };
    }
}
