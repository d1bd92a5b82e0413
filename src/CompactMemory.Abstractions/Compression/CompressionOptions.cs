using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using CompactMemory.Tokens;

namespace CompactMemory.Compression;

/// <summary>The optional inputs of a compression besides the text and the budget.</summary>
public sealed class CompressionOptions
{
    /// <summary>The tokenizer that measures the budget; <see cref="DefaultTokenizer"/> when <see langword="null"/>.</summary>
    public ITokenizer? Tokenizer { get; init; }

    /// <summary>The result of an earlier stage when engines are chained (a pipeline passes it).</summary>
    public CompressedMemory? PreviousResult { get; init; }

    /// <summary>Extra engine parameters; engines record them in the trace's <c>strategy_params</c>.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Parameters { get; init; }

    /// <summary>
    /// Cancels a long compression. The built-in engines check it before any work (an already cancelled token throws
    /// <see cref="System.OperationCanceledException"/>), and a pipeline also checks it before each stage.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }
}
