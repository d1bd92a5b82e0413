using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CompactMemory.Manifest;
using Xunit;

namespace CompactMemory.Tests.Manifest;

/// <summary>
/// Regression tests for hostile manifests: each reproduction, at the largest size the cap allows, is read without
/// an exception, with bounded allocation (measured per thread, which is deterministic) and short messages.
/// </summary>
public sealed class ManifestHardeningTests
{
    public static TheoryData<string> ShapeNames => new(HostileManifests.Shapes.Keys);

    private static ManifestReadResult ReadChecked(string text)
    {
        Assert.True(Encoding.UTF8.GetByteCount(text) <= ManifestSchema.MaxBytes, "the shape is over the cap");
        ManifestReadResult? result = null;
        var failure = HostileManifests.Check(() => result = EngineManifestReader.Read(text), HostileManifests.Lines(text), out _);
        Assert.Null(failure);
        return result!;
    }

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Every_worst_shape_is_read_within_the_budget(string shape)
    {
        var text = HostileManifests.Shapes[shape]();

        var result = ReadChecked(text);

        // Every shape but the valid one with a long line is refused or warned about.
        Assert.Equal(shape != "one_long_line", result.Problems.Count > 0);
    }

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Every_worst_shape_is_read_within_the_budget_from_bytes_too(string shape)
    {
        var bytes = Encoding.UTF8.GetBytes(HostileManifests.Shapes[shape]());

        var failure = HostileManifests.Check(() => EngineManifestReader.ReadUtf8(bytes), int.MaxValue, out _);

        Assert.Null(failure);
    }

    [Fact]
    public void A_long_anchored_key_repeated_as_a_duplicate_stops_at_the_character_budget()
    {
        // Before: every duplicate's message copied the whole key (50 KB of this: 135 MB; 1 MiB: OutOfMemoryException).
        var result = ReadChecked(HostileManifests.Shapes["alias_long_duplicate_keys"]());

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestProblemKind.LimitExceeded, problem.Kind);
        Assert.Equal("Invalid engine_package.yaml: aliases expand to more than 1,048,576 characters of text (a long value used many times?); write the values out instead", problem.Message);
        Assert.True(problem.Line > 1);
    }

    [Fact]
    public void A_long_anchored_number_repeated_as_authors_stops_at_the_character_budget()
    {
        // Before: every authors[i] message quoted the whole number (50 KB of this: 800 MB).
        var result = ReadChecked(HostileManifests.Shapes["alias_long_bad_authors"]());

        Assert.Equal(ManifestProblemKind.LimitExceeded, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public void Many_duplicates_of_a_short_key_are_capped_with_a_count_of_the_rest()
    {
        var result = ReadChecked(HostileManifests.Shapes["alias_short_duplicate_keys"]());

        Assert.Equal(ManifestSchema.MaxProblems, result.Problems.Count);
        var last = result.Problems[^1];
        Assert.Equal(ManifestProblemKind.MoreProblems, last.Kind);
        Assert.Equal(ManifestSeverity.Error, last.Severity);
        Assert.Matches(@"^…and [0-9,]+ more problems \([0-9,]+ errors, 0 warnings\) not listed; fix the ones above and read the file again$", last.Message);
        Assert.All(result.Problems.Take(ManifestSchema.MaxProblems - 1).Where(p => p.Kind != ManifestProblemKind.MissingField), p => Assert.True(p.Line > 0));
        // Listed: the eight missing fields, the key's first use (an unknown field), then 90 of its duplicates.
        Assert.Equal(90, result.Problems.Count(p => p.Kind == ManifestProblemKind.DuplicateField));
    }

    [Fact]
    public void The_count_of_problems_left_out_is_exact()
    {
        var text = "authors: [" + string.Join(",", Enumerable.Repeat("1", 250)) + "]\n";

        var result = ReadChecked(text);

        // Six missing fields, 250 bad authors, then description missing: the first 99 listed are the six and
        // authors[0] to authors[92]; authors[93] to authors[249] and description (158) are counted.
        Assert.Equal("…and 158 more problems (158 errors, 0 warnings) not listed; fix the ones above and read the file again", result.Problems[^1].Message);
        Assert.Equal("authors[92] must be a name or a mapping with 'name' (and optional 'email'), but it is the number 1", result.Problems[^2].Message);
    }

    [Fact]
    public void When_only_warnings_are_left_out_the_summary_is_a_warning()
    {
        var text = HostileManifests.Valid + string.Concat(Enumerable.Range(0, 150).Select(i => "extra_" + i.ToString("D3", CultureInfo.InvariantCulture) + ": 1\n"));

        var result = ReadChecked(text);

        Assert.False(result.HasErrors);
        Assert.Equal(ManifestSeverity.Warning, result.Problems[^1].Severity);
        Assert.Equal("…and 51 more problems (0 errors, 51 warnings) not listed; fix the ones above and read the file again", result.Problems[^1].Message);
    }

    [Fact]
    public void A_long_value_is_quoted_as_a_marked_excerpt()
    {
        var text = HostileManifests.Valid.Replace("version: \"1.2.3\"", "version: " + new string('1', 5_000), StringComparison.Ordinal);

        var result = ReadChecked(text);

        var problem = Assert.Single(result.Problems);
        var excerpt = new string('1', ManifestSchema.MaxQuotedCharacters) + "…(4,940 more characters)";
        Assert.Equal("Field 'version' must be a string, but YAML reads " + excerpt + " as the number " + excerpt + "; put the value in double quotes", problem.Message);
    }

    [Fact]
    public void A_short_value_keeps_the_quoting_fix()
    {
        var result = ReadChecked(HostileManifests.Valid.Replace("version: \"1.2.3\"", "version: 1.2", StringComparison.Ordinal));

        Assert.Equal("Field 'version' must be a string, but YAML reads 1.2 as the number 1.2; quote it: version: \"1.2\"", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void A_long_unknown_key_is_quoted_short_and_keeps_its_line()
    {
        var result = ReadChecked(HostileManifests.Valid + "? " + new string('k', 100_000) + "\n: 1\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Unknown field '" + new string('k', 60) + "…(99,940 more characters)' is ignored; check its spelling, or delete it", problem.Message);
        Assert.Equal(new string('k', 60) + "…(99,940 more characters)", problem.Field);
        Assert.Equal(16, problem.Line);
    }

    [Fact]
    public void Control_characters_in_a_quoted_value_are_escaped_to_keep_the_message_one_line()
    {
        var result = ReadChecked(HostileManifests.Valid.Replace("engine_id: my_engine", "engine_id: \"my\\nengine\\u202E\\x01\"", StringComparison.Ordinal));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("engine_id 'my\\nengine\\u202E\\u0001' contains whitespace; ids are typed on command lines, so use 'my_engine'", problem.Message);
    }

    [Fact]
    public void A_tag_prefix_expanded_on_every_node_stops_at_the_character_budget()
    {
        // Before: the parser built a 500 KB tag for each node (550 KB file: 20 s, 8.6 GB).
        var result = ReadChecked(HostileManifests.Shapes["tag_prefix_bomb"]());

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestProblemKind.LimitExceeded, problem.Kind);
        Assert.Contains("tags expand to more than 1,048,576 characters", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_of_lists_of_long_scalars_stop_at_the_character_budget_before_the_node_budget()
    {
        var result = ReadChecked(HostileManifests.Shapes["alias_character_bomb"]());

        Assert.Contains("aliases expand to more than 1,048,576 characters", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_within_the_character_budget_are_read()
    {
        // 300,000 characters, then the same value again through an alias: 600,000 of the 1,048,576 allowed.
        var text = HostileManifests.Valid.Replace("description: Keeps the important parts.", "description: &d " + new string('d', 300_000), StringComparison.Ordinal)
            .Replace("display_name: My Engine\n", string.Empty, StringComparison.Ordinal) + "display_name: *d\n";

        var result = ReadChecked(text);

        Assert.Empty(result.Problems);
        Assert.Same(result.Manifest.Description, result.Manifest.DisplayName);
    }

    [Theory]
    [InlineData("engine_id: abc\0\nengine_id: second\n", 1, 15)]
    [InlineData("engine_id: a\r\nversion: \"1\0\"\n", 2, 12)]
    [InlineData("\0", 1, 1)]
    public void A_nul_character_is_refused_with_its_place(string text, int line, int column)
    {
        // Before: the parser took NUL for a line break, so "abc\0" read as "abc".
        var result = ReadChecked(text);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestProblemKind.InvalidYaml, problem.Kind);
        Assert.StartsWith("Invalid engine_package.yaml: the file contains a NUL character, which YAML does not allow", problem.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (problem.Line, problem.Column));
        Assert.Null(result.Manifest.EngineId);
    }

    [Fact]
    public void Crlf_line_ends_read_like_lf_with_the_same_lines()
    {
        var lf = EngineManifestReader.Read(HostileManifests.Valid.Replace("version: \"1.2.3\"", "version: 1.2", StringComparison.Ordinal) + "colour: blue\n");
        var crlf = EngineManifestReader.Read(HostileManifests.Valid.Replace("version: \"1.2.3\"", "version: 1.2", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal) + "colour: blue\r\n");

        Assert.Equal(2, lf.Problems.Count);
        Assert.Equal(lf.Problems.Select(p => (p.Kind, p.Message, p.Line, p.Column)), crlf.Problems.Select(p => (p.Kind, p.Message, p.Line, p.Column)));
        Assert.Equal("Keeps the important parts.", crlf.Manifest.Description);
    }

    [Fact]
    public void A_merge_key_is_an_error_rather_than_fields_silently_missing()
    {
        var result = ReadChecked("base: &base {engine_id: my_engine}\n<<: *base\n");

        var merge = Assert.Single(result.Problems, p => p.Field == "<<");
        Assert.Equal(ManifestSeverity.Error, merge.Severity);
        Assert.Equal("Merge key '<<' is not supported in engine_package.yaml: the fields it would merge are not read; write them out instead", merge.Message);
        Assert.Equal(2, merge.Line);
        Assert.Contains(result.Problems, p => p.Message == "Missing required field: engine_id");
    }

    [Fact]
    public void Many_documents_stop_at_the_second()
    {
        var result = ReadChecked(HostileManifests.Shapes["many_documents"]());

        Assert.Contains("more than one YAML document", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deep_flow_nesting")]
    [InlineData("deep_flow_mappings")]
    [InlineData("deep_block_nesting")]
    public void A_megabyte_of_nesting_stops_at_the_depth_limit(string shape)
    {
        var result = ReadChecked(HostileManifests.Shapes[shape]());

        Assert.Contains("nested more than 32 levels", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_manifest_with_a_line_of_almost_a_megabyte_reads()
    {
        var result = ReadChecked(HostileManifests.Shapes["one_long_line"]());

        Assert.Empty(result.Problems);
        Assert.Equal(HostileManifests.Size - HostileManifests.Valid.Length, result.Manifest.Description!.Length);
    }

    [Fact]
    public void Parser_messages_that_quote_the_input_are_cut()
    {
        var result = ReadChecked("%TAG !" + new string('h', 5_000) + " tag:x:\n---\na: b\n");

        Assert.True(Assert.Single(result.Problems).Message.Length <= HostileManifests.MaxMessageLength);
    }

    [Fact]
    public void An_undefined_alias_with_a_long_name_is_quoted_short()
    {
        var result = ReadChecked("a: *" + new string('n', 10_000) + "\n");

        Assert.Equal("Invalid engine_package.yaml: alias '*" + new string('n', 60) + "…(9,940 more characters)' refers to no anchor defined before it", Assert.Single(result.Problems).Message);
    }

    // ----- bytes -----

    [Fact]
    public void Utf8_bytes_with_or_without_a_byte_order_mark_read_like_the_text()
    {
        var bytes = Encoding.UTF8.GetBytes(HostileManifests.Valid.Replace("My Engine", "Mÿ Éngine 😀", StringComparison.Ordinal));

        var plain = EngineManifestReader.ReadUtf8(bytes);
        var marked = EngineManifestReader.ReadUtf8([0xEF, 0xBB, 0xBF, .. bytes]);

        Assert.Empty(plain.Problems);
        Assert.Empty(marked.Problems);
        Assert.Equal("Mÿ Éngine 😀", plain.Manifest.DisplayName);
        Assert.Equal("Mÿ Éngine 😀", marked.Manifest.DisplayName);
        Assert.Equal(plain.Manifest.Locations["version"].Line, marked.Manifest.Locations["version"].Line);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)':', (byte)' ', 0xC3, 0x28 }, 3, "0xC3", 1, 4)]
    [InlineData(new byte[] { (byte)'a', (byte)':', (byte)'\n', (byte)'b', 0x80 }, 4, "0x80", 2, 2)]
    [InlineData(new byte[] { (byte)'a', (byte)'\r', (byte)'\n', 0xE2, 0x82 }, 3, "0xE2", 2, 1)]
    [InlineData(new byte[] { 0xC0, 0xAF }, 0, "0xC0", 1, 1)]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 0, "0xED", 1, 1)]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 0, "0xF4", 1, 1)]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'x', 0xFF }, 4, "0xFF", 1, 2)]
    [InlineData(new byte[] { (byte)'a', (byte)':', (byte)' ', 0xC3, 0xA9, 0xFE }, 5, "0xFE", 1, 5)]
    public void Bytes_that_are_not_utf8_are_refused_with_their_offset_and_place(byte[] bytes, int offset, string value, int line, int column)
    {
        var result = EngineManifestReader.ReadUtf8(bytes);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestProblemKind.InvalidYaml, problem.Kind);
        Assert.Equal("Invalid engine_package.yaml: the file is not UTF-8: byte " + value + " at byte offset " + offset.ToString(CultureInfo.InvariantCulture) + " does not begin a valid UTF-8 character; save the file as UTF-8", problem.Message);
        Assert.Equal((line, column), (problem.Line, problem.Column));
    }

    [Fact]
    public void Utf16_is_refused_with_the_fix()
    {
        var result = EngineManifestReader.ReadUtf8(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("engine_id: x\n")).ToArray());

        Assert.Equal("Invalid engine_package.yaml: the file is saved as UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void A_nul_byte_is_refused_with_its_offset()
    {
        var result = EngineManifestReader.ReadUtf8(Encoding.UTF8.GetBytes("engine_id: x\nversion: \"1\0\"\n"));

        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("Invalid engine_package.yaml: the file contains a NUL character (byte offset 24), which YAML does not allow", problem.Message, StringComparison.Ordinal);
        Assert.Equal((2, 12), (problem.Line, problem.Column));
    }

    [Fact]
    public void Bytes_over_the_cap_are_refused_before_decoding()
    {
        var result = EngineManifestReader.ReadUtf8(new byte[ManifestSchema.MaxBytes + 1]);

        Assert.Equal(ManifestProblemKind.TooLarge, Assert.Single(result.Problems).Kind);
        Assert.Contains("1,048,577 bytes", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_bytes_read_as_an_empty_file()
    {
        Assert.Equal(8, EngineManifestReader.ReadUtf8(null!).Problems.Count(p => p.Kind == ManifestProblemKind.MissingField));
    }

    // ----- the quoting helper -----

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a\tb\r\n", "a\\tb\\r\\n")]
    [InlineData("\u2028\u202E\uFEFF\u0085", "\\u2028\\u202E\\uFEFF\\u0085")]
    [InlineData("😀", "😀")]
    public void Quoting_escapes_what_would_break_a_line(string value, string expected)
    {
        Assert.Equal(expected, ManifestQuote.Of(value));
    }

    [Fact]
    public void Quoting_escapes_an_unpaired_surrogate()
    {
        // Built in code: an attribute argument cannot hold an unpaired surrogate.
        Assert.Equal("\\uD800x\\uDC00", ManifestQuote.Of(new string(['\uD800', 'x', '\uDC00'])));
    }

    [Fact]
    public void The_excerpt_limit_counts_escapes_so_an_escaped_value_stays_short()
    {
        var quoted = ManifestQuote.Of(new string('\u0001', 1_000));

        // \u0001 takes six characters: ten fit in 60.
        Assert.Equal(string.Concat(Enumerable.Repeat("\\u0001", 10)) + "…(990 more characters)", quoted);
    }

    [Fact]
    public void Quoting_never_splits_a_surrogate_pair()
    {
        var value = new string('a', ManifestSchema.MaxQuotedCharacters - 1) + "😀" + "tail";

        Assert.Equal(new string('a', ManifestSchema.MaxQuotedCharacters - 1) + "…(6 more characters)", ManifestQuote.Of(value));
    }

    [Fact]
    public void A_short_plain_value_is_returned_as_is_without_a_copy()
    {
        var value = "my_engine";

        Assert.Same(value, ManifestQuote.Of(value));
    }

    [Fact]
    public void One_character_over_says_character_in_the_singular()
    {
        Assert.EndsWith("…(1 more character)", ManifestQuote.Of(new string('x', ManifestSchema.MaxQuotedCharacters + 1)), StringComparison.Ordinal);
    }

    public static TheoryData<string> NumberLike => new(
        "1", "-1", "+1", "0x1F", "0xg", "0o17", "0o8", "0x", "0o", "1.", ".5", ".", "-.", "1e3", "1e", "1e+", "1.5e-3", "e3", ".inf", "-.Inf",
        "+.INF", ".nan", "-.nan", ".NaN", "1_000", "1,0", " 1", "1 ", "", "-", "+", "0", "00", "1.2.3", ".e1", "1.e1", "0x1.5");

    [Theory]
    [MemberData(nameof(NumberLike))]
    public void Number_resolution_matches_the_yaml_core_schema_patterns(string value)
    {
        // The regexes the reader used before (the float one backtracked on long digit runs).
        var integer = System.Text.RegularExpressions.Regex.IsMatch(value, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        var @float = System.Text.RegularExpressions.Regex.IsMatch(value, @"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        Assert.Equal(integer, YamlTree.Scalar.IsInteger(value));
        Assert.Equal(@float, YamlTree.Scalar.IsFloat(value));
    }

    [Fact]
    public void The_shapes_are_as_large_as_the_cap_allows()
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, make) in HostileManifests.Shapes)
        {
            sizes[name] = Encoding.UTF8.GetByteCount(make());
        }

        Assert.All(sizes.Values, size => Assert.True(size <= ManifestSchema.MaxBytes));
        Assert.True(sizes["alias_long_duplicate_keys"] > ManifestSchema.MaxBytes - 100);
        Assert.True(sizes["megabyte_of_scalars"] > ManifestSchema.MaxBytes - 2_000);
    }
}
