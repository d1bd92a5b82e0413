using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using CompactMemory.Context;
using CsCheck;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>
/// Generated tool calls for an engine, built from its own tool schemas, and the invariants every result must keep.
/// Arguments are mostly valid for the schema (so calls reach the tools and their results are written), then mutated
/// character by character, or JSON with the tool's names and random values, escapes of unpaired surrogates, huge and
/// out-of-range numbers, deep nesting, literal unpaired surrogates, a BOM, or text that is no JSON at all; tool names
/// are the engine's, near misses, and any UTF-16 text.
/// </summary>
internal sealed class ToolFuzz
{
    /// <summary>The longest error message any call may return (excerpts are bounded; see ToolSupportEmitter).</summary>
    public const int MaxErrorLength = 1000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Text a JSON string may hold that breaks it: escapes of unpaired surrogates, and its own escapes and quotes.</summary>
    private static readonly Gen<string> HostilePiece = Gen.Frequency(
        (3, Gen.OneOf("\\ud800", "\\udbff", "\\udc00", "\\uDFFF", "\\ud83d\\ud83d", "\\ude00\\ud83d", "\\ud800\\u0041")),
        (1, Gen.OneOf("\\\"", "\\\\", "\\n", "\\u0000", "\\/", "\\t", "\\ud83d\\ude00", "😀", "é", "\u2028", "\uFFFD")),
        (1, Gen.Int[50, 400].Select(n => new string('x', n))));

    /// <summary>Text a JSON string may hold, mostly plausible values of the supported types, some of it hostile.</summary>
    private static readonly Gen<string> StringPiece = Gen.Frequency(
        (6, Gen.Char["abcxyzABC 0123456789-_.:/+"].Array[0, 8].Select(chars => new string(chars))),
        (4, Gen.OneOf(
            "0f8fad5b-d9cb-469f-a165-70867728950e", "2024-05-06T07:08:09Z", "2024-05-06", "2024-05-06T07:08:09.5+02:00", "1.02:03:04.5", "00:01:00",
            "https://example.com/a b?q=1", "docs/readme.md", "Calm", "angry", "very-happy", "VERY-HAPPY", "12", "-3", "1e3", "x", "q", "255", "1e400", "NaN")),
        (5, HostilePiece));

    private static readonly Gen<string> JsonString = StringPiece.Array[0, 4].Select(parts => "\"" + string.Concat(parts) + "\"");

    /// <summary>Mostly plain text, sometimes with a hostile piece.</summary>
    private static readonly Gen<string> FriendlyString = Gen.Frequency(
        (12, Gen.Char["abcxyz 0123456789-_.é"].Array[0, 12].Select(chars => "\"" + new string(chars) + "\"")),
        (1, Gen.Select(Gen.Char["abc"].Array[0, 4], HostilePiece).Select(t => "\"" + new string(t.Item1) + t.Item2 + "\"")));

    private static readonly Gen<string> EdgeNumber = Gen.OneOf(
        "1e400", "-1e400", "1e-400", "-0", "0.1", "1.5", "3.4e39", "18446744073709551615", "18446744073709551616", "-9223372036854775809", "4294967296",
        "79228162514264337593543950336", "1E+2", "255", "256", "-128", "-129", "65536", "32768", "2147483648");

    private static readonly Gen<string> JsonNumber = Gen.Frequency(
        (4, Gen.Int[-300, 300].Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (2, EdgeNumber),
        (1, Gen.Int[20, 2000].Select(n => "9" + new string('8', n))));

    private static readonly Gen<string> JsonLeaf = Gen.Frequency(
        (4, JsonString),
        (4, JsonNumber),
        (1, Gen.OneOf("true", "false")),
        (2, Gen.Const("null")));

    /// <summary>Text that is not JSON, not an object, not UTF-16, or otherwise on an edge.</summary>
    private static readonly Gen<string?> OddArguments = Gen.OneOf<string?>(
        null, string.Empty, "   ", "\t\n", "null", "[]", "[1]", "\"s\"", "1", "true", "\uFEFF{}", "\uFEFF", "\uFEFF\uFEFF{}", "{} x", "{}{}", "{/*c*/}",
        "{\"v\": 1,}", "\ud800", "{\"v\": \"\ud800\"}", "{\"\udc00\": 1}", "\0", "{", "}", "{\"v\"}", "{\"v\":}", "{'v': 1}", "{\"v\": 01}", "{\"v\": .5}",
        "{\"v\": NaN}", "{\"v\": Infinity}", "{\"v\": \"\\x\"}", "{\"v\": \"a\u0001b\"}", "{\"v\": \"\\u12\"}");

    private static readonly Gen<string> Snippet = Gen.OneOf(
        "\"", "\\", "{", "}", "[", "]", ",", ":", "\ud800", "\udc00", "\uFEFF", "\\ud800", "\\u", "null", "1e999", " ", "\n", "/*", "\0", "é", "😀", "\"\\udfff\"");

    /// <summary>One edit of a text: delete, insert, replace a character, truncate, or repeat a slice.</summary>
    private static readonly Gen<Func<string, string>> Mutation = Gen.Frequency(
        (3, Gen.Select(Gen.Double.Unit, Gen.Int[1, 6]).Select<(double, int), Func<string, string>>(t => text => Delete(text, t.Item1, t.Item2))),
        (3, Gen.Select(Gen.Double.Unit, Snippet).Select<(double, string), Func<string, string>>(t => text => text.Insert(At(text, t.Item1), t.Item2))),
        (2, Gen.Select(Gen.Double.Unit, Gen.Char).Select<(double, char), Func<string, string>>(t => text => Replace(text, t.Item1, t.Item2))),
        (1, Gen.Double.Unit.Select<double, Func<string, string>>(f => text => text[..At(text, f)])),
        (1, Gen.Select(Gen.Double.Unit, Gen.Int[1, 20]).Select<(double, int), Func<string, string>>(t => text => Repeat(text, t.Item1, t.Item2))));

    private readonly string[] _toolNames;
    private readonly Gen<string> _key;
    private readonly Gen<string> _jsonValue;

    /// <summary>Generators for the tools of <paramref name="engine"/>, read from its schemas.</summary>
    public ToolFuzz(IContextEngine engine)
    {
        var schemas = engine.GetToolSchemas();
        _toolNames = schemas.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        var knownNames = schemas.SelectMany(s => PropertyNames(s.Parameters)).Append("v").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _key = Gen.Frequency(
            (10, Gen.OneOf(knownNames).Select(name => "\"" + name + "\"")),
            (1, Gen.OneOf(knownNames).Select(name => "\"" + name.ToUpperInvariant() + "\"")),
            (2, JsonString));
        _jsonValue = Gen.Recursive<string>((depth, self) => depth >= 4
            ? JsonLeaf
            : Gen.Frequency(
                (6, JsonLeaf),
                (2, self.Array[0, 4].Select(items => "[" + string.Join(", ", items) + "]")),
                (3, Gen.Select(_key, self).Array[0, 5].Select(Object))));

        var valid = schemas.ToDictionary(s => s.Name, s => Valid(s.Parameters, 0), StringComparer.Ordinal);
        var shaped = schemas.ToDictionary(s => s.Name, s => Shaped(PropertyNames(s.Parameters).ToArray()), StringComparer.Ordinal);
        Call = Gen.OneOf(_toolNames).SelectMany(tool => Gen.Frequency<string?>(
                (8, valid[tool]),
                (4, Gen.Select(valid[tool], Mutation.Array[1, 4]).Select(t => t.Item2.Aggregate(t.Item1, (text, mutate) => mutate(text)))),
                (3, shaped[tool]),
                (2, Gen.Select(shaped[tool], Mutation.Array[1, 4]).Select(t => t.Item2.Aggregate(t.Item1, (text, mutate) => mutate(text)))),
                (1, Deep(shaped[tool], PropertyNames(schemas.Single(s => s.Name == tool).Parameters).Append("v").ToArray())),
                (1, OddArguments))
            .Select(arguments => (tool, arguments)));
        ToolName = Gen.Frequency(
            (2, Gen.OneOf(_toolNames)),
            (2, Gen.OneOf(_toolNames).Select(name => name.ToUpperInvariant())),
            (4, Gen.Char.Array[0, 20].Select(chars => new string(chars))),
            (1, Gen.Char.Array[90, 400].Select(chars => new string(chars))),
            (1, Gen.OneOf("\ud800", "\udc00", "a\ud800b", "\ud83d\ude00", new string('x', 99) + "\ud83d\ude00", string.Empty)));
    }

    /// <summary>A tool of the engine and argument text for it.</summary>
    public Gen<(string Tool, string? Arguments)> Call { get; }

    /// <summary>A tool name the engine may or may not have: its own, near misses, and any UTF-16 text (unpaired surrogates included).</summary>
    public Gen<string> ToolName { get; }

    /// <summary>Every property name in a schema, at any depth.</summary>
    private static IEnumerable<string> PropertyNames(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var property in schema.EnumerateObject())
        {
            if (property.NameEquals("properties"))
            {
                foreach (var named in property.Value.EnumerateObject())
                {
                    yield return named.Name;
                    foreach (var nested in PropertyNames(named.Value))
                    {
                        yield return nested;
                    }
                }
            }
            else if (property.NameEquals("items"))
            {
                foreach (var nested in PropertyNames(property.Value))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A value the schema describes, mostly valid: plausible text for each format, sometimes null where allowed, sometimes a hostile string.</summary>
    private static Gen<string> Valid(JsonElement schema, int depth)
    {
        var types = !schema.TryGetProperty("type", out var type) ? [] : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
        var main = types.FirstOrDefault(t => t != "null") ?? "object";
        Gen<string> gen;
        if (schema.TryGetProperty("enum", out var values))
        {
            var names = values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => "\"" + v.GetString() + "\"").ToArray();
            gen = Gen.Frequency((6, Gen.OneOf(names)), (1, Gen.OneOf(names).Select(n => n.ToUpperInvariant())), (1, FriendlyString));
        }
        else
        {
            gen = main switch
            {
                "string" when Has(schema, "format", "uuid") => Gen.Frequency((8, Gen.Int.Select(i => "\"" + new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).ToString() + "\"")), (1, FriendlyString)),
                "string" when Has(schema, "format", "date-time") => Gen.Frequency(
                    (8, Gen.OneOf("\"2024-05-06T07:08:09Z\"", "\"2024-05-06\"", "\"2024-05-06T07:08:09.5+02:00\"", "\"9999-12-31T23:59:59.9999999\"", "\"0001-01-01T00:00:00\"")),
                    (1, FriendlyString)),
                "string" when Has(schema, "format", "uri") => Gen.Frequency((8, Gen.OneOf("\"https://example.com/a b?q=1\"", "\"docs/readme.md\"", "\"\"", "\"mailto:a@b.c\"")), (1, FriendlyString)),
                "string" when schema.TryGetProperty("pattern", out _) => Gen.Frequency(
                    (8, Gen.OneOf("\"00:01:00\"", "\"1.02:03:04.5\"", "\"-00:00:01\"", "\"10675199.02:48:05.4775807\"")),
                    (1, FriendlyString)),
                "string" when schema.TryGetProperty("maxLength", out _) => Gen.Frequency((8, Gen.OneOf("\"a\"", "\"é\"", "\"\\u0041\"", "\"\\\"\"")), (1, Gen.OneOf("\"😀\"", "\"ab\"", "\"\"", "\"\\ud800\""))),
                "string" => FriendlyString,
                "integer" => Gen.Frequency((8, Gen.Int[-5, 300].Select(i => i.ToString(CultureInfo.InvariantCulture))), (1, EdgeNumber), (1, Gen.Int[0, 99].Select(i => "\"" + i.ToString(CultureInfo.InvariantCulture) + "\""))),
                "number" => Gen.Frequency((8, Gen.Double[-1e6, 1e6].Select(d => d.ToString("R", CultureInfo.InvariantCulture))), (1, EdgeNumber)),
                "boolean" => Gen.OneOf("true", "false"),
                "array" => depth > 4 ? Gen.Const("[]") : Valid(schema.GetProperty("items"), depth + 1).Array[0, 3].Select(items => "[" + string.Join(", ", items) + "]"),
                _ => ValidObject(schema, depth),
            };
        }

        return types.Contains("null") ? Gen.Frequency((5, gen), (1, Gen.Const("null"))) : gen;
    }

    private static Gen<string> ValidObject(JsonElement schema, int depth)
    {
        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
        var properties = Gen.Const(string.Empty);
        if (depth <= 4 && schema.TryGetProperty("properties", out var declared))
        {
            foreach (var property in declared.EnumerateObject())
            {
                var member = "\"" + property.Name + "\": ";
                var value = Valid(property.Value, depth + 1);
                var optional = required.Contains(property.Name) ? value.Select(v => (string?)v) : Gen.Frequency((1, value.Select(v => (string?)v)), (1, Gen.Const((string?)null)));
                properties = Gen.Select(properties, optional, (text, next) => next is null ? text : text.Length == 0 ? member + next : text + ", " + member + next);
            }
        }

        return properties.Select(text => "{" + text + "}");
    }

    private static bool Has(JsonElement schema, string name, string value) =>
        schema.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.ValueEquals(value);

    private static string Object((string Key, string Value)[] properties) =>
        "{" + string.Join(", ", properties.Select(p => p.Key + ": " + p.Value)) + "}";

    /// <summary>A JSON object whose keys are mostly the tool's own argument and property names, with any values.</summary>
    private Gen<string> Shaped(string[] names)
    {
        var key = names.Length == 0 ? _key : Gen.Frequency((6, Gen.OneOf(names).Select(name => "\"" + name + "\"")), (1, _key));
        return Gen.Select(key, _jsonValue).Array[0, 8].Select(Object);
    }

    private static int At(string text, double fraction) => Math.Clamp((int)(fraction * (text.Length + 1)), 0, text.Length);

    private static string Delete(string text, double fraction, int length)
    {
        var at = At(text, fraction);
        return text.Remove(at, Math.Min(length, text.Length - at));
    }

    private static string Replace(string text, double fraction, char c)
    {
        var at = At(text, fraction);
        return at == text.Length ? text + c : text[..at] + c + text[(at + 1)..];
    }

    private static string Repeat(string text, double fraction, int length)
    {
        var at = At(text, fraction);
        var slice = text.Substring(at, Math.Min(length, text.Length - at));
        return text.Insert(at, slice);
    }

    /// <summary>A value nested <c>depth</c> levels deep in arrays or objects, under one of the tool's names.</summary>
    private static Gen<string> Deep(Gen<string> inner, string[] names) =>
        Gen.Select(Gen.Int[1, 200], Gen.Bool, inner, Gen.OneOf(names)).Select(t =>
        {
            var (depth, arrays, value, name) = t;
            var open = arrays ? new string('[', depth) : string.Concat(Enumerable.Repeat("{\"" + name + "\": ", depth));
            var close = arrays ? new string(']', depth) : new string('}', depth);
            return "{\"" + name + "\": " + open + value + close + "}";
        });

    /// <summary>Runs one call and checks the result; returns whether it was an error. Throws <see cref="FuzzFailure"/> on a broken promise.</summary>
    public static bool Check(IContextEngine engine, string tool, string? arguments, bool raw)
    {
        string result;
        try
        {
            var call = engine.HandleToolCallAsync(tool, arguments!, null, CancellationToken.None);
            result = call.IsCompletedSuccessfully ? call.Result : call.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            throw new FuzzFailure($"{tool}({Show(arguments)}) threw {exception.GetType().Name}: {exception.Message}", exception);
        }

        return CheckResult(tool, arguments, result, raw);
    }

    /// <summary>The invariants of one result; returns whether it was an error.</summary>
    public static bool CheckResult(string tool, string? arguments, string? result, bool raw)
    {
        if (result is null)
        {
            throw new FuzzFailure($"{tool}({Show(arguments)}) returned null");
        }

        try
        {
            StrictUtf8.GetBytes(result);
        }
        catch (EncoderFallbackException)
        {
            throw new FuzzFailure($"{tool}({Show(arguments)}) returned text that is not valid UTF-16: {Show(result)}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(result);
        }
        catch (JsonException) when (raw)
        {
            return false;
        }
        catch (JsonException exception)
        {
            throw new FuzzFailure($"{tool}({Show(arguments)}) returned text that is not JSON ({exception.Message}): {Show(result)}");
        }

        using (document)
        {
            if (ErrorMessage(document.RootElement) is not { } message)
            {
                return false;
            }

            if (raw && !message.StartsWith("Tool '", StringComparison.Ordinal) && !message.StartsWith("Context engine tool '", StringComparison.Ordinal))
            {
                // A raw tool's own text that happens to look like an error.
                return false;
            }

            if (!message.Contains("'" + tool + "'", StringComparison.Ordinal))
            {
                throw new FuzzFailure($"{tool}({Show(arguments)}): the error does not name the tool: {Show(message)}");
            }

            if (message.Length > MaxErrorLength)
            {
                throw new FuzzFailure($"{tool}({Show(arguments)}): an error of {message.Length} characters: {Show(message)}");
            }

            if (message.Contains("\n   at ", StringComparison.Ordinal))
            {
                throw new FuzzFailure($"{tool}({Show(arguments)}): the error holds a stack trace: {Show(message)}");
            }

            return true;
        }
    }

    /// <summary>The message of an <c>{"error": "…"}</c> object (its only property), or null.</summary>
    public static string? ErrorMessage(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        using var properties = root.EnumerateObject();
        if (!properties.MoveNext() || properties.Current.Name != "error" || properties.Current.Value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var message = properties.Current.Value.GetString();
        return properties.MoveNext() ? null : message;
    }

    /// <summary>Text for a failure report: escaped, so unpaired surrogates and control characters show, and bounded.</summary>
    public static string Show(string? text)
    {
        if (text is null)
        {
            return "null";
        }

        var builder = new StringBuilder("\"");
        foreach (var c in text.Length > 300 ? text[..300] : text)
        {
            builder.Append(c < ' ' || char.IsSurrogate(c) || c == '"' || c == '\\' ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        }

        return builder.Append(text.Length > 300 ? "\"... (" + text.Length.ToString(CultureInfo.InvariantCulture) + " characters)" : "\"").ToString();
    }
}

/// <summary>A broken promise of the tool dispatch, found by generated input.</summary>
internal sealed class FuzzFailure : Exception
{
    public FuzzFailure(string message)
        : base(message)
    {
    }

    public FuzzFailure(string message, Exception inner)
        : base(message, inner)
    {
    }
}
