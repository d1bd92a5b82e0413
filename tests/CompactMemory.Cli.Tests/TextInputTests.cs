using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CompactMemory.Cli.Input;
using CompactMemory.Testing;
using CsCheck;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>Input bytes are never changed silently: text that is not valid is refused with where it goes wrong.</summary>
public sealed class TextInputTests : IDisposable
{
    private const string Budget = "100000000";
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void An_invalid_utf8_file_is_refused_with_its_first_bad_byte_and_offset()
    {
        var file = WriteFile("latin1.txt", [.. "caf"u8, 0xE9, .. " au lait"u8]);

        var result = _cli.Run("compress", "--file", file, "-b", "100");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal($"Error: '{file}' is not valid UTF-8 text (invalid continuation byte 0x20 after byte 0xE9 at offset 3). Pass --allow-invalid-utf8 to decode it with U+FFFD replacements.\n", result.Error);
    }

    [Fact]
    public void A_binary_file_is_refused_as_binary_at_its_first_nul_byte()
    {
        var file = WriteFile("image.bin", [.. "PK"u8, 0x03, 0x04, 0x00, 0x00, .. "rest"u8]);

        var result = _cli.Run("compress", "--file", file, "-b", "100");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: '{file}' looks like binary data, not text (NUL byte at offset 4). Pass --allow-invalid-utf8 to read it anyway (NUL characters are kept).\n", result.Error);
    }

    [Fact]
    public void Allowing_invalid_utf8_replaces_and_counts_what_was_replaced()
    {
        var file = WriteFile("mixed.txt", [.. "a"u8, 0xFF, 0xFE, .. "b"u8, 0xE2, 0x82, .. " c"u8, 0x00]);
        var output = _temp.Combine("out.txt");

        var result = _cli.Run("compress", "--file", file, "-e", "none", "-b", "100", "-q", "-o", output, "--allow-invalid-utf8");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a\uFFFD\uFFFDb\uFFFD c\0", File.ReadAllText(output));
        Assert.Equal(
            $"Warning: '{file}': replaced 4 invalid byte(s) with U+FFFD (the first: invalid start byte 0xFF at offset 1).\n" +
            $"Warning: '{file}': kept 1 NUL character(s) (the first at offset 8).\n",
            result.Error);
    }

    [Fact]
    public void Standard_input_is_checked_like_a_file_and_named_as_such()
    {
        var refused = _cli.RunWithInputBytes([.. "ok "u8, 0xC0, 0xAF], "compress", "--text", "-", "-b", "100");
        var allowed = _cli.RunWithInputBytes([.. "ok "u8, 0xC0, 0xAF], "compress", "--text", "-", "-e", "none", "-b", "100", "-q", "--allow-invalid-utf8");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Error: 'standard input' is not valid UTF-8 text (invalid start byte 0xC0 at offset 3). Pass --allow-invalid-utf8 to decode it with U+FFFD replacements.\n", refused.Error);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("ok \uFFFD\uFFFD\n", allowed.Output);
        Assert.Equal("Warning: 'standard input': replaced 2 invalid byte(s) with U+FFFD (the first: invalid start byte 0xC0 at offset 3).\n", allowed.Error);
    }

    [Fact]
    public void Every_file_of_a_directory_that_is_not_text_is_named_and_nothing_is_written()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "fine");
        File.WriteAllBytes(Path.Combine(input, "b.txt"), [0x66, 0x6F, 0x80]);
        File.WriteAllBytes(Path.Combine(input, "c.txt"), [0x00, 0x01]);

        var result = _cli.Run("compress", "--dir", input, "-e", "none", "-b", "100", "-q");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error: '{Path.Combine(input, "b.txt")}' is not valid UTF-8 text (invalid start byte 0x80 at offset 2).\n" +
            $"Error: '{Path.Combine(input, "c.txt")}' looks like binary data, not text (NUL byte at offset 0).\n" +
            "Pass --allow-invalid-utf8 to read such files anyway (invalid bytes become U+FFFD, NUL characters are kept), or leave them out with --pattern.\n",
            result.Error);
        Assert.False(File.Exists(Path.Combine(input, "compressed_output.txt")));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_removed_and_utf16_files_with_a_mark_are_read_as_utf16()
    {
        var bom8 = WriteFile("bom8.txt", [0xEF, 0xBB, 0xBF, .. "héllo"u8]);
        var utf16 = WriteFile("utf16.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("wörld 🌍")]);
        var utf32 = WriteFile("utf32.txt", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes("𝄞 clef")]);

        Assert.Equal("héllo\n", _cli.Run("compress", "--file", bom8, "-e", "none", "-b", "100", "-q").Output);
        Assert.Equal("wörld 🌍\n", _cli.Run("compress", "--file", utf16, "-e", "none", "-b", "100", "-q").Output);
        Assert.Equal("𝄞 clef\n", _cli.Run("compress", "--file", utf32, "-e", "none", "-b", "100", "-q").Output);
    }

    [Fact]
    public void An_unpaired_surrogate_in_utf16_is_refused_at_its_offset()
    {
        var file = WriteFile("broken16.txt", [0xFF, 0xFE, 0x61, 0x00, 0x00, 0xD8, 0x62, 0x00]);

        var result = _cli.Run("compress", "--file", file, "-b", "100");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: '{file}' is not valid UTF-16LE text (unpaired surrogate 0xD800 at offset 4). Pass --allow-invalid-utf8 to decode it with U+FFFD replacements.\n", result.Error);
    }

    [Fact]
    public void An_input_over_64_mebibytes_is_refused_before_it_is_read()
    {
        var file = _temp.Combine("huge.txt");
        using (var stream = File.Create(file))
        {
            stream.SetLength(BoundedReader.MaxInputBytes + 1);
        }

        var result = _cli.Run("compress", "--file", file, "-b", "100");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: '{file}' is larger than 64 MiB (67,108,864 bytes), the most compress reads. Split it and compress the parts.\n", result.Error);
    }

    /// <summary>
    /// The decoder against an oracle written from the Unicode standard's table of well-formed UTF-8 (Table 3-7), on
    /// random bytes, valid text, and valid text with a few bytes changed: same verdict, same first offsets, same counts,
    /// and with replacements the same text as .NET's own decoder.
    /// </summary>
    [Fact]
    public void The_decoder_agrees_with_the_unicode_table_on_generated_bytes()
    {
        Property.ForAll(Utf8Candidates(64), bytes =>
        {
            var decoded = TextDecoder.Decode(bytes);
            var start = HasUtf8Bom(bytes) ? 3 : 0;
            var expected = Utf8Oracle.Check(bytes, start);

            Assert.Equal("UTF-8", decoded.Encoding);
            Assert.Equal(expected.FirstInvalid, decoded.FirstInvalid?.Offset);
            Assert.Equal(expected.InvalidBytes, decoded.InvalidBytes);
            Assert.Equal(expected.FirstNul, decoded.FirstNul?.Offset);
            Assert.Equal(expected.Nuls, decoded.NulCount);
            Assert.Equal(Encoding.UTF8.GetString(bytes, start, bytes.Length - start), decoded.Text);
        }, cases: 200_000, seed: 20260101, print: Hex);
    }

    /// <summary>UTF-16 with a byte order mark: valid exactly when surrogates pair up; the text is .NET's decoding.</summary>
    [Fact]
    public void Utf16_decoding_finds_every_unpaired_surrogate_on_generated_code_units()
    {
        var units = Gen.OneOf(Gen.Char['\uD800', '\uDFFF'], Gen.Char['\0', '\u00FF'], Gen.Char).Array[0, 24];
        // FF FE 00 00 is the UTF-32LE mark, so UTF-16LE text cannot start with U+0000 (.NET reads it the same way).
        var cases = Gen.Select(units, Gen.Bool).Where(t => t.Item2 || t.Item1.Length == 0 || t.Item1[0] != '\0');
        Property.ForAll(cases, (chars, bigEndian) =>
        {
            var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
            var body = new byte[chars.Length * 2];
            for (var i = 0; i < chars.Length; i++)
            {
                body[(2 * i) + (bigEndian ? 0 : 1)] = (byte)(chars[i] >> 8);
                body[(2 * i) + (bigEndian ? 1 : 0)] = (byte)chars[i];
            }

            var decoded = TextDecoder.Decode([.. encoding.GetPreamble(), .. body]);

            var firstUnpaired = FirstUnpaired(chars);
            Assert.Equal(bigEndian ? "UTF-16BE" : "UTF-16LE", decoded.Encoding);
            Assert.Equal(firstUnpaired < 0 ? null : 2 + (2L * firstUnpaired), decoded.FirstInvalid?.Offset);
            var firstNul = Array.IndexOf(chars, '\0');
            Assert.Equal(firstNul < 0 ? null : 2 + (2L * firstNul), decoded.FirstNul?.Offset);
            Assert.Equal(encoding.GetString(body), decoded.Text);
        }, cases: 100_000, seed: 20260102);
    }

    /// <summary>
    /// The whole command on generated file contents: valid text (no NUL) is compressed unchanged with exit 0; anything
    /// else is refused with exit 1 at exactly the first bad offset, and with --allow-invalid-utf8 read as .NET would
    /// decode it. Never an unexpected error.
    /// </summary>
    [Fact]
    public void Generated_file_contents_are_compressed_exactly_or_refused_at_the_first_bad_byte()
    {
        var file = _temp.Combine("generated.txt");
        var output = _temp.Combine("generated.out");
        Property.ForAll(Gen.Select(Utf8Candidates(32), Gen.Bool), (bytes, allow) =>
        {
            File.WriteAllBytes(file, bytes);
            File.Delete(output);
            string[] args = ["compress", "--file", file, "-e", "none", "-b", Budget, "-q", "-o", output];
            var result = _cli.Run(allow ? [.. args, "--allow-invalid-utf8"] : args);

            var start = HasUtf8Bom(bytes) ? 3 : 0;
            var expected = Utf8Oracle.Check(bytes, start);
            Assert.DoesNotContain("unexpected error", result.Error, StringComparison.OrdinalIgnoreCase);
            if ((expected.FirstInvalid is null && expected.FirstNul is null) || allow)
            {
                Assert.Equal(0, result.ExitCode);
                Assert.Equal(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes, start, bytes.Length - start)), File.ReadAllBytes(output));
            }
            else
            {
                var offset = Math.Min(expected.FirstInvalid ?? long.MaxValue, expected.FirstNul ?? long.MaxValue);
                Assert.Equal(1, result.ExitCode);
                Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"0x{bytes[offset]:X2} at offset {offset})"), result.Error.Replace("NUL byte", "0x00", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.False(File.Exists(output));
            }
        }, cases: 3_000, seed: 20260103, print: t => Hex(t.Item1) + (t.Item2 ? " --allow-invalid-utf8" : string.Empty));
    }

    /// <summary>Random bytes, valid UTF-8 (sometimes after a UTF-8 mark), and valid UTF-8 with a few bytes overwritten; never a UTF-16/32 mark.</summary>
    private static Gen<byte[]> Utf8Candidates(int maxLength)
    {
        var valid = Gen.String[0, maxLength].Select(s => Encoding.UTF8.GetBytes(s));
        var random = Gen.Byte.Array[0, maxLength];
        var mutated = Gen.Select(valid, Gen.Select(Gen.Int[0, 1000], Gen.Byte).Array[1, 3], (bytes, edits) =>
        {
            var copy = bytes.ToArray();
            foreach (var (at, value) in edits)
            {
                if (copy.Length > 0)
                {
                    copy[at % copy.Length] = value;
                }
            }

            return copy;
        });
        var withMark = valid.Select(bytes => (byte[])[0xEF, 0xBB, 0xBF, .. bytes]);
        return Gen.OneOf(valid, random, mutated, withMark).Where(bytes => !StartsWithWideMark(bytes));
    }

    private static readonly byte[] Utf8Mark = [0xEF, 0xBB, 0xBF];
    private static readonly byte[][] WideMarks = [[0xFF, 0xFE], [0xFE, 0xFF], [0x00, 0x00, 0xFE, 0xFF]];

    private static bool HasUtf8Bom(byte[] bytes) => bytes.AsSpan().StartsWith(Utf8Mark);

    private static bool StartsWithWideMark(byte[] bytes) => WideMarks.Any(mark => bytes.AsSpan().StartsWith(mark));

    private static int FirstUnpaired(char[] chars)
    {
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private string WriteFile(string name, byte[] content)
    {
        var path = _temp.Combine(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Well-formed UTF-8 as the Unicode standard tabulates it (Table 3-7), checked byte by byte.</summary>
    private static class Utf8Oracle
    {
        public static (long? FirstInvalid, long InvalidBytes, long? FirstNul, long Nuls) Check(byte[] bytes, int start)
        {
            long? firstInvalid = null;
            long? firstNul = null;
            long invalidBytes = 0;
            long nuls = 0;
            var i = start;
            while (i < bytes.Length)
            {
                var lead = bytes[i];
                if (lead < 0x80)
                {
                    if (lead == 0)
                    {
                        firstNul ??= i;
                        nuls++;
                    }

                    i++;
                    continue;
                }

                var (length, low, high) = lead switch
                {
                    >= 0xC2 and <= 0xDF => (2, 0x80, 0xBF),
                    0xE0 => (3, 0xA0, 0xBF),
                    (>= 0xE1 and <= 0xEC) or 0xEE or 0xEF => (3, 0x80, 0xBF),
                    0xED => (3, 0x80, 0x9F),
                    0xF0 => (4, 0x90, 0xBF),
                    >= 0xF1 and <= 0xF3 => (4, 0x80, 0xBF),
                    0xF4 => (4, 0x80, 0x8F),
                    _ => (0, 0, 0),
                };

                // How many bytes from `i` form the start of a well-formed sequence (the "maximal subpart").
                var good = length == 0 ? 0 : 1;
                while (good > 0 && good < length && i + good < bytes.Length)
                {
                    var next = bytes[i + good];
                    var (min, max) = good == 1 ? (low, high) : (0x80, 0xBF);
                    if (next < min || next > max)
                    {
                        break;
                    }

                    good++;
                }

                if (length > 0 && good == length)
                {
                    i += length;
                    continue;
                }

                firstInvalid ??= i;
                var subpart = Math.Max(good, 1);
                invalidBytes += subpart;
                i += subpart;
            }

            return (firstInvalid, invalidBytes, firstNul, nuls);
        }
    }
}
