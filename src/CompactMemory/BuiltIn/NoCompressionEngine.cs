using System.Diagnostics;
using System.Text.Json.Nodes;
using CompactMemory.Compression;

namespace CompactMemory.BuiltIn;

/// <summary>
/// <c>none</c>: keeps the text as it is, cutting it only when it exceeds the token budget. Chunks are joined with
/// line breaks.
/// </summary>
[CompressionEngine(EngineId, DisplayName = "No Compression", Description = "Returns the text unchanged, cut to the token budget.")]
public sealed class NoCompressionEngine : CompressionEngine
{
    /// <summary>The engine id.</summary>
    public const string EngineId = "none";

    /// <summary>Creates the engine.</summary>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    public NoCompressionEngine(EngineConfig? config = null)
        : base(config)
    {
    }

    /// <inheritdoc />
    public override string Id => EngineId;

    /// <inheritdoc />
    protected override string ChunkSeparator => "\n";

    /// <inheritdoc />
    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
    {
        System.ArgumentNullException.ThrowIfNull(text);
        ValidateBudget(budget);
        options?.CancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var tokenizer = TokenizerOf(options);
        var output = tokenizer.Truncate(text, budget);
        var trace = StartTrace(budget, options, "llm_token_budget");
        if (trace is not null)
        {
            trace.InputSummary["input_length"] = text.Length;
            trace.OutputSummary["output_length"] = output.Length;
            trace.AddStep("truncate_content", new JsonObject { ["llm_token_budget"] = budget, ["result_length"] = output.Length });
            CompleteTrace(trace, text, output, tokenizer, Stopwatch.GetElapsedTime(started));
        }

        return new CompressedMemory(output) { EngineId = Id, EngineConfig = Config.ToJsonObject(), Trace = trace };
    }
}
