using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Registry;
using CompactMemory.Tokens;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Hardening;

/// <summary>
/// Hostile-input properties of the public API (not the CLI): the tokenizer, the built-in engines, configurations,
/// registry lookups and the context-engine defaults. Fixed seeds, a few thousand cases each, seconds in CI.
/// </summary>
public sealed class PublicApiPropertyTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Pieces that break naive text code: surrogates (paired and lone), combining marks, CJK, controls, whitespace runs.</summary>
    private static readonly string[] Pieces =
    [
        "a", "word", "Hello", "the", "and", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", ".", "!", "?", ",", "Dr.",
        "\U0001F600", "\U0001F469\u200D\U0001F4BB", "\u0301", "e\u0301", "\ud800", "\udc00", "\udbff", "\U00020000", "漢字", "かな",
        "한국", "\0", "\u0007", "\u200B", "\uFEFF", "\uFFFF", "İ", "ß", "_", "x1234567890123456", "um", "like", "Straße",
    ];

    private static readonly Gen<string> HostileText =
        Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[0, 40].Select(parts => string.Concat(parts));

    private static readonly Gen<int> Budget = Gen.OneOf(Gen.Int[0, 40], Gen.Int[0, 2].Select(i => new[] { 0, 1, int.MaxValue }[i]));

    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A trace reads back as written. JSON text cannot hold an unpaired surrogate: it is written as U+FFFD, so a trace
    /// of text that is not valid UTF-16 reads back with U+FFFD there, and from then on round-trips exactly.
    /// </summary>
    private static void AssertRoundTrips(CompressionTrace trace, bool exact)
    {
        var json = trace.ToJson();
        var again = CompressionTrace.Parse(json).ToJson();
        if (exact)
        {
            Assert.Equal(json, again);
        }
        else
        {
            Assert.Equal(again, CompressionTrace.Parse(again).ToJson());
        }
    }

    [Fact]
    public void Tokenizer_keeps_every_character_counts_consistently_and_never_splits_a_pair()
    {
        var tokenizer = DefaultTokenizer.Instance;
        Gen.Select(HostileText, Gen.Int[0, 30]).Sample((text, limit) =>
        {
            var tokens = tokenizer.Tokenize(text);
            Assert.Equal(text.Trim(), tokenizer.Join(tokens));
            Assert.Equal(tokens.Count, tokenizer.CountTokens(text));
            Assert.Equal(text, string.Concat(tokens) + text[string.Concat(tokens).Length..]);

            var cut = tokenizer.Truncate(text, limit);
            Assert.StartsWith(cut, text, StringComparison.Ordinal);
            Assert.True(tokenizer.CountTokens(cut) <= Math.Max(0, limit));
            Assert.True(cut.Length == 0 || !(char.IsHighSurrogate(cut[^1]) && cut.Length < text.Length && char.IsLowSurrogate(text[cut.Length])), "a surrogate pair was split");
            Assert.Equal(text, tokenizer.Truncate(text, tokens.Count == 0 ? 1 : tokens.Count));
        }, seed: Seed, iter: 4000, threads: 1);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("\u0301")]
    [InlineData(" ")]
    [InlineData("\ud800")]
    [InlineData("漢")]
    public void Tokenizer_takes_linear_time_on_a_megabyte_of_one_character(string unit)
    {
        var text = string.Concat(Enumerable.Repeat(unit, 1 << 20));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var count = DefaultTokenizer.Instance.CountTokens(text);
        _ = DefaultTokenizer.Instance.Truncate(text, count / 2);
        _ = DefaultTokenizer.Instance.Tokenize(text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"{watch.Elapsed} (a bound only quadratic work crosses, not a speed claim) for a megabyte of U+{(int)unit[0]:X4}");
    }

    [Fact]
    public void Built_in_engines_stay_within_budget_invent_nothing_and_write_parseable_traces()
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        var pipelineConfig = EngineConfig.FromJsonObject(new JsonObject
        {
            ["engines"] = new JsonArray(new JsonObject { ["engine_name"] = "stopword_pruner" }, new JsonObject { ["engine_name"] = "first_last" }),
        });
        var engines = new[]
        {
            registry.CreateCompressionEngine("none"),
            registry.CreateCompressionEngine("first_last"),
            registry.CreateCompressionEngine("stopword_pruner"),
            registry.CreateCompressionEngine("pipeline", pipelineConfig),
            registry.CreateCompressionEngine("pipeline"),
        };
        var tokenizer = DefaultTokenizer.Instance;
        Gen.Select(HostileText, Budget, Gen.Int[0, engines.Length - 1], Gen.Bool).Sample((text, budget, which, asChunks) =>
        {
            var engine = engines[which];
            var result = asChunks
                ? engine.Compress(text.Split('\n').Append(null!).Prepend(string.Empty), budget)
                : engine.Compress(text, budget);
            var input = asChunks ? string.Join(engine is NoCompressionEngine ? "\n" : " ", text.Split('\n').Append(string.Empty).Prepend(string.Empty)) : text;
            var output = result.Text;

            if (engine is not PipelineEngine { Stages.Count: 0 })
            {
                Assert.True(tokenizer.CountTokens(output) <= budget, $"{engine.Id}: {tokenizer.CountTokens(output)} tokens > {budget}");
            }

            if (IsValidUtf16(input))
            {
                Assert.True(IsValidUtf16(output), $"{engine.Id} split a surrogate pair");
            }

            if (engine is NoCompressionEngine)
            {
                Assert.StartsWith(output, input, StringComparison.Ordinal);
            }
            else if (engine is FirstLastEngine && output != input)
            {
                var trimmed = input.Trim();
                Assert.True(
                    Enumerable.Range(0, output.Length + 1).Any(i => trimmed.StartsWith(output[..i], StringComparison.Ordinal) && trimmed.EndsWith(output[i..], StringComparison.Ordinal)),
                    "first_last output is not a head and a tail of its input");
            }

            var json = result.ToJson();
            Assert.NotNull(StrictUtf8.GetBytes(json));
            Assert.NotNull(JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }));
            AssertRoundTrips(result.Trace!, exact: IsValidUtf16(input));
        }, seed: Seed, iter: 3000, threads: 1);
    }

    private static readonly Gen<JsonNode?> HostileValue = Gen.Int[0, 11].SelectMany(kind => kind switch
    {
        0 => Gen.Const(() => (JsonNode?)null),
        1 => HostileText.Select(s => (JsonNode?)JsonValue.Create(s)),
        2 => Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        3 => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        4 => Gen.Int[0, 3].Select(i => (JsonNode?)JsonValue.Create(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 2.5 }[i])),
        5 => Gen.Int[0, 2].Select(i => (JsonNode?)JsonValue.Create(new[] { float.NaN, float.NegativeInfinity, 1e30f }[i])),
        6 => Gen.Int[1, 300].Select(depth => (JsonNode?)Nest(depth)),
        7 => Gen.Const<JsonNode?>(JsonNode.Parse("1e400")),
        8 => Gen.Const<JsonNode?>(JsonValue.Create(-5)),
        9 => Gen.Const<JsonNode?>(JsonValue.Create("yes")),
        10 => Gen.Const<JsonNode?>(JsonValue.Create("\ud800")),
        _ => Gen.Const<JsonNode?>(new JsonArray(1, "two", null)),
    });

    private static JsonNode Nest(int depth)
    {
        JsonNode node = JsonValue.Create(1);
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["k"] = node };
        }

        return node;
    }

    private static readonly string[] SettingKeys =
        ["preserve_order", "min_word_length", "remove_fillers", "remove_duplicates", "stopwords_language", "enable_trace", "engines", "x", "\ud800", ""];

    [Fact]
    public void Hostile_settings_and_parameters_give_a_result_or_a_ConfigurationException_naming_the_key()
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        var ids = new[] { "none", "first_last", "stopword_pruner", "pipeline" };
        var entry = Gen.Select(Gen.Int[0, SettingKeys.Length - 1], HostileValue);
        Gen.Select(Gen.Int[0, ids.Length - 1], entry.Array[0, 4], entry.Array[0, 2], Gen.Bool).Sample((which, settings, parameters, viaJson) =>
        {
            try
            {
                EngineConfig config;
                if (viaJson)
                {
                    var json = new JsonObject();
                    foreach (var (key, value) in settings)
                    {
                        json[SettingKeys[key]] = value?.DeepClone();
                    }

                    config = EngineConfig.FromJsonObject(json);
                }
                else
                {
                    config = new EngineConfig();
                    foreach (var (key, value) in settings)
                    {
                        config.Extras[SettingKeys[key]] = value?.DeepClone();
                    }
                }

                var options = new CompressionOptions
                {
                    Parameters = parameters.GroupBy(p => SettingKeys[p.Item1]).ToDictionary(g => g.Key, g => g.Last().Item2?.DeepClone()),
                };
                var result = registry.CreateCompressionEngine(ids[which], config).Compress("Um, the quick brown fox. It jumps!", 5, options);
                _ = result.ToJson();
                if (result.Trace is { } trace)
                {
                    AssertRoundTrips(trace, exact: false);
                }
            }
            catch (ConfigurationException ex)
            {
                Assert.True(ex.Message.Length < 2000, "message too long: " + ex.Message.Length);
                if (ex is PipelineConfigurationException)
                {
                    // A bad 'engines' list is named by what is wrong with it: the list, or the stage at fault.
                    Assert.True(ex.Message.Contains("'engines'", StringComparison.Ordinal) || ex.Message.StartsWith("stage ", StringComparison.Ordinal), ex.Message);
                }
                else
                {
                    Assert.Contains(SettingKeys, key => key.Length > 0 ? ex.Message.Contains(key, StringComparison.Ordinal) : ex.Message.Contains("''", StringComparison.Ordinal));
                }
            }
        }, seed: Seed, iter: 3000, threads: 1);
    }

    [Fact]
    public void Unknown_ids_give_a_short_printable_EngineNotFoundException_quickly()
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        var id = Gen.OneOf(HostileText, Gen.Int[0, 1 << 20].Select(n => new string('n', n)), Gen.Const("nonee"), Gen.Const(" none"));
        id.Sample(text =>
        {
            if (registry.TryGet(text, out _))
            {
                return;
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ex = Assert.Throws<EngineNotFoundException>(() => registry.Get(text));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{watch.Elapsed} (a bound only a blow-up crosses, not a speed claim) for an id of {text.Length} characters");
            Assert.True(ex.Message.Length < 1000);
            Assert.DoesNotContain(ex.Message, char.IsControl);
            Assert.Contains("Available: first_last, none, pipeline, stopword_pruner", ex.Message, StringComparison.Ordinal);
            Assert.Equal(text, ex.RequestedId);
        }, seed: Seed, iter: 300, threads: 1);
    }

    private sealed class DefaultsOnly : ContextEngine
    {
        public override string Name => "defaults_only";

        protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
            IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, System.Threading.CancellationToken cancellationToken)
            => Task.FromResult(messages);
    }

    private static readonly Gen<int> HostileCount = Gen.OneOf(Gen.Int, Gen.Int[-2, 2], Gen.Int[0, 3].Select(i => new[] { int.MinValue, int.MaxValue, -1, 0 }[i]));

    [Fact]
    public void Context_engine_defaults_keep_the_contract_on_hostile_counts_and_names()
    {
        var percent = Gen.OneOf(Gen.Double[-2, 2], Gen.Int[0, 3].Select(i => new[] { double.NaN, double.PositiveInfinity, 1e300, 0.75 }[i]));
        Gen.Select(HostileCount, HostileCount, HostileCount, percent, HostileText).Sample((prompt, total, contextLength, thresholdPercent, name) =>
        {
            var engine = new DefaultsOnly { ThresholdPercent = thresholdPercent };
            engine.UpdateFromResponse(new TokenUsage { PromptTokens = prompt, CompletionTokens = total, TotalTokens = total });
            engine.UpdateModel(name, contextLength);
            Assert.Equal(contextLength, engine.ContextLength);
            var expected = contextLength * thresholdPercent;
            Assert.Equal(
                double.IsNaN(expected) ? 0 : expected >= int.MaxValue ? int.MaxValue : expected <= int.MinValue ? int.MinValue : (int)expected,
                engine.ThresholdTokens);
            Assert.Equal(engine.ThresholdTokens > 0 && prompt >= engine.ThresholdTokens, engine.ShouldCompress());

            var status = engine.GetStatus();
            Assert.Equal(Math.Max(0, prompt), status.LastPromptTokens);
            Assert.InRange(status.UsagePercent, 0.0, 100.0);
            Assert.Equal(contextLength > 0 ? Math.Min(100.0, Math.Max(0, prompt) / (double)contextLength * 100.0) : 0.0, status.UsagePercent);
            Assert.Equal(
                ["last_prompt_tokens", "threshold_tokens", "context_length", "usage_percent", "compression_count"],
                status.ToJsonObject().Select(p => p.Key));
            _ = status.ToJsonObject().ToJsonString();

            var reply = engine.HandleToolCallAsync(name, name).AsTask().GetAwaiter().GetResult();
            var error = JsonNode.Parse(StrictUtf8.GetBytes(reply))!["error"]!.GetValue<string>();
            Assert.StartsWith("Unknown context engine tool: ", error, StringComparison.Ordinal);
            Assert.True(error.Length <= "Unknown context engine tool: ".Length + 100);

            var compacted = engine.CompressAsync([null!, new ChatMessage(), new ChatMessage(ChatRole.User, name)], prompt, name, force: true, memoryContext: null!)
                .GetAwaiter().GetResult();
            Assert.Equal(3, compacted.Count);
            Assert.Equal(1, engine.CompressionCount);
        }, seed: Seed, iter: 3000, threads: 1);
    }
}
