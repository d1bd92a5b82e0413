using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CompactMemory.Tokens;

/// <summary>
/// The estimator used when no exact tokenizer is plugged in. It approximates the BPE tokenizers of
/// current LLMs without a vocabulary:
/// <list type="bullet">
/// <item>a run of letters, digits and underscores is one token, split every <see cref="MaxWordPieceLength"/> characters
/// (long identifiers, hashes and URLs cost more than one token, as they do in BPE);</item>
/// <item>every other visible character (punctuation, symbols, emoji) is one token;</item>
/// <item>every CJK ideograph, kana or Hangul syllable is one token (those scripts have no spaces);</item>
/// <item>whitespace is never a token: each piece carries the whitespace before it, so joining pieces back keeps
/// the original spacing and line breaks; whitespace at the very start and end of the text belongs to no piece, so
/// <c>Join(Tokenize(text))</c> is <c>text.Trim()</c>, every other character kept.</item>
/// <item>an unpaired surrogate (text that is not valid UTF-16) is a piece of its own; a surrogate pair is never split.</item>
/// </list>
/// It is deterministic and culture-independent. It is an estimate: budgets are exact only with an exact tokenizer.
/// </summary>
public sealed class DefaultTokenizer : ITokenizer
{
    /// <summary>The longest run of word characters counted as one token.</summary>
    public const int MaxWordPieceLength = 12;

    /// <summary>The shared instance; the tokenizer is stateless and thread-safe.</summary>
    public static DefaultTokenizer Instance { get; } = new DefaultTokenizer();

    /// <inheritdoc />
    public string Name => "default-estimator";

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentGuard.NotNull(text, nameof(text));
        var pieces = new List<string>();
        var start = 0;
        var position = 0;
        while (NextTokenEnd(text, ref position))
        {
            pieces.Add(text.Substring(start, position - start));
            start = position;
        }

        return pieces;
    }

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        ArgumentGuard.NotNull(text, nameof(text));
        var count = 0;
        var position = 0;
        while (NextTokenEnd(text, ref position))
        {
            count++;
        }

        return count;
    }

    /// <inheritdoc />
    public string Truncate(string text, int maxTokens)
    {
        ArgumentGuard.NotNull(text, nameof(text));
        if (maxTokens <= 0)
        {
            return string.Empty;
        }

        var count = 0;
        var position = 0;
        while (NextTokenEnd(text, ref position))
        {
            count++;
            if (count == maxTokens)
            {
                // Anything after this point but whitespace means the text was over the limit.
                var rest = position;
                return NextTokenEnd(text, ref rest) ? text.Substring(0, position) : text;
            }
        }

        return text;
    }

    /// <inheritdoc />
    public string Join(IEnumerable<string> tokens)
    {
        ArgumentGuard.NotNull(tokens, nameof(tokens));
        var builder = new StringBuilder();
        foreach (var token in tokens)
        {
            builder.Append(token);
        }

        // Pieces carry their leading whitespace; the first piece of a selection should not.
        return TrimStart(builder);
    }

    private static string TrimStart(StringBuilder builder)
    {
        var leading = 0;
        while (leading < builder.Length && char.IsWhiteSpace(builder[leading]))
        {
            leading++;
        }

        return builder.ToString(leading, builder.Length - leading);
    }

    /// <summary>Advances past the next token (and the whitespace before it); false when only whitespace is left.</summary>
    private static bool NextTokenEnd(string text, ref int position)
    {
        var i = position;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            return false;
        }

        var kind = Classify(text, i, out var width);
        i += width;
        if (kind == CharKind.Word)
        {
            var length = 1;
            while (i < text.Length && length < MaxWordPieceLength && Classify(text, i, out width) == CharKind.Word)
            {
                i += width;
                length++;
            }
        }

        position = i;
        return true;
    }

    private enum CharKind
    {
        Word,
        Single,
    }

    private static CharKind Classify(string text, int index, out int width)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            var category = CharUnicodeInfo.GetUnicodeCategory(text, index);
            var codePoint = char.ConvertToUtf32(c, text[index + 1]);
            // Supplementary CJK ideographs are one token each; other astral letters (rare scripts) count as words.
            return IsLetterOrDigit(category) && !(codePoint >= 0x20000 && codePoint <= 0x3FFFF) ? CharKind.Word : CharKind.Single;
        }

        width = 1;
        if (IsCjk(c))
        {
            return CharKind.Single;
        }

        return c == '_' || IsLetterOrDigit(CharUnicodeInfo.GetUnicodeCategory(c)) ? CharKind.Word : CharKind.Single;
    }

    private static bool IsLetterOrDigit(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        _ => false,
    };

    private static bool IsCjk(char c) =>
        (c >= '\u3040' && c <= '\u30FF')    // Hiragana, Katakana
        || (c >= '\u3400' && c <= '\u4DBF') // CJK Extension A
        || (c >= '\u4E00' && c <= '\u9FFF') // CJK Unified Ideographs
        || (c >= '\uAC00' && c <= '\uD7AF') // Hangul syllables
        || (c >= '\uF900' && c <= '\uFAFF'); // CJK Compatibility Ideographs
}
