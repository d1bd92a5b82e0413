using System.Collections.Generic;

namespace CompactMemory.Tokens;

/// <summary>
/// Counts, splits and truncates text in tokens. Every budget in the SDK is a token budget, measured by
/// the tokenizer the caller passes (or <see cref="DefaultTokenizer"/> when none is given).
/// Hosts with an exact tokenizer for their model implement this interface.
/// </summary>
public interface ITokenizer
{
    /// <summary>A short name recorded in traces and shown by the CLI, for example <c>"default-estimator"</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Splits text into token pieces such that <see cref="Join"/> of all pieces gives the text back, every character
    /// kept, except that an implementation may drop whitespace at the start and end (<see cref="DefaultTokenizer"/> does).
    /// </summary>
    /// <param name="text">The text to split.</param>
    /// <returns>The token pieces in order.</returns>
    IReadOnlyList<string> Tokenize(string text);

    /// <summary>Counts the tokens of a text without materialising them.</summary>
    /// <param name="text">The text to measure.</param>
    /// <returns>The number of tokens.</returns>
    int CountTokens(string text);

    /// <summary>
    /// Returns the text cut to at most <paramref name="maxTokens"/> tokens. A text already within the
    /// limit is returned unchanged, whitespace included.
    /// </summary>
    /// <param name="text">The text to cut.</param>
    /// <param name="maxTokens">The largest number of tokens to keep; zero or less gives an empty string.</param>
    /// <returns>The text, cut.</returns>
    string Truncate(string text, int maxTokens);

    /// <summary>Joins token pieces (from <see cref="Tokenize"/>, possibly a selection of them) back into text.</summary>
    /// <param name="tokens">Token pieces in the order they should appear.</param>
    /// <returns>The joined text.</returns>
    string Join(IEnumerable<string> tokens);
}
