// Linked source: see ManifestProblem.cs. Also compiled into the CLI, with YamlTree.cs.
using System.Globalization;
using System.Text;

namespace CompactMemory.Manifest;

/// <summary>
/// Quotes a value from a manifest inside a problem message: at most <see cref="ManifestSchema.MaxQuotedCharacters"/>
/// characters shown (escapes included), then a marked cut (<c>…(N more characters)</c>, counting the characters of
/// the value left out), with line breaks, control and bidirectional-format characters and unpaired surrogates escaped, so a message stays one short line whatever the file holds. A message
/// never copies a whole value: a file that uses one long value many times cannot make its problems large.
/// </summary>
internal static class ManifestQuote
{
    /// <summary>The value as a message may show it.</summary>
    /// <param name="value">The value; <see langword="null"/> reads as empty.</param>
    /// <returns>The value itself when it is short and plain; otherwise an escaped, marked excerpt.</returns>
    public static string Of(string? value) => Of(value, ManifestSchema.MaxQuotedCharacters);

    /// <summary>The value as a message may show it, with a limit of its own.</summary>
    /// <param name="value">The value; <see langword="null"/> reads as empty.</param>
    /// <param name="limit">The most characters of the value shown.</param>
    /// <returns>The value itself when it is short and plain; otherwise an escaped, marked excerpt.</returns>
    public static string Of(string? value, int limit)
    {
        if (value is null)
        {
            return string.Empty;
        }

        if (value.Length <= limit && IsPlain(value))
        {
            return value;
        }

        // The limit bounds what is shown, escapes included: take characters while they fit.
        var builder = new StringBuilder(limit + 32);
        var taken = 0;
        while (taken < value.Length)
        {
            var c = value[taken];
            if (char.IsHighSurrogate(c) && taken + 1 < value.Length && char.IsLowSurrogate(value[taken + 1]))
            {
                // A surrogate pair is one character: shown whole or not at all.
                if (builder.Length + 2 > limit)
                {
                    break;
                }

                builder.Append(c).Append(value[taken + 1]);
                taken += 2;
                continue;
            }

            var before = builder.Length;
            AppendEscaped(builder, c);
            if (builder.Length > limit)
            {
                builder.Length = before;
                break;
            }

            taken++;
        }

        if (taken < value.Length)
        {
            var rest = value.Length - taken;
            builder.Append("\u2026(")
                .Append(rest.ToString("N0", CultureInfo.InvariantCulture))
                .Append(rest == 1 ? " more character)" : " more characters)");
        }

        return builder.ToString();
    }

    private static bool IsPlain(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (NeedsEscape(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool NeedsEscape(char c) =>
        c < ' ' || (c >= '\u007F' && c <= '\u009F') || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF'
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';

    private static void AppendEscaped(StringBuilder builder, char c)
    {
        if (!NeedsEscape(c))
        {
            builder.Append(c);
            return;
        }

        switch (c)
        {
            case '\0':
                builder.Append("\\0");
                break;
            case '\t':
                builder.Append("\\t");
                break;
            case '\n':
                builder.Append("\\n");
                break;
            case '\r':
                builder.Append("\\r");
                break;
            default:
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                break;
        }
    }
}
