using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using CompactMemory.Manifest;
using Xunit;

namespace CompactMemory.Tests.Manifest;

public sealed class ManifestReaderTests
{
    private const string ValidManifest = """
        package_format_version: "1.0"
        engine_id: my_engine
        engine_class_name: Acme.Engines.MyEngine
        engine_module: Acme.Engines
        display_name: My Engine
        version: "1.2.3"
        authors:
          - Ada Lovelace <ada@example.com>
        description: Keeps the important parts.
        dependencies: [Acme.Core]
        requirements:
          - numpy>=1.0
        overrides_builtin: true

        """;

    private static readonly string[] RequiredInOrder =
    [
        "package_format_version", "engine_id", "engine_class_name", "engine_module", "display_name", "version", "authors", "description",
    ];

    /// <summary>The valid manifest with one field's line replaced (or removed, when <paramref name="line"/> is null).</summary>
    private static string With(string field, string? line)
    {
        var lines = ValidManifest.Split('\n').ToList();
        var index = lines.FindIndex(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        Assert.True(index >= 0, "no line for " + field);
        var end = index + 1;
        while (end < lines.Count && lines[end].StartsWith("  ", StringComparison.Ordinal))
        {
            end++;
        }

        lines.RemoveRange(index, end - index);
        if (line is not null)
        {
            lines.Insert(index, line);
        }

        return string.Join("\n", lines);
    }

    private static ManifestProblem Single(ManifestReadResult result, string field) => Assert.Single(result.Problems, p => p.Field == field);

    private static void AssertOnlyProblem(ManifestReadResult result, ManifestProblemKind kind)
    {
        var problem = Assert.Single(result.Problems);
        Assert.Equal(kind, problem.Kind);
        Assert.Equal(ManifestSeverity.Error, problem.Severity);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void A_valid_manifest_reads_every_field()
    {
        var result = EngineManifestReader.Read(ValidManifest);
        var manifest = result.Manifest;

        Assert.Empty(result.Problems);
        Assert.False(result.HasErrors);
        Assert.Equal("1.0", manifest.PackageFormatVersion);
        Assert.Equal("my_engine", manifest.EngineId);
        Assert.Equal("Acme.Engines.MyEngine", manifest.EngineClassName);
        Assert.Equal("Acme.Engines", manifest.EngineModule);
        Assert.Equal("My Engine", manifest.DisplayName);
        Assert.Equal("1.2.3", manifest.Version);
        var author = Assert.Single(manifest.Authors!);
        Assert.Equal("Ada Lovelace <ada@example.com>", author.Name);
        Assert.Null(author.Email);
        Assert.Equal("Keeps the important parts.", manifest.Description);
        Assert.Equal(new[] { "Acme.Core" }, manifest.Dependencies);
        Assert.Equal(new[] { "numpy>=1.0" }, manifest.Requirements);
        Assert.True(manifest.OverridesBuiltIn);
    }

    [Fact]
    public void A_valid_manifest_records_where_each_value_starts()
    {
        var locations = EngineManifestReader.Read(ValidManifest).Manifest.Locations;

        Assert.Equal(11, locations.Count);
        Assert.Equal((1, 25), (locations["package_format_version"].Line, locations["package_format_version"].Column));
        Assert.Equal((2, 12), (locations["engine_id"].Line, locations["engine_id"].Column));
        Assert.Equal((3, 20), (locations["engine_class_name"].Line, locations["engine_class_name"].Column));
        Assert.Equal((4, 16), (locations["engine_module"].Line, locations["engine_module"].Column));
        Assert.Equal((5, 15), (locations["display_name"].Line, locations["display_name"].Column));
        Assert.Equal((6, 10), (locations["version"].Line, locations["version"].Column));
        Assert.Equal(8, locations["authors"].Line);
        Assert.Equal((9, 14), (locations["description"].Line, locations["description"].Column));
        Assert.Equal((10, 15), (locations["dependencies"].Line, locations["dependencies"].Column));
        Assert.Equal(12, locations["requirements"].Line);
        Assert.Equal((13, 20), (locations["overrides_builtin"].Line, locations["overrides_builtin"].Column));
    }

    [Fact]
    public void Overrides_builtin_defaults_to_false_and_optional_lists_to_null()
    {
        var text = With("overrides_builtin", null);
        text = With2(text, "dependencies");
        text = With2(text, "requirements");

        var result = EngineManifestReader.Read(text);

        Assert.Empty(result.Problems);
        Assert.False(result.Manifest.OverridesBuiltIn);
        Assert.Null(result.Manifest.Dependencies);
        Assert.Null(result.Manifest.Requirements);

        static string With2(string manifest, string field) =>
            string.Join("\n", RemoveField(manifest.Split('\n').ToList(), field));
    }

    private static List<string> RemoveField(List<string> lines, string field)
    {
        var index = lines.FindIndex(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        var end = index + 1;
        while (end < lines.Count && lines[end].StartsWith("  ", StringComparison.Ordinal))
        {
            end++;
        }

        lines.RemoveRange(index, end - index);
        return lines;
    }

    [Fact]
    public void Every_missing_field_is_reported_at_once_in_declared_order()
    {
        var result = EngineManifestReader.Read("overrides_builtin: false\n");

        Assert.Equal(RequiredInOrder, result.Problems.Select(p => p.Field).ToArray());
        Assert.Equal(RequiredInOrder.Select(f => "Missing required field: " + f).ToArray(), result.Problems.Select(p => p.Message).ToArray());
        Assert.All(result.Problems, p =>
        {
            Assert.Equal(ManifestProblemKind.MissingField, p.Kind);
            Assert.Equal(ManifestSeverity.Error, p.Severity);
            Assert.Equal(0, p.Line);
        });
    }

    [Fact]
    public void Some_missing_fields_are_reported_in_declared_order_whatever_the_file_order()
    {
        var text = string.Join("\n", RemoveField(RemoveField(ValidManifest.Split('\n').ToList(), "description"), "engine_id"));

        var result = EngineManifestReader.Read(text);

        Assert.Equal(new[] { "Missing required field: engine_id", "Missing required field: description" }, result.Problems.Select(p => p.Message).ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("~")]
    public void An_empty_file_has_all_eight_fields_missing(string text)
    {
        var result = EngineManifestReader.Read(text);

        Assert.Equal(RequiredInOrder.Select(f => "Missing required field: " + f).ToArray(), result.Problems.Select(p => p.Message).ToArray());
    }

    [Theory]
    [InlineData("- a\n- b\n")]
    [InlineData("[engine_id, version]")]
    [InlineData("just a string")]
    [InlineData("42")]
    [InlineData("true")]
    public void A_root_that_is_not_a_mapping_is_one_error(string text)
    {
        var result = EngineManifestReader.Read(text);

        AssertOnlyProblem(result, ManifestProblemKind.RootNotMapping);
        Assert.StartsWith("Invalid engine_package.yaml: the document must be a mapping", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("package_format_version: \"1.0\"\nengine_id: [oops\n")]
    [InlineData("engine_id: \"unterminated\n")]
    [InlineData("a: b: c\n")]
    [InlineData("engine_id: x\n  bad_indent: y\n")]
    [InlineData("package_format_version: \"1.0\"\nengine_id: [oops\nengine_class_name: Acme.Engines.HeadEngine\n")]
    public void Invalid_yaml_is_reported_with_a_line(string text)
    {
        var result = EngineManifestReader.Read(text);

        AssertOnlyProblem(result, ManifestProblemKind.InvalidYaml);
        Assert.True(result.Problems[0].Line > 0, "line was " + result.Problems[0].Line);
        Assert.StartsWith("Invalid engine_package.yaml: ", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Line:", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation is not valid", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_documents_are_invalid_yaml()
    {
        var result = EngineManifestReader.Read("engine_id: a\n---\nengine_id: b\n");

        AssertOnlyProblem(result, ManifestProblemKind.InvalidYaml);
        Assert.Contains("more than one YAML document", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unquoted_number_version_is_a_wrong_type_with_a_quoting_hint()
    {
        var result = EngineManifestReader.Read(With("version", "version: 1.0"));

        var problem = Single(result, "version");
        Assert.Equal(ManifestProblemKind.WrongType, problem.Kind);
        Assert.Equal(ManifestSeverity.Error, problem.Severity);
        Assert.Contains("quote it: version: \"1.0\"", problem.Message, StringComparison.Ordinal);
        Assert.Equal(6, problem.Line);
        Assert.Null(result.Manifest.Version);
    }

    [Theory]
    [InlineData("display_name: true", ManifestProblemKind.WrongType)]
    [InlineData("display_name: 12", ManifestProblemKind.WrongType)]
    [InlineData("display_name: [a]", ManifestProblemKind.WrongType)]
    [InlineData("display_name:", ManifestProblemKind.EmptyField)]
    [InlineData("display_name: \"   \"", ManifestProblemKind.EmptyField)]
    [InlineData("display_name: null", ManifestProblemKind.EmptyField)]
    public void A_string_field_with_another_type_or_no_value_is_an_error(string line, ManifestProblemKind kind)
    {
        var result = EngineManifestReader.Read(With("display_name", line));

        Assert.Equal(kind, Single(result, "display_name").Kind);
        Assert.Null(result.Manifest.DisplayName);
        Assert.Single(result.Problems);
    }

    [Fact]
    public void A_quoted_number_is_a_string()
    {
        var result = EngineManifestReader.Read(With("version", "version: '2'"));

        Assert.Empty(result.Problems);
        Assert.Equal("2", result.Manifest.Version);
    }

    [Fact]
    public void Authors_as_a_string_is_a_wrong_type()
    {
        var result = EngineManifestReader.Read(With("authors", "authors: \"x\""));

        var problem = Single(result, "authors");
        Assert.Equal(ManifestProblemKind.WrongType, problem.Kind);
        Assert.StartsWith("Field 'authors' must be a list, but it is a string", problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Manifest.Authors);
    }

    [Theory]
    [InlineData("authors: []")]
    [InlineData("authors:")]
    public void Authors_empty_is_an_empty_field(string line)
    {
        var result = EngineManifestReader.Read(With("authors", line));

        Assert.Equal(ManifestProblemKind.EmptyField, Single(result, "authors").Kind);
    }

    [Fact]
    public void Authors_as_name_and_email_mappings_are_accepted()
    {
        var text = With("authors", "authors:\n  - name: Ada Lovelace\n    email: ada@example.com\n  - name: Charles Babbage\n  - Grace Hopper");

        var result = EngineManifestReader.Read(text);

        Assert.Empty(result.Problems);
        var authors = result.Manifest.Authors!;
        Assert.Equal(3, authors.Count);
        Assert.Equal(("Ada Lovelace", "ada@example.com"), (authors[0].Name, authors[0].Email));
        Assert.Equal("Ada Lovelace <ada@example.com>", authors[0].ToString());
        Assert.Equal(("Charles Babbage", (string?)null), (authors[1].Name, authors[1].Email));
        Assert.Equal("Grace Hopper", authors[2].Name);
    }

    [Theory]
    [InlineData("authors:\n  - email: ada@example.com")]
    [InlineData("authors:\n  - 42")]
    [InlineData("authors:\n  - [a, b]")]
    public void An_author_without_a_name_is_an_error(string block)
    {
        var result = EngineManifestReader.Read(With("authors", block));

        var problem = Single(result, "authors");
        Assert.Equal(ManifestProblemKind.WrongType, problem.Kind);
        Assert.StartsWith("authors[0] must be a name or a mapping", problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Manifest.Authors);
    }

    [Theory]
    [InlineData("../evil", "not a path")]
    [InlineData("a/b", "not a path")]
    [InlineData("a\\\\b", "not a path")]
    [InlineData("C:evil", "not a path")]
    [InlineData(".hidden", "not a path")]
    [InlineData("x.dll", "without '.dll': x")]
    [InlineData("X.DLL", "without '.dll': X")]
    [InlineData("my engine", "not an assembly name")]
    public void An_engine_module_that_is_not_an_assembly_name_is_invalid(string module, string hint)
    {
        var result = EngineManifestReader.Read(With("engine_module", "engine_module: \"" + module + "\""));

        var problem = Single(result, "engine_module");
        Assert.Equal(ManifestProblemKind.InvalidValue, problem.Kind);
        Assert.Equal(ManifestSeverity.Error, problem.Severity);
        Assert.Contains(hint, problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Manifest.EngineModule);
    }

    [Theory]
    [InlineData("Acme.Engines-2")]
    [InlineData("engine_pkg")]
    public void Dotted_dashed_and_underscored_module_names_are_fine(string module)
    {
        var result = EngineManifestReader.Read(With("engine_module", "engine_module: " + module));

        Assert.Empty(result.Problems);
        Assert.Equal(module, result.Manifest.EngineModule);
    }

    [Theory]
    [InlineData("1Engine")]
    [InlineData("Acme..Engine")]
    [InlineData("Acme.Engine.")]
    [InlineData("Acme Engine")]
    [InlineData("Acme.Engine`1")]
    public void An_engine_class_name_that_is_not_a_type_name_is_invalid(string name)
    {
        var result = EngineManifestReader.Read(With("engine_class_name", "engine_class_name: \"" + name + "\""));

        Assert.Equal(ManifestProblemKind.InvalidValue, Single(result, "engine_class_name").Kind);
        Assert.Null(result.Manifest.EngineClassName);
    }

    [Fact]
    public void A_nested_class_name_is_fine()
    {
        var result = EngineManifestReader.Read(With("engine_class_name", "engine_class_name: Acme.Outer+Inner_2"));

        Assert.Empty(result.Problems);
    }

    [Theory]
    [InlineData("my engine")]
    [InlineData("\"my\\tengine\"")]
    public void An_engine_id_with_whitespace_is_an_error(string id)
    {
        var result = EngineManifestReader.Read(With("engine_id", "engine_id: " + id));

        var problem = Single(result, "engine_id");
        Assert.Equal(ManifestSeverity.Error, problem.Severity);
        Assert.Equal(ManifestProblemKind.InvalidValue, problem.Kind);
        Assert.Contains("contains whitespace", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'my_engine'", problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Manifest.EngineId);
    }

    [Theory]
    [InlineData("MyEngine", "my_engine")]
    [InlineData("my__engine", "my_engine")]
    [InlineData("my.engine", "my_engine")]
    [InlineData("_engine", "engine")]
    public void An_unconventional_engine_id_is_a_naming_warning(string id, string suggestion)
    {
        var result = EngineManifestReader.Read(With("engine_id", "engine_id: " + id));

        var problem = Single(result, "engine_id");
        Assert.Equal(ManifestSeverity.Warning, problem.Severity);
        Assert.Equal(ManifestProblemKind.NamingConvention, problem.Kind);
        Assert.Contains("prefer '" + suggestion + "'", problem.Message, StringComparison.Ordinal);
        Assert.Equal(id, result.Manifest.EngineId);
        Assert.False(result.HasErrors);
    }

    [Theory]
    [InlineData("first_last")]
    [InlineData("my-engine2")]
    [InlineData("a")]
    public void Conventional_engine_ids_have_no_problem(string id)
    {
        Assert.Empty(EngineManifestReader.Read(With("engine_id", "engine_id: " + id)).Problems);
    }

    [Fact]
    public void A_duplicated_unknown_field_is_reported_too_after_the_known_fields()
    {
        var result = EngineManifestReader.Read(ValidManifest + "colour: a\ncolour: b\n");

        Assert.Equal(
            [(ManifestProblemKind.UnknownField, ManifestSeverity.Warning), (ManifestProblemKind.DuplicateField, ManifestSeverity.Error)],
            result.Problems.Select(p => (p.Kind, p.Severity)).ToArray());
        Assert.All(result.Problems, p => Assert.Equal("colour", p.Field));
    }

    [Fact]
    public void The_size_limit_counts_utf8_bytes_not_characters()
    {
        // 400,000 three-byte characters: under the limit in characters, over it in bytes.
        var result = EngineManifestReader.Read("description: \"" + new string('\u20AC', 400_000) + "\"\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestProblemKind.TooLarge, problem.Kind);
        Assert.Contains("1,200,016 bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_field_is_an_error_pointing_at_the_first()
    {
        var result = EngineManifestReader.Read(ValidManifest + "engine_id: other_engine\n");

        var problem = Single(result, "engine_id");
        Assert.Equal(ManifestProblemKind.DuplicateField, problem.Kind);
        Assert.Equal(ManifestSeverity.Error, problem.Severity);
        Assert.Contains("appears twice (first on line 2)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(14, problem.Line);
        Assert.Equal("my_engine", result.Manifest.EngineId);
    }

    [Fact]
    public void An_unknown_field_is_a_warning()
    {
        var result = EngineManifestReader.Read(ValidManifest + "colour: blue\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestSeverity.Warning, problem.Severity);
        Assert.Equal(ManifestProblemKind.UnknownField, problem.Kind);
        Assert.Equal("colour", problem.Field);
        Assert.Equal("Unknown field 'colour' is ignored; check its spelling, or delete it", problem.Message);
        Assert.Equal(14, problem.Line);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void A_legacy_field_is_a_warning_with_a_hint()
    {
        var result = EngineManifestReader.Read(ValidManifest + "strategy_id: old\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ManifestProblemKind.UnknownField, problem.Kind);
        Assert.Contains("use engine_id", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_package_format_version_is_an_error()
    {
        var result = EngineManifestReader.Read(With("package_format_version", "package_format_version: \"2.0\""));

        var problem = Single(result, "package_format_version");
        Assert.Equal(ManifestSeverity.Error, problem.Severity);
        Assert.Equal(ManifestProblemKind.InvalidValue, problem.Kind);
        Assert.Equal("Unsupported package_format_version '2.0'; this SDK reads '1.0'", problem.Message);
        Assert.Null(result.Manifest.PackageFormatVersion);
    }

    [Theory]
    [InlineData("overrides_builtin: maybe", "overrides_builtin", ManifestProblemKind.WrongType)]
    [InlineData("dependencies: numpy", "dependencies", ManifestProblemKind.WrongType)]
    [InlineData("dependencies: [numpy, 3]", "dependencies", ManifestProblemKind.WrongType)]
    [InlineData("requirements: {a: b}", "requirements", ManifestProblemKind.WrongType)]
    public void Optional_fields_are_type_checked(string line, string field, ManifestProblemKind kind)
    {
        var result = EngineManifestReader.Read(With(field, line));

        Assert.Equal(kind, Single(result, field).Kind);
    }

    [Theory]
    [InlineData("overrides_builtin: yes", true)]
    [InlineData("overrides_builtin: on", true)]
    [InlineData("overrides_builtin: False", false)]
    [InlineData("overrides_builtin: off", false)]
    [InlineData("overrides_builtin: no", false)]
    public void Overrides_builtin_accepts_yaml_booleans(string line, bool expected)
    {
        var result = EngineManifestReader.Read(With("overrides_builtin", line));

        Assert.Empty(result.Problems);
        Assert.Equal(expected, result.Manifest.OverridesBuiltIn);
    }

    [Fact]
    public void Problems_come_file_first_then_required_then_optional_then_unknown()
    {
        const string text = """
            zzz_unknown: 1
            version: 1.0
            overrides_builtin: maybe
            engine_id: MyEngine
            """;

        var result = EngineManifestReader.Read(text);

        Assert.Equal(
            new[]
            {
                ("package_format_version", ManifestProblemKind.MissingField),
                ("engine_id", ManifestProblemKind.NamingConvention),
                ("engine_class_name", ManifestProblemKind.MissingField),
                ("engine_module", ManifestProblemKind.MissingField),
                ("display_name", ManifestProblemKind.MissingField),
                ("version", ManifestProblemKind.WrongType),
                ("authors", ManifestProblemKind.MissingField),
                ("description", ManifestProblemKind.MissingField),
                ("overrides_builtin", ManifestProblemKind.WrongType),
                ("zzz_unknown", ManifestProblemKind.UnknownField),
            },
            result.Problems.Select(p => (p.Field!, p.Kind)).ToArray());
    }

    [Fact]
    public void Problems_come_in_the_same_order_on_every_read()
    {
        const string text = "b_unknown: 1\nversion: 1.0\na_unknown: 2\nengine_module: x.dll\nengine_id: Bad Id\nengine_id: again\n";

        var first = EngineManifestReader.Read(text).Problems.Select(p => (p.Kind, p.Field, p.Message, p.Line, p.Column)).ToArray();
        var second = EngineManifestReader.Read(text).Problems.Select(p => (p.Kind, p.Field, p.Message, p.Line, p.Column)).ToArray();

        Assert.Equal(first, second);
        Assert.True(first.Length >= 10);
        Assert.Equal(new[] { "b_unknown", "a_unknown" }, first.Where(p => p.Kind == ManifestProblemKind.UnknownField).Select(p => p.Field).ToArray());
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_is_stopped_quickly()
    {
        var text = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            text.Append(level).Append(": &").Append(level).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
        }

        var watch = Stopwatch.StartNew();
        var result = EngineManifestReader.Read(text.ToString());
        watch.Stop();

        AssertOnlyProblem(result, ManifestProblemKind.LimitExceeded);
        Assert.Contains("alias", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "took " + watch.Elapsed);
    }

    [Fact]
    public void Deep_nesting_is_a_limit_error()
    {
        var text = "description: " + new string('[', 100) + new string(']', 100) + "\n";

        var result = EngineManifestReader.Read(text);

        AssertOnlyProblem(result, ManifestProblemKind.LimitExceeded);
        Assert.Contains("nested more than 32 levels", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_deeply_nested_list_is_a_limit_error_too()
    {
        AssertOnlyProblem(EngineManifestReader.Read(new string('[', 100) + new string(']', 100)), ManifestProblemKind.LimitExceeded);
    }

    [Fact]
    public void Nesting_within_the_limit_is_accepted()
    {
        var text = ValidManifest + "extra: " + new string('[', 31) + new string(']', 31) + "\n";

        var result = EngineManifestReader.Read(text);

        Assert.Equal(ManifestProblemKind.UnknownField, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public void Too_many_nodes_is_a_limit_error()
    {
        var text = "extra: [" + string.Join(",", Enumerable.Repeat("1", 10001)) + "]\n";

        AssertOnlyProblem(EngineManifestReader.Read(text), ManifestProblemKind.LimitExceeded);
    }

    [Fact]
    public void A_two_megabyte_file_is_too_large()
    {
        var text = "description: \"" + new string('a', 2 * 1024 * 1024) + "\"\n";

        var result = EngineManifestReader.Read(text);

        AssertOnlyProblem(result, ManifestProblemKind.TooLarge);
        Assert.Contains("at most 1,048,576 bytes", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_text_reads_as_an_empty_file()
    {
        Assert.Equal(8, EngineManifestReader.Read(null!).Problems.Count(p => p.Kind == ManifestProblemKind.MissingField));
    }

    [Theory]
    [InlineData("\t")]
    [InlineData("\tengine_id: x")]
    [InlineData("engine_id:\tx\n\t- y")]
    [InlineData("&a [*a]")]
    [InlineData("engine_id: &a [*a]")]
    [InlineData("*undefined")]
    [InlineData("!!binary")]
    [InlineData("engine_id: !!binary |\n  not base64 at all!")]
    [InlineData("engine_id: !!int abc")]
    [InlineData("engine_id: !custom x")]
    [InlineData("? complex key")]
    [InlineData("? [a, b]\n: c")]
    [InlineData("? {a: b}\n: c")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("]")]
    [InlineData("'")]
    [InlineData("\"\\")]
    [InlineData("%YAML 1.1\n%YAML 1.1\n---\na: b")]
    [InlineData("%FOO bar\n---\na: b")]
    [InlineData("---\n...\n---\n")]
    [InlineData("a: |\n b\n  c\n d")]
    [InlineData("\0")]
    [InlineData("\uFEFFengine_id: x")]
    [InlineData("\uFFFF\uD800")]
    [InlineData("a: *b\nb: &b 1")]
    [InlineData("<<: {engine_id: x}")]
    public void The_reader_never_throws_on_garbage(string text)
    {
        var result = EngineManifestReader.Read(text);

        Assert.NotNull(result);
        Assert.True(result.HasErrors);
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrEmpty(p.Message)));
    }

    [Fact]
    public void The_reader_never_throws_on_random_bytes()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            var text = Encoding.UTF8.GetString(bytes);

            var result = EngineManifestReader.Read(text);

            Assert.True(result.HasErrors, "iteration " + i);
        }
    }

    [Fact]
    public void The_reader_never_throws_on_random_yaml_punctuation()
    {
        const string alphabet = "abc:-[]{}&*!?|>'\"#%@`,. \t\n\\0123456789";
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var result = EngineManifestReader.Read(new string(chars));

            Assert.True(result.HasErrors, "iteration " + i);
        }
    }
}
