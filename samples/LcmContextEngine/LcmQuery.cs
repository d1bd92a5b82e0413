using System.Collections.Generic;
using System.Text;

namespace CompactMemory.Samples.Lcm;

/// <summary>
/// Turns whatever the model typed into an FTS5 query that cannot fail to parse. Every whitespace-separated word
/// becomes a quoted phrase of its letter-and-digit runs (<c>topic-5</c> → <c>"topic 5"</c>, <c>user's</c> →
/// <c>"user s"</c>); everything else — quotes, <c>*</c>, <c>^</c>, <c>:</c>, parentheses, control characters, NUL,
/// unpaired surrogates — is dropped, and FTS5 operators (<c>AND</c>, <c>NEAR</c>, …) inside quotes are plain words.
/// The phrases are joined with <c>AND</c> (every word must occur) or <c>OR</c> (any word).
/// </summary>
internal static class LcmQuery
{
    /// <summary>Words beyond this many are ignored.</summary>
    public const int MaxWords = 32;

    /// <summary>Characters of a query beyond this many are ignored.</summary>
    public const int MaxQueryLength = 2000;

    /// <summary>The phrases of a query, at most <see cref="MaxWords"/>; empty when it has no letters or digits.</summary>
    public static List<string> Phrases(string query)
    {
        var phrases = new List<string>();
        var text = query.Length > MaxQueryLength ? query[..MaxQueryLength] : query;
        var word = new StringBuilder();
        var token = new StringBuilder();
        for (var i = 0; i <= text.Length && phrases.Count < MaxWords; i++)
        {
            var end = i == text.Length || char.IsWhiteSpace(text[i]);
            if (end)
            {
                Flush(token, word);
                if (word.Length > 0)
                {
                    phrases.Add("\"" + word + "\"");
                    word.Clear();
                }

                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (char.IsLetterOrDigit(text, i))
                {
                    token.Append(text[i]).Append(text[i + 1]);
                }
                else
                {
                    Flush(token, word);
                }

                i++;
            }
            else if (!char.IsSurrogate(text[i]) && char.IsLetterOrDigit(text[i]))
            {
                token.Append(text[i]);
            }
            else
            {
                Flush(token, word);
            }
        }

        return phrases;
    }

    /// <summary>The FTS5 query: the phrases joined with <c>AND</c> or <c>OR</c>.</summary>
    public static string Build(IReadOnlyList<string> phrases, bool any) => string.Join(any ? " OR " : " AND ", phrases);

    private static void Flush(StringBuilder token, StringBuilder word)
    {
        if (token.Length == 0)
        {
            return;
        }

        if (word.Length > 0)
        {
            word.Append(' ');
        }

        word.Append(token);
        token.Clear();
    }
}
