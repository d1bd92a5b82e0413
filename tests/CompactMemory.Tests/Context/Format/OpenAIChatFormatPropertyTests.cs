using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.Context;
using CsCheck;
using Xunit;

namespace CompactMemory.Tests.Context.Format;

/// <summary>
/// Generated OpenAI chat-completions conversations (every role, string / null / absent / list / object contents,
/// image and unknown parts, tool calls with id / call_id variants and non-object arguments, unknown and private keys,
/// shuffled key orders) read and written back: the text comes back identical, and a second round trip changes nothing.
/// Byte mutations of such conversations are either read or refused with a <see cref="ChatFormatException"/>.
/// </summary>
public sealed class OpenAIChatFormatPropertyTests
{
    private const ulong Seed = 20261203_11;

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Gen<string> Text =
        Gen.OneOf<string>("a", "Hello", " ", "é", "😀", "\n", "\"", "\\", "<&>", "\t", "\u0001", "0", "日本", "{", "}")
            .Array[0, 8]
            .Select(parts => string.Concat(parts));

    private static readonly Gen<string> Id = Gen.Int[0, 999].Select(n => "call_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Gen<string> Arguments = Gen.OneOf(
        Gen.Const("{}"),
        Text.Select(t => "{\"path\": " + Quote(t) + "}"),
        Text.Select(t => "{ \"q\" : " + Quote(t) + " ,\"n\": 1.50, \"deep\": {\"list\": [true, null, 1e5]} }"),
        Gen.Const("{\"a\":1,\"b\":[1,2]}"),
        Gen.Const("not json"),
        Gen.Const("[1, 2]"),
        Gen.Const(string.Empty),
        Gen.Const("\"just a string\""),
        Gen.Const("{\"truncated\": "),
        Text);

    private static readonly Gen<JsonNode?> Part = Gen.OneOf<JsonNode?>(
        Text.Select(t => (JsonNode?)Obj(("type", "text"), ("text", t))),
        Text.Select(t => (JsonNode?)Obj(("text", t), ("type", "text"), ("cache_control", Obj(("type", "ephemeral"))))),
        Text.Select(t => (JsonNode?)JsonValue.Create(t)),
        Gen.Int[0, 0].Select(_ => (JsonNode?)Obj(("type", "image_url"), ("image_url", Obj(("url", "https://example.com/a.png"), ("detail", "low"))))),
        Gen.Int[0, 0].Select(_ => (JsonNode?)Obj(("type", "image_url"), ("image_url", Obj(("url", "data:image/png;base64,iVBORw0KGgo="))))),
        Gen.Int[0, 0].Select(_ => (JsonNode?)Obj(("type", "input_image"), ("image_url", "https://example.com/b.jpg"), ("detail", "auto"))),
        Gen.Int[0, 0].Select(_ => (JsonNode?)Obj(("type", "image"), ("source", Obj(("type", "base64"), ("media_type", "image/jpeg"), ("data", "/9j/4AAQ"))))),
        Gen.Int[0, 0].Select(_ => (JsonNode?)Obj(("type", "image_url"), ("image_url", Obj(("url", "not a url"))))),
        Gen.Int[0, 0].Select(_ => (JsonNode?)Obj(("type", "input_audio"), ("input_audio", Obj(("data", "AAA="), ("format", "wav"))))),
        Gen.Int[0, 0].Select(_ => (JsonNode?)JsonValue.Create(42)));

    private static readonly Gen<JsonNode?> ListContent = Part.List[0, 4].Select(parts => (JsonNode?)new JsonArray(parts.Select(p => p?.DeepClone()).ToArray()));

    private static readonly Gen<JsonNode?> Call =
        Gen.Select(Id, Id, Gen.Int[0, 5], Text, Arguments, Gen.Int[0, 1000]).Select(t =>
        {
            var (id, other, variant, name, arguments, order) = t;
            var entries = new List<(string, JsonNode?)>();
            switch (variant)
            {
                case 0:
                    entries.Add(("id", id));
                    break;
                case 1:
                    entries.Add(("id", id));
                    entries.Add(("call_id", id));
                    break;
                case 2:
                    entries.Add(("id", "fc_" + other));
                    entries.Add(("call_id", id));
                    break;
                case 3:
                    entries.Add(("call_id", id));
                    break;
                case 4:
                    entries.Add(("id", id));
                    entries.Add(("index", 0));
                    break;
                default:
                    entries.Add(("id", id));
                    break;
            }

            entries.Add(("type", "function"));
            var function = variant == 5
                ? Obj(("arguments", arguments), ("name", "tool_" + name.Length), ("strict", true))
                : Obj(("name", "tool_" + name.Length), ("arguments", arguments));
            entries.Add(("function", function));
            return (JsonNode?)Shuffled(entries, order);
        });

    private static readonly Gen<List<(string, JsonNode?)>> Extras = Gen.Int[0, 3].Select(n => n switch
        {
            0 => new List<(string, JsonNode?)>(),
            1 => new List<(string, JsonNode?)> { ("_compressed_summary", true) },
            2 => new List<(string, JsonNode?)> { ("metadata", Obj(("k", new JsonArray(1, "x")))), ("x_custom", 3.25) },
            _ => new List<(string, JsonNode?)> { ("refusal", null), ("_db_persisted", true) },
        });

    private static readonly Gen<JsonNode?> Message = Gen.OneOf(
        Gen.Select(Gen.OneOf<string>("system", "developer"), Text, Extras, Gen.Int[0, 1000]).Select(t =>
            (JsonNode?)Shuffled(new List<(string, JsonNode?)> { ("role", t.Item1), ("content", t.Item2) }.Concat(t.Item3).ToList(), t.Item4)),
        Gen.Select(Gen.OneOf(Text.Select(s => (JsonNode?)s), ListContent, Gen.Int[0, 0].Select(_ => (JsonNode?)null)), Gen.Bool, Extras, Gen.Int[0, 1000]).Select(t =>
        {
            var entries = new List<(string, JsonNode?)> { ("role", "user"), ("content", t.Item1) };
            if (t.Item2)
            {
                entries.Add(("name", "alice"));
            }

            return (JsonNode?)Shuffled(entries.Concat(t.Item3).ToList(), t.Item4);
        }),
        Gen.Select(Gen.Int[0, 3], Text, Call.List[1, 3], Gen.Int[0, 3], Extras, Gen.Int[0, 1000]).Select(t =>
        {
            var (contentKind, text, calls, callsKind, extras, order) = t;
            var entries = new List<(string, JsonNode?)> { ("role", "assistant") };
            switch (contentKind)
            {
                case 0:
                    entries.Add(("content", text));
                    break;
                case 1:
                    entries.Add(("content", null));
                    break;
                case 2:
                    entries.Add(("content", new JsonArray(Obj(("type", "text"), ("text", text)), Obj(("type", "refusal"), ("refusal", "no")))));
                    break;
            }

            switch (callsKind)
            {
                case 0:
                    entries.Add(("tool_calls", new JsonArray(calls.Select(c => c?.DeepClone()).ToArray())));
                    break;
                case 1:
                    entries.Add(("tool_calls", null));
                    break;
                case 2:
                    entries.Add(("tool_calls", new JsonArray()));
                    break;
            }

            return (JsonNode?)Shuffled(entries.Concat(extras).ToList(), order);
        }),
        Gen.Select(Gen.Int[0, 4], Text, Id, Gen.Bool, Extras, Gen.Int[0, 1000], ListContent).Select(t =>
        {
            var (contentKind, text, id, withId, extras, order, list) = t;
            var entries = new List<(string, JsonNode?)> { ("role", "tool") };
            if (withId)
            {
                entries.Add(("tool_call_id", id));
            }

            switch (contentKind)
            {
                case 0:
                    entries.Add(("content", text));
                    break;
                case 1:
                    entries.Add(("content", null));
                    break;
                case 2:
                    entries.Add(("content", list));
                    break;
                case 3:
                    entries.Add(("content", Obj(("_multimodal", true), ("text_summary", text))));
                    break;
            }

            return (JsonNode?)Shuffled(entries.Concat(extras).ToList(), order);
        }));

    /// <summary>A conversation as compact JSON text written with the same (relaxed) escaping the format writes.</summary>
    internal static readonly Gen<string> Conversation =
        Message.List[0, 12].Select(messages => new JsonArray(messages.Select(m => m?.DeepClone()).ToArray()).ToJsonString(Relaxed));

    [Fact]
    public void Generated_conversations_round_trip_exactly()
    {
        ForAll(Conversation, 3_000, Seed, json =>
        {
            var parsed = OpenAIChatFormat.ParseMessages(json);
            var written = OpenAIChatFormat.Serialize(parsed);
            if (written != json)
            {
                return "written back differently:\n" + Diff(json, written);
            }

            var again = OpenAIChatFormat.Serialize(OpenAIChatFormat.ParseMessages(written));
            return again == written ? null : "second round trip differs:\n" + again;
        });
    }

    [Fact]
    public void Generated_conversations_round_trip_through_copies()
    {
        // Hosts and engines copy messages before editing them: a copy is written exactly like the original.
        ForAll(Conversation, 1_000, Seed + 1, json =>
        {
            var copies = OpenAIChatFormat.ParseMessages(json).Select(m => ChatMessageFacts.Copy(m)).ToList();
            var written = OpenAIChatFormat.Serialize(copies);
            return written == json ? null : "copies written back differently:\n" + Diff(json, written);
        });
    }

    [Fact]
    public void Without_private_keys_no_underscore_key_is_written_and_everything_else_is()
    {
        ForAll(Conversation, 1_000, Seed + 2, json =>
        {
            var parsed = OpenAIChatFormat.ParseMessages(json);
            var expected = JsonNode.Parse(json)!.AsArray();
            foreach (var message in expected)
            {
                var obj = message!.AsObject();
                foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('_')).ToList())
                {
                    obj.Remove(key);
                }
            }

            var written = OpenAIChatFormat.Serialize(parsed, includePrivateKeys: false);
            return written == expected.ToJsonString(Relaxed) ? null : "without private keys:\n" + written;
        });
    }

    [Fact]
    public void Mutated_conversations_are_read_or_refused_with_a_format_error_and_nothing_else()
    {
        var mutated = Gen.Select(Conversation, Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, 3]).Select(t =>
        {
            var (json, at, value, kind) = t;
            var bytes = Encoding.UTF8.GetBytes(json).ToList();
            if (bytes.Count == 0)
            {
                return json;
            }

            var i = at % bytes.Count;
            switch (kind)
            {
                case 0:
                    bytes[i] = value;
                    break;
                case 1:
                    bytes.RemoveAt(i);
                    break;
                case 2:
                    bytes.Insert(i, (byte)"{}[]\",:0n"[value % 9]);
                    break;
                default:
                    bytes.RemoveRange(i, bytes.Count - i);
                    break;
            }

            return Encoding.UTF8.GetString(bytes.ToArray());
        });
        ForAll(mutated, 3_000, Seed + 3, json =>
        {
            try
            {
                var parsed = OpenAIChatFormat.ParseMessages(json);
                _ = OpenAIChatFormat.Serialize(parsed);
                return null;
            }
            catch (ChatFormatException ex)
            {
                return ex.Message.Length > 0 && !ex.Message.Contains("LineNumber:", StringComparison.Ordinal) ? null : "unclear message: " + ex.Message;
            }
            catch (Exception ex)
            {
                return "threw " + ex.GetType().Name + ": " + ex.Message;
            }
        });
    }

    private static void ForAll(Gen<string> gen, int cases, ulong seed, Func<string, string?> check)
    {
        var random = new PCG(11, seed);
        for (var i = 0; i < cases; i++)
        {
            var value = gen.Generate(random, null!, out _);
            var failure = check(value);
            if (failure is not null)
            {
                throw new InvalidOperationException($"case {i} of seed {seed}: {failure}\ninput: {value}");
            }
        }
    }

    private static string Diff(string expected, string actual)
    {
        var i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
        {
            i++;
        }

        var from = Math.Max(0, i - 60);
        return "at " + i + ": expected …" + expected.Substring(from, Math.Min(120, expected.Length - from)) + "\n   actual …" + actual.Substring(from, Math.Min(120, actual.Length - from));
    }

    private static string Quote(string text) => JsonValue.Create(text).ToJsonString(Relaxed);

    private static JsonObject Obj(params (string Key, JsonNode? Value)[] entries)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in entries)
        {
            obj[key] = value?.DeepClone();
        }

        return obj;
    }

    private static JsonObject Shuffled(List<(string Key, JsonNode? Value)> entries, int seed)
    {
        var random = new Random(seed);
        var order = entries.OrderBy(_ => random.Next()).ToList();
        return Obj(order.ToArray());
    }
}
