using System;
using System.Globalization;
using System.Linq;
using System.Text;
using CompactMemory.Manifest;
using CsCheck;
using Xunit;

namespace CompactMemory.Tests.Manifest;

/// <summary>
/// Generated manifests fed to the reader: random YAML-ish text, byte mutations of a valid manifest, alias
/// amplification shapes and long scalars. Each property runs a few thousand cases from a fixed seed, so every run
/// sees the same inputs; <c>ManifestFuzz</c> in tests/CompactMemory.Benchmarks runs the same generators far longer.
/// Every case must keep every promise checked by <see cref="HostileManifests.Check"/>.
/// </summary>
public sealed class ManifestPropertyTests
{
    private const ulong Seed = 20261203;

    private static string? CheckText(string text) =>
        HostileManifests.Check(() => EngineManifestReader.Read(text), HostileManifests.Lines(text), out _);

    private static string? CheckBytes(byte[] bytes) =>
        HostileManifests.Check(() => EngineManifestReader.ReadUtf8(bytes), int.MaxValue, out _);

    private static string Show(byte[] bytes) => Convert.ToHexString(bytes);

    [Fact]
    public void Random_yaml_like_text_never_breaks_a_promise()
    {
        HostileManifests.ForAll(HostileManifests.YamlishText, 3_000, Seed, CheckText, text => text);
    }

    [Fact]
    public void Random_yaml_like_text_as_utf8_bytes_never_breaks_a_promise()
    {
        HostileManifests.ForAll(HostileManifests.YamlishText.Select(text => Encoding.UTF8.GetBytes(text)), 2_000, Seed + 1, CheckBytes, Show);
    }

    [Fact]
    public void Byte_mutations_of_a_valid_manifest_never_break_a_promise()
    {
        HostileManifests.ForAll(HostileManifests.MutatedValidBytes, 3_000, Seed + 2, CheckBytes, Show);
    }

    [Fact]
    public void Byte_mutations_decoded_leniently_never_break_a_promise_as_text()
    {
        // What an analyzer sees: the editor's text, where invalid bytes have already become U+FFFD.
        HostileManifests.ForAll(HostileManifests.MutatedValidBytes.Select(bytes => Encoding.UTF8.GetString(bytes)), 2_000, Seed + 3, CheckText, text => text);
    }

    [Fact]
    public void Alias_amplification_never_breaks_a_promise()
    {
        HostileManifests.ForAll(HostileManifests.AliasAmplification, 600, Seed + 4, CheckText, text => text);
    }

    [Fact]
    public void Long_scalars_never_break_a_promise()
    {
        HostileManifests.ForAll(HostileManifests.LongScalars, 300, Seed + 5, CheckText, text => text);
    }

    [Fact]
    public void Random_bytes_never_break_a_promise()
    {
        HostileManifests.ForAll(Gen.Byte.Array[0, 2_000], 3_000, Seed + 6, CheckBytes, Show);
    }

    [Fact]
    public void Reading_the_same_text_twice_gives_the_same_problems()
    {
        HostileManifests.ForAll(
            Gen.OneOf(HostileManifests.YamlishText, HostileManifests.MutatedValidBytes.Select(bytes => Encoding.UTF8.GetString(bytes))),
            1_000,
            Seed + 7,
            text =>
            {
                var first = EngineManifestReader.Read(text).Problems.Select(p => (p.Severity, p.Kind, p.Field, p.Message, p.Line, p.Column));
                var second = EngineManifestReader.Read(text).Problems.Select(p => (p.Severity, p.Kind, p.Field, p.Message, p.Line, p.Column));
                return first.SequenceEqual(second) ? null : "two reads differ";
            },
            text => text);
    }

    [Fact]
    public void Valid_text_reads_the_same_from_utf8_bytes()
    {
        HostileManifests.ForAll(
            HostileManifests.MutatedValidBytes.Select(bytes => Encoding.UTF8.GetString(bytes)).Where(text => !text.Contains('\uFFFD', StringComparison.Ordinal)),
            1_000,
            Seed + 8,
            text =>
            {
                // The bytes' NUL message also gives the byte offset; everything else is the same.
                var fromText = EngineManifestReader.Read(text).Problems.Select(p => (p.Kind, p.Message, p.Line, p.Column));
                var fromBytes = EngineManifestReader.ReadUtf8(Encoding.UTF8.GetBytes(text)).Problems
                    .Select(p => (p.Kind, System.Text.RegularExpressions.Regex.Replace(p.Message, @" \(byte offset [0-9]+\)", string.Empty), p.Line, p.Column));
                return fromText.SequenceEqual(fromBytes) ? null : "text and bytes differ: " + string.Join(" | ", fromText) + " versus " + string.Join(" | ", fromBytes);
            },
            text => text);
    }

    [Fact]
    public void Quoted_values_are_short_one_line_and_keep_their_start()
    {
        var gen = Gen.OneOf(Gen.String[Gen.Char, 0, 500], Gen.String[Gen.Char["a\n\u0001\u202E\uD83D\uDE00\uD800"], 0, 200]);
        HostileManifests.ForAll(
            gen,
            3_000,
            Seed + 9,
            value =>
            {
                var quoted = ManifestQuote.Of(value);
                if (quoted.Length > ManifestSchema.MaxQuotedCharacters + 32)
                {
                    return "quoted to " + quoted.Length.ToString(CultureInfo.InvariantCulture) + " characters";
                }

                if (quoted.Any(c => c < ' ' || c is '\u2028' or '\u2029' or '\u202E'))
                {
                    return "a control character survived";
                }

                var plainPrefix = new string(value.TakeWhile(c => c >= ' ' && c < '\u007F').Take(ManifestSchema.MaxQuotedCharacters).ToArray());
                return quoted.StartsWith(plainPrefix, StringComparison.Ordinal) ? null : "the start of the value was lost";
            },
            value => value);
    }

    [Fact]
    public void Number_resolution_matches_the_yaml_core_schema_patterns_on_generated_strings()
    {
        var integer = new System.Text.RegularExpressions.Regex("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        var @float = new System.Text.RegularExpressions.Regex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        HostileManifests.ForAll(
            Gen.String[Gen.Char["0123456789+-.eExoabfAFinINaN"], 0, 12],
            5_000,
            Seed + 10,
            value => integer.IsMatch(value) == YamlTree.Scalar.IsInteger(value) && @float.IsMatch(value) == YamlTree.Scalar.IsFloat(value) ? null : "differs from the regex",
            value => value);
    }
}
