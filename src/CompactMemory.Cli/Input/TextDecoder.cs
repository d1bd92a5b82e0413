using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace CompactMemory.Cli.Input;

/// <summary>The first place where input bytes are not text: its byte offset in the input and what is wrong there.</summary>
/// <param name="Offset">The offset of the first byte of the problem, counted from the start of the input (a byte order mark included).</param>
/// <param name="Description">What is wrong, e.g. <c>invalid start byte 0xFF</c> or <c>NUL byte</c>.</param>
internal sealed record TextProblem(long Offset, string Description)
{
    /// <summary>Reads as <c>invalid start byte 0xFF at offset 1234</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Description} at offset {Offset}");
}

/// <summary>
/// Bytes decoded as text, and everything the decoding had to change: sequences that are not valid in the encoding
/// (replaced by U+FFFD) and NUL characters (kept). A caller that must not change input refuses it when
/// <see cref="IsClean"/> is false.
/// </summary>
internal sealed record DecodedText
{
    /// <summary>The text (U+FFFD where bytes were invalid; a byte order mark removed).</summary>
    public required string Text { get; init; }

    /// <summary>The encoding: UTF-8, or UTF-16LE/BE or UTF-32LE/BE when the input starts with that byte order mark.</summary>
    public required string Encoding { get; init; }

    /// <summary>The first invalid sequence, or null when there is none.</summary>
    public TextProblem? FirstInvalid { get; init; }

    /// <summary>How many input bytes were invalid (each maximal invalid sequence became one U+FFFD).</summary>
    public long InvalidBytes { get; init; }

    /// <summary>The first NUL character, or null when there is none.</summary>
    public TextProblem? FirstNul { get; init; }

    /// <summary>How many NUL characters the text holds.</summary>
    public long NulCount { get; init; }

    /// <summary>True when the bytes are text exactly: valid in <see cref="Encoding"/> and without NUL characters.</summary>
    public bool IsClean => FirstInvalid is null && FirstNul is null;
}

/// <summary>
/// Decodes input bytes without guessing and without hiding anything: UTF-8 (a UTF-8 byte order mark is removed), or
/// UTF-16/UTF-32 when the input starts with their byte order mark (as <see cref="System.IO.File.ReadAllText(string)"/>
/// would). Invalid sequences become U+FFFD, one per maximal invalid sequence (the Unicode and WHATWG practice), and are
/// counted with the offset of the first one; so are NUL characters, the mark of binary data.
/// </summary>
internal static class TextDecoder
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] Utf32LeBom = [0xFF, 0xFE, 0x00, 0x00];
    private static readonly byte[] Utf32BeBom = [0x00, 0x00, 0xFE, 0xFF];
    private static readonly byte[] Utf16LeBom = [0xFF, 0xFE];
    private static readonly byte[] Utf16BeBom = [0xFE, 0xFF];

    /// <summary>Decodes <paramref name="bytes"/>; never throws.</summary>
    public static DecodedText Decode(ReadOnlySpan<byte> bytes)
    {
        // UTF-32LE's mark starts with UTF-16LE's, so it is tested first (as .NET's own detection does).
        if (bytes.StartsWith(Utf8Bom))
        {
            return DecodeUtf8(bytes, Utf8Bom.Length);
        }

        if (bytes.StartsWith(Utf32LeBom))
        {
            return DecodeUtf32(bytes, bigEndian: false);
        }

        if (bytes.StartsWith(Utf32BeBom))
        {
            return DecodeUtf32(bytes, bigEndian: true);
        }

        if (bytes.StartsWith(Utf16LeBom))
        {
            return DecodeUtf16(bytes, bigEndian: false);
        }

        if (bytes.StartsWith(Utf16BeBom))
        {
            return DecodeUtf16(bytes, bigEndian: true);
        }

        return DecodeUtf8(bytes, 0);
    }

    private static DecodedText DecodeUtf8(ReadOnlySpan<byte> bytes, int start)
    {
        var body = bytes[start..];
        if (Utf8.IsValid(body) && !body.Contains((byte)0))
        {
            return new DecodedText { Text = System.Text.Encoding.UTF8.GetString(body), Encoding = "UTF-8" };
        }

        // UTF-8 never needs more UTF-16 code units than it has bytes, and each invalid sequence becomes one U+FFFD.
        var chars = new char[body.Length];
        var written = 0;
        var position = 0;
        TextProblem? firstInvalid = null;
        TextProblem? firstNul = null;
        long invalidBytes = 0;
        long nuls = 0;
        while (position < body.Length)
        {
            var status = Utf8.ToUtf16(body[position..], chars.AsSpan(written), out var read, out var produced, replaceInvalidSequences: false, isFinalBlock: true);
            var valid = body.Slice(position, read);
            var nul = valid.IndexOf((byte)0);
            if (nul >= 0)
            {
                firstNul ??= new TextProblem(start + position + nul, "NUL byte");
                nuls += valid.Count((byte)0);
            }

            position += read;
            written += produced;
            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }

            // InvalidData: the maximal invalid sequence at `position` (at least one byte) becomes one U+FFFD.
            Rune.DecodeFromUtf8(body[position..], out _, out var invalidLength);
            invalidLength = Math.Max(invalidLength, 1);
            firstInvalid ??= new TextProblem(start + position, Utf8Problem(body, position, invalidLength));
            invalidBytes += invalidLength;
            chars[written++] = '\uFFFD';
            position += invalidLength;
        }

        return new DecodedText
        {
            Text = new string(chars, 0, written),
            Encoding = "UTF-8",
            FirstInvalid = firstInvalid,
            InvalidBytes = invalidBytes,
            FirstNul = firstNul,
            NulCount = nuls,
        };
    }

    /// <summary>Python's words for the three ways UTF-8 goes wrong, with the offending byte.</summary>
    private static string Utf8Problem(ReadOnlySpan<byte> body, int position, int invalidLength)
    {
        var first = body[position];
        if (first is (>= 0x80 and <= 0xC1) or >= 0xF5)
        {
            return string.Create(CultureInfo.InvariantCulture, $"invalid start byte 0x{first:X2}");
        }

        if (position + invalidLength >= body.Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"unexpected end of data after byte 0x{first:X2}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"invalid continuation byte 0x{body[position + invalidLength]:X2} after byte 0x{first:X2}");
    }

    private static DecodedText DecodeUtf16(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        var builder = new StringBuilder((bytes.Length / 2) + 1);
        var problems = new Problems();
        var position = 2;
        while (position + 1 < bytes.Length)
        {
            var unit = Unit16(bytes, position, bigEndian);
            if (char.IsHighSurrogate((char)unit) && position + 3 < bytes.Length && char.IsLowSurrogate((char)Unit16(bytes, position + 2, bigEndian)))
            {
                builder.Append((char)unit).Append((char)Unit16(bytes, position + 2, bigEndian));
                position += 4;
            }
            else if (char.IsSurrogate((char)unit))
            {
                problems.Invalid(position, 2, string.Create(CultureInfo.InvariantCulture, $"unpaired surrogate 0x{unit:X4}"));
                builder.Append('\uFFFD');
                position += 2;
            }
            else
            {
                if (unit == 0)
                {
                    problems.Nul(position);
                }

                builder.Append((char)unit);
                position += 2;
            }
        }

        if (position < bytes.Length)
        {
            problems.Invalid(position, bytes.Length - position, "unexpected end of data (an odd number of bytes)");
            builder.Append('\uFFFD');
        }

        return problems.Result(builder.ToString(), bigEndian ? "UTF-16BE" : "UTF-16LE");
    }

    private static DecodedText DecodeUtf32(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        var builder = new StringBuilder(bytes.Length / 4);
        var problems = new Problems();
        var position = 4;
        while (position + 3 < bytes.Length)
        {
            var slice = bytes.Slice(position, 4);
            var value = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(slice) : BinaryPrimitives.ReadUInt32LittleEndian(slice);
            if (Rune.IsValid(value))
            {
                if (value == 0)
                {
                    problems.Nul(position);
                }

                builder.Append(new Rune(value).ToString());
            }
            else
            {
                problems.Invalid(position, 4, string.Create(CultureInfo.InvariantCulture, $"invalid code point 0x{value:X8}"));
                builder.Append('\uFFFD');
            }

            position += 4;
        }

        if (position < bytes.Length)
        {
            problems.Invalid(position, bytes.Length - position, "unexpected end of data (not a multiple of 4 bytes)");
            builder.Append('\uFFFD');
        }

        return problems.Result(builder.ToString(), bigEndian ? "UTF-32BE" : "UTF-32LE");
    }

    private static ushort Unit16(ReadOnlySpan<byte> bytes, int position, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(position, 2)) : BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(position, 2));

    private sealed class Problems
    {
        private TextProblem? _firstInvalid;
        private TextProblem? _firstNul;
        private long _invalidBytes;
        private long _nuls;

        public void Invalid(long offset, int length, string description)
        {
            _firstInvalid ??= new TextProblem(offset, description);
            _invalidBytes += length;
        }

        public void Nul(long offset)
        {
            _firstNul ??= new TextProblem(offset, "NUL character");
            _nuls++;
        }

        public DecodedText Result(string text, string encoding) => new()
        {
            Text = text,
            Encoding = encoding,
            FirstInvalid = _firstInvalid,
            InvalidBytes = _invalidBytes,
            FirstNul = _firstNul,
            NulCount = _nuls,
        };
    }
}
