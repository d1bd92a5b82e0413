using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CompactMemory.Manifest;
using CsCheck;

namespace CompactMemory.Tests.Manifest;

/// <summary>
/// Hostile manifests, shared by the hardening tests, the property tests and the benchmarks (which link this file):
/// the worst shapes found, each as large as the 1 MiB cap allows, and CsCheck generators of random ones.
/// </summary>
internal static class HostileManifests
{
    /// <summary>The largest input, in bytes, a shape may reach (the reader's cap, less a margin for the tail).</summary>
    public const int Size = ManifestSchema.MaxBytes - 64;

    /// <summary>A valid manifest, the seed of the mutation generators.</summary>
    public const string Valid = """
        package_format_version: "1.0"
        engine_id: my_engine
        engine_class_name: Acme.Engines.MyEngine
        engine_module: Acme.Engines
        display_name: My Engine
        version: "1.2.3"
        authors:
          - Ada Lovelace <ada@example.com>
          - name: Charles Babbage
            email: charles@example.com
        description: Keeps the important parts.
        dependencies: [Acme.Core]
        requirements:
          - numpy>=1.0
        overrides_builtin: true

        """;

    /// <summary>The worst shapes found, by name: each is at most <see cref="Size"/> bytes of UTF-8.</summary>
    public static IReadOnlyDictionary<string, Func<string>> Shapes { get; } = new SortedDictionary<string, Func<string>>(StringComparer.Ordinal)
    {
        // The reproduction: one long scalar, anchored, then its alias as a duplicate key again and again.
        ["alias_long_duplicate_keys"] = () => Repeat("? &k " + new string('k', Size / 2) + "\n: 1\n", "? *k\n: 1\n"),

        // The reproduction: one long number, anchored, then its alias as an authors item of the wrong type.
        ["alias_long_bad_authors"] = () => Repeat("x: &a !!int " + new string('9', Size / 2) + "\nauthors: [*a", ",*a", "]\n"),

        // A 100-character key used as a duplicate key until the node budget runs out: every use is a problem.
        ["alias_short_duplicate_keys"] = () => Repeat("? &k " + new string('k', 100) + "\n: 1\n", "? *k\n: 1\n", "", ManifestSchema.MaxNodes / 2 - 2),

        // As many wrong-type authors as the node budget allows, each one a problem.
        ["many_bad_authors"] = () => Repeat("authors: [1", ",1", "]\n", ManifestSchema.MaxNodes - 3),

        // As many unknown fields as the node budget allows, each one a warning with the key quoted.
        ["many_unknown_fields"] = () => Join(ManifestSchema.MaxNodes / 2 - 1, i => "field_" + i.ToString(CultureInfo.InvariantCulture) + ": 1\n"),

        // The same known field again and again: each repeat is a duplicate.
        ["many_duplicate_fields"] = () => Join(ManifestSchema.MaxNodes / 2 - 1, _ => "engine_id: x\n"),

        // Billion laughs: nine lists of nine aliases of the list before.
        ["alias_node_bomb"] = () =>
        {
            var text = new StringBuilder("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
            for (var level = 'b'; level <= 'z'; level++)
            {
                text.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + (char)(level - 1), 9))).Append("]\n");
            }

            return text.ToString();
        },

        // Few nodes, many characters: a 50,000-character scalar in lists of aliases of lists.
        ["alias_character_bomb"] = () =>
        {
            var text = new StringBuilder("a: &a [" + new string('x', 50_000) + "]\n");
            for (var level = 'b'; level <= 'k'; level++)
            {
                text.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + (char)(level - 1), 4))).Append("]\n");
            }

            return text.ToString();
        },

        // A %TAG prefix the parser expands on every node that uses its handle.
        ["tag_prefix_bomb"] = () => Repeat("%TAG !e! tag:" + new string('t', Size / 2) + ":\n---\nx: [!e!a 1", ", !e!a 1", "]\n"),

        // 1 MiB of '[': nesting far past the depth limit.
        ["deep_flow_nesting"] = () => new string('[', Size),

        // 1 MiB of '{a: ': nested flow mappings.
        ["deep_flow_mappings"] = () => Repeat(string.Empty, "{a: "),

        // 1 MiB of '- ' on one line: nested block sequences.
        ["deep_block_nesting"] = () => Repeat(string.Empty, "- "),

        // 1 MiB of 1,000-character values under unknown keys: the most text the parser must really read.
        ["megabyte_of_scalars"] = () => Join(Size / 1009, i => "k" + i.ToString("D5", CultureInfo.InvariantCulture) + ": " + new string('v', 1000) + "\n"),

        // A valid manifest whose description is one line of almost 1 MiB.
        ["one_long_line"] = () => Valid.Replace("description: Keeps the important parts.", "description: " + new string('d', Size - Valid.Length), StringComparison.Ordinal),

        // A version of 1 MiB of digits: a number where a string belongs, quoted back in the message.
        ["long_number_value"] = () => Valid.Replace("version: \"1.2.3\"", "version: " + new string('1', Size - Valid.Length), StringComparison.Ordinal),

        // Ten unknown keys of 100,000 characters each.
        ["long_keys"] = () => Join(10, i => "? " + new string((char)('a' + i), 100_000) + "\n: 1\n"),

        // 10,000 anchors with 90-character names, all used.
        ["many_long_anchors"] = () => Join(4_000, i => "k" + i.ToString(CultureInfo.InvariantCulture) + ": &" + new string('n', 90) + i.ToString(CultureInfo.InvariantCulture) + " v\n")
            + Join(4_000, i => "r" + i.ToString(CultureInfo.InvariantCulture) + ": *" + new string('n', 90) + i.ToString(CultureInfo.InvariantCulture) + "\n"),

        // 262,000 documents.
        ["many_documents"] = () => Repeat(string.Empty, "---\n"),

        // 1 MiB of comments.
        ["megabyte_of_comments"] = () => Repeat(string.Empty, "# a comment line\n"),

        // A double-quoted string of escapes.
        ["megabyte_of_escapes"] = () => Repeat("description: \"", "\\U0001F600", "\"\n"),
    };

    /// <summary>A head, then <paramref name="item"/> until the text is almost <see cref="Size"/>, then a tail.</summary>
    private static string Repeat(string head, string item, string tail = "", int max = int.MaxValue)
    {
        var text = new StringBuilder(head, Size);
        for (var i = 0; i < max && text.Length + item.Length + tail.Length <= Size; i++)
        {
            text.Append(item);
        }

        return text.Append(tail).ToString();
    }

    private static string Join(int count, Func<int, string> line)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(line(i));
        }

        return text.ToString();
    }

    // ----- generators -----

    private static readonly string[] Tokens =
    [
        "engine_id", "authors", "version", "dependencies", "description", "name", "email", "<<", "x", "y", ":", ": ", " ", "  ",
        "\n", "\r\n", "\r", "\t", "- ", "-", "[", "]", "{", "}", ",", "? ", "&a ", "&b ", "*a", "*b", "*c", "!!int ", "!!str ",
        "!!binary ", "!x ", "!<tag:a> ", "%TAG !e! tag:e:\n---\n", "%YAML 1.2\n---\n", "!e!v ", "---\n", "...\n", "'", "\"", "\\",
        "\\x00", "\\U0001F600", "#", "|", ">", "|-", "1", "1.0", "0x1F", "0o7", ".inf", "-.5e3", "yes", "no", "~", "null", "true",
        "\0", "\uFEFF", "\u2028", "\u0085", "\u202E", "é", "\U0001F600", "\uD800", "\uDC00", "\u0001", "\u007F",
    ];

    /// <summary>Text made of YAML punctuation, field names, scalars of every type and awkward characters.</summary>
    public static Gen<string> YamlishText { get; } =
        Gen.Int[0, Tokens.Length - 1].Array[0, 300].Select(indices => string.Concat(indices.Select(i => Tokens[i])));

    /// <summary>The valid manifest's bytes with 1 to 8 byte-level mutations: flips, inserts, deletes, copies, tokens.</summary>
    public static Gen<byte[]> MutatedValidBytes { get; } =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, Tokens.Length - 1])
            .Array[1, 8]
            .Select(mutations =>
            {
                var bytes = new List<byte>(Encoding.UTF8.GetBytes(Valid));
                foreach (var (kind, at, length, value, token) in mutations)
                {
                    var position = bytes.Count == 0 ? 0 : at % (bytes.Count + 1);
                    switch (kind)
                    {
                        case 0 when position < bytes.Count:
                            bytes[position] = value;
                            break;
                        case 1:
                            bytes.Insert(position, value);
                            break;
                        case 2 when position < bytes.Count:
                            bytes.RemoveRange(position, Math.Min(bytes.Count - position, 1 + (length % 40)));
                            break;
                        case 3 when position < bytes.Count:
                            var chunk = bytes.GetRange(position, Math.Min(bytes.Count - position, 1 + (length % 80)));
                            bytes.InsertRange(length % (bytes.Count + 1), chunk);
                            break;
                        default:
                            bytes.InsertRange(position, Encoding.UTF8.GetBytes(Tokens[token]));
                            break;
                    }
                }

                return bytes.ToArray();
            });

    /// <summary>
    /// Alias amplification: anchors on long scalars and on lists or mappings of earlier aliases, nested, then one
    /// place where the last anchors are used many times (a field's list, duplicate keys, authors, unknown keys).
    /// </summary>
    public static Gen<string> AliasAmplification { get; } =
        Gen.Select(
                Gen.Select(Gen.Int[0, 3], Gen.Int[0, 20_000], Gen.Int[1, 12], Gen.Int[0, int.MaxValue]).Array[1, 8],
                Gen.Int[0, 4],
                Gen.Int[1, 3_000])
            .Select((anchors, use, uses) =>
            {
                var text = new StringBuilder();
                for (var i = 0; i < anchors.Length; i++)
                {
                    var (kind, length, fanOut, pick) = anchors[i];
                    text.Append('a').Append(i.ToString(CultureInfo.InvariantCulture)).Append(": &x").Append(i.ToString(CultureInfo.InvariantCulture)).Append(' ');
                    if (i == 0 || kind == 0)
                    {
                        text.Append(length % 3 == 0 ? "!!int " : string.Empty).Append(new string(length % 3 == 0 ? '7' : 's', length)).Append('\n');
                    }
                    else
                    {
                        var items = Enumerable.Range(0, fanOut).Select(k => "*x" + ((pick + k) % i).ToString(CultureInfo.InvariantCulture));
                        text.Append(kind == 1 ? "[" + string.Join(", ", items) + "]" : "{" + string.Join(", ", items.Select((item, k) => "k" + k.ToString(CultureInfo.InvariantCulture) + ": " + item)) + "}").Append('\n');
                    }
                }

                var last = "*x" + (anchors.Length - 1).ToString(CultureInfo.InvariantCulture);
                switch (use)
                {
                    case 0:
                        text.Append("authors: [").Append(string.Join(",", Enumerable.Repeat(last, uses))).Append("]\n");
                        break;
                    case 1:
                        text.Append("dependencies:\n").Append(string.Concat(Enumerable.Repeat("  - " + last + "\n", uses)));
                        break;
                    case 2:
                        text.Append(string.Concat(Enumerable.Repeat("? " + last + "\n: 1\n", uses)));
                        break;
                    case 3:
                        text.Append("version: ").Append(last).Append('\n').Append("engine_id: ").Append(last).Append('\n');
                        break;
                    default:
                        text.Append("nested: ").Append(string.Concat(Enumerable.Repeat("[", uses % 40))).Append(last).Append(string.Concat(Enumerable.Repeat("]", uses % 40))).Append('\n');
                        break;
                }

                return text.ToString();
            });

    private static readonly string[] Fields =
    [
        "package_format_version", "engine_id", "engine_class_name", "engine_module", "display_name", "version", "description", "zz_unknown",
    ];

    /// <summary>The valid manifest with one field's value (or an extra key) replaced by a long scalar of some kind.</summary>
    public static Gen<string> LongScalars { get; } =
        Gen.Select(Gen.Int[0, Fields.Length - 1], Gen.Int[0, 5], Gen.Int[1, 400_000], Gen.Bool)
            .Select((field, kind, length, asKey) =>
            {
                var value = kind switch
                {
                    0 => new string('7', length),
                    1 => "\"" + string.Concat(Enumerable.Repeat("\\x01\\n\\u202E", length / 12 + 1)) + "\"",
                    2 => "Acme " + new string('e', length),
                    3 => "\"" + new string('\u20AC', length / 3) + "\"",
                    4 => "1." + new string('5', length) + "e3",
                    _ => new string('w', length) + ".dll",
                };
                var name = Fields[field];
                if (asKey)
                {
                    return Valid + "? " + value + "\n: " + value + "\n";
                }

                var lines = Valid.Split('\n').Where(line => !line.StartsWith(name + ":", StringComparison.Ordinal));
                return string.Join("\n", lines) + name + ": " + value + "\n";
            });

    // ----- invariants -----

    /// <summary>The most bytes one read may allocate: generous, for any input of at most 1 MiB.</summary>
    public const long MaxAllocatedBytes = 64L * 1024 * 1024;

    /// <summary>The longest problem message allowed: a message quotes at most two short excerpts.</summary>
    public const int MaxMessageLength = 400;

    private static readonly ManifestProblemKind[] Placed =
    [
        ManifestProblemKind.InvalidYaml, ManifestProblemKind.RootNotMapping, ManifestProblemKind.LimitExceeded, ManifestProblemKind.EmptyField,
        ManifestProblemKind.WrongType, ManifestProblemKind.InvalidValue, ManifestProblemKind.DuplicateField, ManifestProblemKind.UnknownField,
        ManifestProblemKind.NamingConvention,
    ];

    /// <summary>
    /// Reads with <paramref name="read"/> and checks every promise: no exception, bounded allocation, at most
    /// <c>ManifestSchema.MaxProblems</c> problems with <c>ManifestProblemKind.MoreProblems</c> only last,
    /// short one-line messages and field names, a line and column inside the text for every problem that has a place, and no reader
    /// failure. Returns the first broken promise, or null.
    /// </summary>
    public static string? Check(Func<ManifestReadResult> read, int lines, out long allocated)
    {
        allocated = 0;
        ManifestReadResult result;
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            result = read();
        }
        catch (Exception ex)
        {
            return "threw " + ex.GetType().Name + ": " + ex.Message;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > MaxAllocatedBytes)
        {
            return "allocated " + allocated.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
        }

        var problems = result.Problems;
        if (problems.Count > ManifestSchema.MaxProblems)
        {
            return problems.Count.ToString(CultureInfo.InvariantCulture) + " problems";
        }

        for (var i = 0; i < problems.Count; i++)
        {
            var problem = problems[i];
            var message = problem.Message;
            if (string.IsNullOrEmpty(message) || message.Length > MaxMessageLength)
            {
                return "message of " + (message?.Length ?? 0).ToString(CultureInfo.InvariantCulture) + " characters: " + message?[..Math.Min(200, message.Length)];
            }

            if (problem.Field is { Length: > ManifestSchema.MaxQuotedCharacters + 32 })
            {
                return "field name of " + problem.Field.Length.ToString(CultureInfo.InvariantCulture) + " characters";
            }

            if (message.Contains("reader failed", StringComparison.Ordinal))
            {
                return "reader failure: " + message;
            }

            for (var k = 0; k < message.Length; k++)
            {
                var c = message[k];
                if (c is '\n' or '\r' or '\0' or '\u2028' or '\u2029' || (char.IsSurrogate(c) && !IsPaired(message, k)))
                {
                    return "message is not one clean line: " + message;
                }
            }

            if (problem.Kind == ManifestProblemKind.MoreProblems && i != problems.Count - 1)
            {
                return "MoreProblems is not last";
            }

            if (Placed.Contains(problem.Kind) && (problem.Line < 1 || problem.Column < 1 || problem.Line > (long)lines + 1))
            {
                return problem.Kind + " at line " + problem.Line.ToString(CultureInfo.InvariantCulture) + ", column " + problem.Column.ToString(CultureInfo.InvariantCulture) + " of " + lines.ToString(CultureInfo.InvariantCulture) + " lines: " + message;
            }
        }

        return null;
    }

    /// <summary>How many lines a text has, counting CR LF, LF and a lone CR, plus the other YAML line breaks.</summary>
    public static int Lines(string text)
    {
        var lines = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || c is '\u0085' or '\u2028' or '\u2029' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                lines++;
            }
        }

        return lines;
    }

    private static bool IsPaired(string text, int index) =>
        char.IsHighSurrogate(text[index]) ? index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) : index > 0 && char.IsHighSurrogate(text[index - 1]);

    /// <summary>
    /// Runs <paramref name="check"/> on <paramref name="cases"/> values of <paramref name="gen"/>, generated from a
    /// fixed seed (so every run sees the same inputs), on the calling thread; fails with the case number, the seed
    /// and an excerpt of the input.
    /// </summary>
    public static void ForAll<T>(Gen<T> gen, int cases, ulong seed, Func<T, string?> check, Func<T, string> print)
    {
        var random = new PCG(7, seed);
        for (var i = 0; i < cases; i++)
        {
            var value = gen.Generate(random, null!, out _);
            var failure = check(value);
            if (failure is not null)
            {
                var shown = print(value);
                throw new InvalidOperationException(string.Format(
                    CultureInfo.InvariantCulture,
                    "case {0} of seed {1}: {2}\ninput ({3} characters): {4}",
                    i,
                    seed,
                    failure,
                    shown.Length,
                    shown.Length > 400 ? shown[..400] + "…" : shown));
            }
        }
    }
}
