using System.Globalization;
using System.Text;

namespace CompactMemory.Text;

/// <summary>
/// Text from outside (an engine id, a path, an argument) as a message can show it: every control character written as
/// <c>\uXXXX</c>, so a hostile value cannot break a line or rewrite the terminal. The one rule the runtime and the CLI
/// quote such values by.
/// </summary>
internal static class PrintableText
{
    /// <summary>The text with control characters escaped.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Printable text; the same string when nothing needed escaping.</returns>
    public static string Of(string text)
    {
        var first = 0;
        while (first < text.Length && !char.IsControl(text[first]))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
