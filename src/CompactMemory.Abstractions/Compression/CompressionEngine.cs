using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using CompactMemory.Tokens;

namespace CompactMemory.Compression;

/// <summary>
/// The base of every compression engine: text and a token budget in, a <see cref="CompressedMemory"/> with a
/// <see cref="CompressionTrace"/> out. Mark the class <c>[CompressionEngine("id")]</c> and override
/// <see cref="Compress(string, int, CompressionOptions?)"/>:
/// <code>
/// [CompressionEngine("head")]
/// public sealed class HeadEngine : CompressionEngine
/// {
///     public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
///     {
///         var tokenizer = TokenizerOf(options);
///         return new CompressedMemory(tokenizer.Truncate(text, budget)) { EngineId = Id };
///     }
/// }
/// </code>
/// </summary>
/// <remarks>Budgets are always tokens, measured by <see cref="CompressionOptions.Tokenizer"/>.</remarks>
public abstract class CompressionEngine
{
    private static readonly ConcurrentDictionary<Type, string> DeclaredIds = new();

    /// <summary>Creates an engine with the default configuration.</summary>
    protected CompressionEngine()
        : this(null)
    {
    }

    /// <summary>Creates an engine with a configuration.</summary>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    protected CompressionEngine(EngineConfig? config)
    {
        Config = config ?? new EngineConfig();
    }

    /// <summary>
    /// The engine id. By default the id declared by the class's <see cref="CompressionEngineAttribute"/>;
    /// override only for engines whose id is decided at run time.
    /// </summary>
    /// <exception cref="InvalidOperationException">The class has no <see cref="CompressionEngineAttribute"/> and does not override <see cref="Id"/>.</exception>
    public virtual string Id => DeclaredIds.GetOrAdd(GetType(), RequireDeclaredId);

    /// <summary>The engine's configuration.</summary>
    public EngineConfig Config { get; }

    /// <summary>The separator used to join chunks passed to <see cref="Compress(IEnumerable{string}, int, CompressionOptions?)"/>.</summary>
    protected virtual string ChunkSeparator => " ";

    /// <summary>Compresses text to at most <paramref name="budget"/> tokens.</summary>
    /// <param name="text">The text to compress.</param>
    /// <param name="budget">The token budget (zero or more), measured by <see cref="CompressionOptions.Tokenizer"/>.</param>
    /// <param name="options">The tokenizer, a previous stage's result, extra parameters and cancellation.</param>
    /// <returns>Exactly one result, with a trace unless <see cref="EngineConfig.EnableTrace"/> is false.</returns>
    public abstract CompressedMemory Compress(string text, int budget, CompressionOptions? options = null);

    /// <summary>Compresses chunks of text, joined with <see cref="ChunkSeparator"/>, to at most <paramref name="budget"/> tokens.</summary>
    /// <param name="chunks">The chunks, in order.</param>
    /// <param name="budget">The token budget.</param>
    /// <param name="options">The tokenizer, a previous stage's result, extra parameters and cancellation.</param>
    /// <returns>Exactly one result.</returns>
    public CompressedMemory Compress(IEnumerable<string> chunks, int budget, CompressionOptions? options = null)
    {
        ArgumentGuard.NotNull(chunks, nameof(chunks));
        return Compress(string.Join(ChunkSeparator, chunks), budget, options);
    }

    /// <summary>The tokenizer to measure budgets with: the caller's, or <see cref="DefaultTokenizer"/>.</summary>
    /// <param name="options">The options passed to <c>Compress</c>.</param>
    /// <returns>The tokenizer.</returns>
    protected static ITokenizer TokenizerOf(CompressionOptions? options) => options?.Tokenizer ?? DefaultTokenizer.Instance;

    /// <summary>Throws when a budget is negative; call it first in <c>Compress</c>.</summary>
    /// <param name="budget">The budget passed to <c>Compress</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The budget is negative.</exception>
    protected static void ValidateBudget(int budget) => ArgumentGuard.NotNegative(budget, nameof(budget));

    /// <summary>
    /// Starts a trace with <c>engine_name</c> set to <see cref="Id"/> and <c>strategy_params</c> holding the
    /// budget (under <paramref name="budgetKey"/>) and the caller's extra parameters; <see langword="null"/> when
    /// tracing is disabled.
    /// </summary>
    /// <param name="budget">The budget.</param>
    /// <param name="options">The options passed to <c>Compress</c>.</param>
    /// <param name="budgetKey">The key the budget is recorded under (engines keep their historical key names).</param>
    /// <returns>The new trace, or <see langword="null"/>.</returns>
    /// <exception cref="ConfigurationException">
    /// A parameter cannot be written as JSON (nested more than 128 levels deep, or NaN or infinity); the message names it.
    /// </exception>
    protected CompressionTrace? StartTrace(int budget, CompressionOptions? options, string budgetKey = "budget")
    {
        if (!Config.EnableTrace)
        {
            return null;
        }

        var trace = new CompressionTrace(Id);
        trace.StrategyParams[budgetKey] = budget;
        if (options?.Parameters is { } parameters)
        {
            foreach (var parameter in parameters)
            {
                JsonLimits.Require(parameter.Value, $"Compression parameter '{parameter.Key}'");
                trace.StrategyParams[parameter.Key] = parameter.Value?.DeepClone();
            }
        }

        return trace;
    }

    /// <summary>
    /// Fills the fields every trace should carry: the output preview (first 50 characters), the input and output
    /// token counts by <paramref name="tokenizer"/>, and the elapsed time. Does nothing when tracing is disabled.
    /// </summary>
    /// <param name="trace">The trace from <see cref="StartTrace"/>, or <see langword="null"/>.</param>
    /// <param name="input">The text that was compressed.</param>
    /// <param name="output">The compressed text.</param>
    /// <param name="tokenizer">The tokenizer that measured the budget.</param>
    /// <param name="elapsed">How long the compression took.</param>
    protected static void CompleteTrace(CompressionTrace? trace, string input, string output, ITokenizer tokenizer, TimeSpan elapsed)
    {
        if (trace is null)
        {
            return;
        }

        ArgumentGuard.NotNull(input, nameof(input));
        ArgumentGuard.NotNull(output, nameof(output));
        ArgumentGuard.NotNull(tokenizer, nameof(tokenizer));
        trace.FinalCompressedObjectPreview = Preview(output);
        trace.OriginalTokens = tokenizer.CountTokens(input);
        trace.CompressedTokens = tokenizer.CountTokens(output);
        trace.ProcessingMs = elapsed.TotalMilliseconds;
    }

    /// <summary>The first 50 characters of the output, one fewer where the 50th would split a surrogate pair.</summary>
    private static string Preview(string output)
    {
        if (output.Length <= PreviewLength)
        {
            return output;
        }

        var length = char.IsHighSurrogate(output[PreviewLength - 1]) ? PreviewLength - 1 : PreviewLength;
        return output.Substring(0, length);
    }

    private const int PreviewLength = 50;

    /// <summary>The id declared on a type by <see cref="CompressionEngineAttribute"/>, or <see langword="null"/>.</summary>
    /// <param name="engineType">The engine type.</param>
    /// <returns>The declared id, or <see langword="null"/> when the type has no attribute.</returns>
    public static string? GetDeclaredId(Type engineType)
    {
        ArgumentGuard.NotNull(engineType, nameof(engineType));
        return (Attribute.GetCustomAttribute(engineType, typeof(CompressionEngineAttribute), inherit: false) as CompressionEngineAttribute)?.Id;
    }

    private static string RequireDeclaredId(Type engineType) =>
        GetDeclaredId(engineType)
        ?? throw new InvalidOperationException(
            $"Engine class '{engineType.FullName}' has no [CompressionEngine(\"id\")] attribute. Add the attribute, or override Id.");
}
