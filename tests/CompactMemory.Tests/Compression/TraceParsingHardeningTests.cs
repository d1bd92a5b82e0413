using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using CsCheck;
using Xunit;

namespace CompactMemory.Tests.Compression;

/// <summary>Trace files come from disk: whatever text they hold, <see cref="CompressionTrace.Parse"/> gives a trace or a <see cref="FormatException"/>.</summary>
public sealed class TraceParsingHardeningTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    [Theory]
    [InlineData("""{"engine_name": "\ud800"}""")]
    [InlineData("""{"engine_name": "none", "\udc00": 1}""")]
    [InlineData("""{"engine_name": "none", "steps": [{"type": "\ud800x", "details": {}}]}""")]
    [InlineData("""{"engine_name": "none", "strategy_params": {"deep": ["\udfff"]}}""")]
    [InlineData("""{"engine_name": "none", "final_compressed_object_preview": "a\ud83d"}""")]
    public void An_escaped_lone_surrogate_anywhere_is_a_FormatException_naming_Unicode(string json)
    {
        var ex = Assert.Throws<FormatException>(() => CompressionTrace.Parse(json));
        Assert.Contains("Unicode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_lone_surrogate_in_the_text_is_a_FormatException_not_a_silent_replacement()
    {
        Assert.Throws<FormatException>(() => CompressionTrace.Parse("{\"engine_name\": \"a\ud800\"}"));
    }

    [Fact]
    public void FromJsonObject_of_a_parsed_object_with_a_lone_surrogate_is_a_FormatException()
    {
        var json = JsonNode.Parse("""{"engine_name": "\ud800"}""")!.AsObject();
        Assert.Throws<FormatException>(() => CompressionTrace.FromJsonObject(json));
    }

    [Fact]
    public void The_preview_never_splits_a_surrogate_pair()
    {
        var text = new string('a', 49) + "\U0001F600 and more words after it";
        var (_, trace) = new NoCompressionEngine().Compress(text, 1000);

        Assert.NotNull(trace);
        var preview = trace!.FinalCompressedObjectPreview!;
        Assert.False(char.IsHighSurrogate(preview[^1]));
        Assert.Equal(text[..preview.Length], preview);
        Assert.Equal(trace.ToJson(), CompressionTrace.Parse(trace.ToJson()).ToJson());
    }

    [Fact]
    public void Mutated_traces_give_a_trace_or_a_FormatException_and_nothing_else()
    {
        var (_, trace) = new NoCompressionEngine().Compress("Some words to compress into a trace, with 😀 and ü.", 5);
        trace!.ProcessingMs = 12.5; // fixed, so the seed explores the same cases on every run
        var valid = trace.ToJson();
        var escapes = new[] { "\\ud800", "\\udc00", "\\u0000", "\\", "\"", "{", "[", "]", "}", ",", ":", "1e999", "-", "null", "\ud800", "\uFFFF", "😀" };
        var mutation = Gen.Select(Gen.Int[0, valid.Length], Gen.Int[0, 3], Gen.Int[0, escapes.Length - 1].Select(i => escapes[i]), Gen.Int[0, 8]);

        mutation.Array[1, 6].Sample(edits =>
        {
            var text = new StringBuilder(valid);
            foreach (var (at, kind, piece, length) in edits)
            {
                var position = Math.Min(at, text.Length);
                switch (kind)
                {
                    case 0:
                        text.Insert(position, piece);
                        break;
                    case 1:
                        text.Remove(position, Math.Min(length, text.Length - position));
                        break;
                    default:
                        text.Remove(position, Math.Min(length, text.Length - position)).Insert(position, piece);
                        break;
                }
            }

            try
            {
                var parsed = CompressionTrace.Parse(text.ToString());

                // A trace that parses can be written again, as valid UTF-8 JSON, and reads back equal.
                var written = parsed.ToJson();
                _ = StrictUtf8.GetBytes(written);
                using var document = JsonDocument.Parse(written);
                Assert.Equal(written, CompressionTrace.Parse(written).ToJson());
            }
            catch (FormatException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            }
        }, seed: "0N0XIzNsQ0O2", iter: 3000, threads: 1);
    }
}
