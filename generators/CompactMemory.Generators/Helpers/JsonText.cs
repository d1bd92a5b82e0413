using System.Text;

namespace CompactMemory.Generators.Helpers;

/// <summary>
/// JSON string literals as System.Text.Json writes them for schemas and defaults (control characters and the line
/// separators escaped, and an unpaired surrogate written as U+FFFD, so the text always parses and encodes to UTF-8).
/// </summary>
internal static class JsonText
{
    /// <summary>The value as a quoted JSON string.</summary>
    public static string String(string value)
    {
        var builder = new StringBuilder("\"");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ' || c == '\u2028' || c == '\u2029')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else
                    {
                        builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
