// Linked source: see ManifestProblem.cs.
namespace CompactMemory.Manifest;

/// <summary>
/// Strict UTF-8 validation and positions for problems found before the text is parsed. Nothing here allocates or
/// throws; every loop is one pass over the input.
/// </summary>
internal static class ManifestBytes
{
    /// <summary>
    /// The offset of the first byte that does not begin a valid UTF-8 character (a stray continuation byte, a lead
    /// byte without its continuation bytes, an overlong form, a surrogate, or a code point above U+10FFFF), or -1.
    /// </summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="start">Where to start.</param>
    /// <returns>The offset, or -1 when every byte from <paramref name="start"/> on is valid UTF-8.</returns>
    public static int FirstInvalidUtf8(byte[] bytes, int start)
    {
        var i = start;
        while (i < bytes.Length)
        {
            var lead = bytes[i];
            if (lead < 0x80)
            {
                i++;
                continue;
            }

            int length;
            byte low = 0x80;
            byte high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                length = 2;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                length = 3;
                if (lead == 0xE0)
                {
                    low = 0xA0; // overlong
                }
                else if (lead == 0xED)
                {
                    high = 0x9F; // UTF-16 surrogates
                }
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                length = 4;
                if (lead == 0xF0)
                {
                    low = 0x90; // overlong
                }
                else if (lead == 0xF4)
                {
                    high = 0x8F; // above U+10FFFF
                }
            }
            else
            {
                return i;
            }

            if (i + length > bytes.Length)
            {
                return i;
            }

            var second = bytes[i + 1];
            if (second < low || second > high)
            {
                return i;
            }

            for (var k = 2; k < length; k++)
            {
                if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF)
                {
                    return i;
                }
            }

            i += length;
        }

        return -1;
    }

    /// <summary>The 1-based line and column (in characters) of a byte offset; CR LF, LF and a lone CR end a line.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="start">Where the text starts (after a byte order mark).</param>
    /// <param name="offset">The offset.</param>
    /// <param name="line">The line.</param>
    /// <param name="column">The column.</param>
    public static void Position(byte[] bytes, int start, int offset, out int line, out int column)
    {
        line = 1;
        column = 1;
        for (var i = start; i < offset && i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == (byte)'\n' || (b == (byte)'\r' && (i + 1 >= bytes.Length || bytes[i + 1] != (byte)'\n')))
            {
                line++;
                column = 1;
            }
            else if (b != (byte)'\r' && (b < 0x80 || b > 0xBF))
            {
                // Continuation bytes belong to the character their lead byte started.
                column++;
            }
        }
    }

    /// <summary>The 1-based line and column of a character index; CR LF, LF and a lone CR end a line.</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">The index.</param>
    /// <param name="line">The line.</param>
    /// <param name="column">The column.</param>
    public static void Position(string text, int index, out int line, out int column)
    {
        line = 1;
        column = 1;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                line++;
                column = 1;
            }
            else if (c != '\r')
            {
                column++;
            }
        }
    }
}
