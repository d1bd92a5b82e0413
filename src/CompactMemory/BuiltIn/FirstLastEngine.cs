using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Compression;

namespace CompactMemory.BuiltIn;

/// <summary>
/// <c>first_last</c>: keeps the first ⌈budget/2⌉ tokens and the last budget − ⌈budget/2⌉ tokens. A budget at least
/// the text's token count returns the text unchanged; no token is ever repeated.
/// </summary>
[CompressionEngine(EngineId, DisplayName = "First/Last", Description = "Keeps the first and last tokens of the text within the budget.")]
public sealed class FirstLastEngine : CompressionEngine
{
    /// <summary>The engine id.</summary>
    public const string EngineId = "first_last";

    /// <summary>Creates the engine.</summary>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    public FirstLastEngine(EngineConfig? config = null)
        : base(config)
    {
    }

    /// <inheritdoc />
    public override string Id => EngineId;

    /// <inheritdoc />
    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ValidateBudget(budget);
        options?.CancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var tokenizer = TokenizerOf(options);
        var tokens = tokenizer.Tokenize(text);
        var n = tokens.Count;
        var first = Math.Min((budget + 1) / 2, n);
        var last = Math.Min(budget - first, n - first);
        string output;
        if (first + last >= n)
        {
            output = text;
        }
        else
        {
            output = tokenizer.Join(tokens.Take(first).Concat(tokens.Skip(n - last)));
        }

        var trace = StartTrace(budget, options);
        if (trace is not null)
        {
            trace.InputSummary["input_length"] = text.Length;
            trace.InputSummary["input_tokens"] = n;
            trace.OutputSummary["final_length"] = output.Length;
            trace.OutputSummary["final_tokens"] = first + last;
            trace.AddStep("first_last", new JsonObject { ["kept_first_tokens"] = first, ["kept_last_tokens"] = last });
            CompleteTrace(trace, text, output, tokenizer, Stopwatch.GetElapsedTime(started));
        }

        return new CompressedMemory(output) { EngineId = Id, EngineConfig = Config.ToJsonObject(), Trace = trace };
    }
}
