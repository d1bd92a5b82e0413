using System;
using System.IO;
using System.Linq;
using System.Text;
using CompactMemory.Cli.Experiments;
using CompactMemory.Cli.Input;
using CompactMemory.Testing;
using CompactMemory.Tokens;
using CsCheck;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>The experiment file reader (format v1): good files, every kind of bad file, and generated ones.</summary>
public sealed class ExperimentReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _package;
    private readonly string _experiments;

    public ExperimentReaderTests()
    {
        _package = _temp.CreateDirectory("pkg");
        _experiments = _temp.CreateDirectory("pkg", "experiments");
        Directory.CreateDirectory(Path.Combine(_experiments, "data"));
        File.WriteAllText(Path.Combine(_experiments, "data", "a.txt"), "Alpha beta gamma.");
        File.WriteAllText(Path.Combine(_package, "top.txt"), "Top level text.");
        File.WriteAllText(_temp.Combine("outside.txt"), "Outside.");
    }

    public void Dispose() => _temp.Dispose();

    private ExperimentReadResult Read(string yaml, string name = "exp.yaml")
    {
        var file = Path.Combine(_experiments, name);
        File.WriteAllText(file, yaml);
        return ExperimentReader.Read(_package, file);
    }

    private ExperimentReadResult ReadBytes(byte[] bytes, string name = "exp.yaml")
    {
        var file = Path.Combine(_experiments, name);
        File.WriteAllBytes(file, bytes);
        return ExperimentReader.Read(_package, file);
    }

    private static (int Line, string Message) Only(ExperimentReadResult result)
    {
        Assert.Null(result.Experiment);
        var problem = Assert.Single(result.Problems);
        return (problem.Line, problem.Message);
    }

    [Fact]
    public void A_full_experiment_is_read()
    {
        var result = Read("""
            name: full
            description: Everything set.
            engine_id: my_engine
            dataset:
              - file: data/a.txt
              - file: ../top.txt
              - text: "Inline words here."
            budgets: [40, 10, 80]
            repeat: 3
            """);

        Assert.Empty(result.Problems);
        var experiment = result.Experiment!;
        Assert.Equal("full", experiment.Name);
        Assert.Equal("Everything set.", experiment.Description);
        Assert.Equal("my_engine", experiment.EngineId);
        Assert.Equal(3, experiment.EngineIdLine);
        Assert.Equal([40, 10, 80], experiment.Budgets);
        Assert.Equal(3, experiment.Repeat);
        Assert.Equal(["Alpha beta gamma.", "Top level text.", "Inline words here."], experiment.Texts.Select(t => t.Text));
        Assert.Equal([Path.Combine("experiments", "data", "a.txt"), "top.txt", "text on line 7"], experiment.Texts.Select(t => t.Label));
        Assert.Equal(experiment.Texts.Select(t => DefaultTokenizer.Instance.CountTokens(t.Text)), experiment.Texts.Select(t => t.Tokens));
    }

    [Fact]
    public void Defaults_are_the_file_name_the_package_engine_and_one_run()
    {
        var result = Read("dataset: [{text: words}]\nbudgets: [5]\n", "my-test.yaml");

        Assert.Empty(result.Problems);
        Assert.Equal("my-test", result.Name);
        Assert.Equal("my-test", result.Experiment!.Name);
        Assert.Null(result.Experiment.EngineId);
        Assert.Null(result.Experiment.Description);
        Assert.Equal(1, result.Experiment.Repeat);
    }

    [Theory]
    [InlineData("", 1, "the experiment file is empty; an experiment needs at least a dataset and budgets")]
    [InlineData("- a\n- b\n", 1, "an experiment file is a mapping of keys (key: value), but this one is a list")]
    [InlineData("budgets: [1]\n", 1, "'dataset' is missing; add the texts to compress")]
    [InlineData("dataset: [{text: x}]\n", 1, "'budgets' is missing; add the token budgets to try")]
    [InlineData("dataset: [{text: x}]\nbudgets: [1]\nbudget: 2\n", 3, "unknown key 'budget' (did you mean 'budgets'?); the keys of an experiment are")]
    [InlineData("dataset: [{text: x}]\nbudgets: [1]\nbudgets: [2]\n", 3, "'budgets' appears twice (first on line 2); keep one")]
    [InlineData("dataset: []\nbudgets: [1]\n", 1, "'dataset' is empty")]
    [InlineData("dataset:\nbudgets: [1]\n", 1, "'dataset' must be a list of entries")]
    [InlineData("dataset: [{text: x}]\nbudgets: []\n", 2, "'budgets' is empty")]
    [InlineData("dataset: [{text: x}]\nbudgets: 40\n", 2, "'budgets' must be a list, but it is the number 40")]
    [InlineData("dataset: [{text: x}]\nbudgets:\n  - 10\n  - 0\n", 4, "budget 0 is not positive")]
    [InlineData("dataset: [{text: x}]\nbudgets: [-5]\n", 2, "budget -5 is not positive")]
    [InlineData("dataset: [{text: x}]\nbudgets: [2.5]\n", 2, "budget '2.5' is not a whole decimal number")]
    [InlineData("dataset: [{text: x}]\nbudgets: [0x10]\n", 2, "budget '0x10' is not a whole decimal number")]
    [InlineData("dataset: [{text: x}]\nbudgets: [\"40\"]\n", 2, "budget must be a whole number, but it is a string (write the number without quotes)")]
    [InlineData("dataset: [{text: x}]\nbudgets: [2147483648]\n", 2, "budget 2147483648 is too large (at most 2,147,483,647)")]
    [InlineData("dataset: [{text: x}]\nbudgets: [5, 6, 5]\n", 2, "budget 5 is listed twice (first on line 2)")]
    [InlineData("dataset: [{text: x}]\nbudgets: [5]\nrepeat: 0\n", 3, "repeat 0 is not positive")]
    [InlineData("dataset: [{text: x}]\nbudgets: [5]\nrepeat: 10001\n", 3, "repeat 10001 is too large (at most 10,000)")]
    [InlineData("dataset: [{text: x}]\nbudgets: [5]\nname: [a]\n", 3, "'name' must be text, but it is a list")]
    [InlineData("dataset: [{text: x}]\nbudgets: [5]\nengine_id: my engine\n", 3, "engine_id 'my engine' contains whitespace")]
    [InlineData("dataset:\n  - words\nbudgets: [5]\n", 2, "this dataset entry is a string; each dataset entry is a mapping with exactly one key")]
    [InlineData("dataset:\n  - text: a\n    file: data/a.txt\nbudgets: [5]\n", 3, "this dataset entry has both 'text' (line 2) and 'file'")]
    [InlineData("dataset:\n  - path: data/a.txt\nbudgets: [5]\n", 2, "this dataset entry has unknown key 'path'")]
    [InlineData("dataset:\n  - text: \"   \"\nbudgets: [5]\n", 2, "the inline text has no tokens (it is only whitespace)")]
    [InlineData("dataset:\n  - text:\nbudgets: [5]\n", 2, "'text' must be text, but it is empty")]
    [InlineData("dataset:\n  - file: /etc/hostname\nbudgets: [5]\n", 2, "file '/etc/hostname' is an absolute path")]
    [InlineData("dataset:\n  - file: ../../outside.txt\nbudgets: [5]\n", 2, "file '../../outside.txt' is outside the package folder")]
    [InlineData("dataset:\n  - file: data/nope.txt\nbudgets: [5]\n", 2, "file 'data/nope.txt' does not exist")]
    [InlineData("dataset:\n  - file: data\nbudgets: [5]\n", 2, "file 'data' is a directory, not a regular file")]
    [InlineData("dataset:\n  - file: ..\nbudgets: [5]\n", 2, "file '..' is outside the package folder")]
    [InlineData("dataset: [{text: x}]\nbudgets: [5]\n---\ndataset: []\n", 3, "the file holds more than one YAML document; keep only one (an experiment file holds one experiment)")]
    [InlineData("dataset: [{text: x}\nbudgets: [5]\n", 1, "the YAML cannot be parsed past line 1; check the brackets, quotes and indentation there (an unclosed '[' or '{' is a common cause)")]
    [InlineData("budgets: [5]\ndataset: [\n", 3, "invalid YAML: ")]
    [InlineData("dataset: [{text: *nothing}]\nbudgets: [5]\n", 1, "alias '*nothing' refers to no anchor defined before it; define its anchor (&NAME) before it, or write the value out")]
    public void A_problem_names_its_line_and_fix(string yaml, int line, string message)
    {
        var (actualLine, actualMessage) = Only(Read(yaml));

        Assert.Equal(line, actualLine);
        Assert.StartsWith(message, actualMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_name_with_control_characters_needs_a_name_of_its_own()
    {
        var unnamed = Read("dataset: [{text: words}]\nbudgets: [1]\n", "red\u001b[31m.yaml");
        var named = Read("name: red\ndataset: [{text: words}]\nbudgets: [1]\n", "red\u001b[31m.yaml");

        Assert.Equal((1, "the file name 'red\\u001b[31m' has control characters, so it cannot be the experiment's name; rename the file, or give a name such as 'name: article'"), Only(unnamed));
        Assert.Empty(named.Problems);
        Assert.Equal("red", named.Experiment!.Name);
    }

    [Fact]
    public void Every_problem_of_a_file_is_listed_in_line_order_with_the_file()
    {
        var result = Read("colour: red\ndataset:\n  - file: data/nope.txt\nbudgets: [0]\nrepeat: -1\n");

        Assert.Null(result.Experiment);
        Assert.Equal([1, 3, 4, 5], result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.StartsWith(Path.Combine(_experiments, "exp.yaml") + ":" + p.Line + ": ", p.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void An_alias_bomb_is_stopped_by_the_limits()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var (line, message) = Only(Read(yaml.ToString()));

        Assert.InRange(line, 2, 10);
        Assert.Equal("aliases expand to more than 100000 YAML nodes (an alias bomb?); write the values out instead", message);
    }

    [Fact]
    public void A_long_text_used_many_times_is_stopped_by_the_limits()
    {
        var yaml = "t: &t " + new string('x', 200_000) + "\ndataset: [{text: *t}, {text: *t}, {text: *t}, {text: *t}, {text: *t}, {text: *t}]\nbudgets: [1]\n";

        var (line, message) = Only(Read(yaml));

        Assert.Equal(2, line);
        Assert.Equal("aliases expand to more than 1,048,576 characters of text (a long value used many times?); write the values out instead", message);
    }

    [Fact]
    public void Too_many_values_are_refused_with_the_fix()
    {
        var (line, message) = Only(Read("dataset: [{text: x}]\nbudgets: [1]\nx: [" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "]\n"));

        Assert.Equal(3, line);
        Assert.Equal("the file has more than 100000 YAML nodes; an experiment needs a few dozen", message);
    }

    [Fact]
    public void Long_tags_are_refused_with_the_fix()
    {
        var yaml = "%TAG !e! tag:" + new string('x', 200_000) + ":\n---\nx: [" + string.Join(", ", Enumerable.Repeat("!e!v 1", 6)) + "]\n";

        var (line, message) = Only(Read(yaml));

        Assert.Equal(3, line);
        Assert.Equal("tags expand to more than 1,048,576 characters of text (a long %TAG prefix used many times?); an experiment needs no tags", message);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var (line, message) = Only(Read("dataset: " + new string('[', 40) + new string(']', 40) + "\nbudgets: [1]\n"));

        Assert.Equal(1, line);
        Assert.Equal("lists and mappings are nested more than 32 levels deep; an experiment needs three", message);
    }

    [Fact]
    public void An_experiment_file_that_is_not_utf8_names_its_line()
    {
        var (line, message) = Only(ReadBytes([.. "dataset:\n  - text: \""u8, 0xFF, .. "\"\nbudgets: [1]\n"u8]));

        Assert.Equal(2, line);
        Assert.Equal("the experiment file is not valid UTF-8 text (invalid start byte 0xFF at offset 20); save it as UTF-8", message);
    }

    [Fact]
    public void An_experiment_file_with_a_nul_is_refused()
    {
        var (line, message) = Only(ReadBytes([.. "dataset: [{text: x}]\nbudgets: [1]\n"u8, 0]));

        Assert.Equal(3, line);
        Assert.StartsWith("the experiment file is not valid UTF-8 text (NUL byte at offset 34)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dataset_file_that_is_not_text_is_named_with_its_line()
    {
        File.WriteAllBytes(Path.Combine(_experiments, "data", "latin1.txt"), [.. "ok\nna"u8, 0xEF, .. "ve\n"u8]);
        File.WriteAllBytes(Path.Combine(_experiments, "data", "binary.bin"), [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1]);

        var result = Read("dataset:\n  - file: data/latin1.txt\n  - file: data/binary.bin\nbudgets: [1]\n");

        Assert.Equal(
            [
                "file 'data/latin1.txt' is not valid UTF-8 text (invalid continuation byte 0x76 after byte 0xEF at offset 5, line 2); save it as UTF-8",
                "file 'data/binary.bin' looks like binary data, not text (NUL byte at offset 4, line 1); give a UTF-8 text file",
            ],
            result.Problems.Select(p => p.Message));
        Assert.Equal([2, 3], result.Problems.Select(p => p.Line));
    }

    [Fact]
    public void An_empty_dataset_file_is_refused()
    {
        File.WriteAllText(Path.Combine(_experiments, "data", "empty.txt"), " \n ");

        var (line, message) = Only(Read("dataset:\n  - file: data/empty.txt\nbudgets: [1]\n"));

        Assert.Equal(2, line);
        Assert.Equal("file 'data/empty.txt' has no tokens (it is empty or only whitespace); give a file with text to compress", message);
    }

    [Fact]
    public void A_link_out_of_the_package_is_refused_however_it_is_reached()
    {
        File.CreateSymbolicLink(Path.Combine(_experiments, "data", "leak.txt"), _temp.Combine("outside.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_experiments, "up"), _temp.Path);

        var result = Read("dataset:\n  - file: data/leak.txt\n  - file: up/outside.txt\nbudgets: [1]\n");

        Assert.Equal([2, 3], result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.Contains($"is outside the package folder ('{_temp.Combine("outside.txt")}')", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_link_inside_the_package_is_followed()
    {
        File.CreateSymbolicLink(Path.Combine(_experiments, "data", "link.txt"), "a.txt");

        var result = Read("dataset:\n  - file: data/link.txt\nbudgets: [1]\n");

        Assert.Empty(result.Problems);
        Assert.Equal("Alpha beta gamma.", result.Experiment!.Texts[0].Text);
    }

    [Fact]
    public void A_fifo_is_never_opened()
    {
        DirectoryInputTests.MakeFifo(Path.Combine(_experiments, "data", "pipe.txt"));
        DirectoryInputTests.MakeFifo(Path.Combine(_experiments, "pipe.yaml"));

        var dataset = Only(Read("dataset:\n  - file: data/pipe.txt\nbudgets: [1]\n"));
        var experiment = Only(ExperimentReader.Read(_package, Path.Combine(_experiments, "pipe.yaml")));

        Assert.Equal((2, "file 'data/pipe.txt' is a named pipe (FIFO), not a regular file, so it is not read; point it at a text file"), dataset);
        Assert.Equal((1, "the experiment file is a named pipe (FIFO), not a regular file, so it is not read; replace it with a YAML file"), experiment);
    }

    [Fact]
    public void Files_that_are_too_big_are_refused_unread()
    {
        using (var big = File.Create(Path.Combine(_experiments, "data", "big.txt")))
        {
            big.SetLength(BoundedReader.MaxInputBytes + 1);
        }

        using (var bigYaml = File.Create(Path.Combine(_experiments, "big.yaml")))
        {
            bigYaml.SetLength(ExperimentReader.MaxFileBytes + 1);
        }

        var dataset = Only(Read("dataset:\n  - file: data/big.txt\nbudgets: [1]\n"));
        var experiment = Only(ExperimentReader.Read(_package, Path.Combine(_experiments, "big.yaml")));

        Assert.Equal(2, dataset.Line);
        Assert.StartsWith("file 'data/big.txt' is too big: the dataset files of an experiment add up to at most 64 MiB", dataset.Message, StringComparison.Ordinal);
        Assert.Equal((1, "the experiment file is larger than 1,048,576 bytes; put long texts in dataset files (- file: data/x.txt)"), experiment);
    }

    /// <summary>
    /// Generated experiment files — pieces of valid experiments, wrong types, hostile YAML (anchors, aliases, tags,
    /// unbalanced brackets, tabs, control characters), paths inside and outside the package — never make the reader
    /// throw, and always give either an experiment with no problems or problems that each have a line and a message.
    /// </summary>
    [Fact]
    public void Generated_experiment_files_give_an_experiment_or_problems_with_lines()
    {
        File.WriteAllBytes(Path.Combine(_experiments, "data", "bad.bin"), [0xC3, 0x28, 0]);
        File.WriteAllText(Path.Combine(_experiments, "data", "blank.txt"), "   ");
        var file = Path.Combine(_experiments, "generated.yaml");
        var packageRoot = Path.GetFullPath(_package);

        var key = Gen.OneOf<string>("name", "description", "engine_id", "dataset", "budgets", "repeat", "file", "text", "budget", "Name", "? x", "&k", "*k", "<<", "");
        var scalar = Gen.OneOf(
            Gen.OneOf<string>("0", "1", "-1", "40", "2147483647", "2147483648", "1.5", "0x10", "\"40\"", "~", "null", "yes", "''", "\"\"", ".inf", "+7", "007"),
            Gen.OneOf<string>("data/a.txt", "../top.txt", "../../outside.txt", "/etc/hostname", "data", "data/bad.bin", "data/blank.txt", "data/nope.txt", "..", ".", "data/a.txt\0", "C:\\x"),
            Gen.OneOf<string>("&a x", "*a", "!!str 5", "!!int x", "!custom v", "|\n  block", ">\n  folded", "\"esc\\u0000\"", "'q''s'"),
            Gen.String[0, 8].Select(s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
        var flowList = scalar.Array[0, 4].Select(items => "[" + string.Join(", ", items) + "]");
        var entry = Gen.OneOf(
            Gen.Select(Gen.OneOf<string>("file", "text", "path"), scalar).Select(t => "{" + t.Item1 + ": " + t.Item2 + "}"),
            Gen.Select(scalar, scalar).Select(t => "{file: " + t.Item1 + ", text: " + t.Item2 + "}"),
            scalar);
        var value = Gen.OneOf(scalar, flowList, entry.Array[0, 4].Select(items => "[" + string.Join(", ", items) + "]"), entry.Array[1, 3].Select(items => "\n" + string.Concat(items.Select(i => "  - " + i + "\n"))));
        var line = Gen.OneOf(
            Gen.Select(key, value).Select(t => t.Item1 + ": " + t.Item2),
            Gen.OneOf<string>("---", "...", "%YAML 1.2", "%TAG ! tag:x,2000:", "[", "]", "{", "\t- x", "  - file: data/a.txt", "- 1", "#", "dataset: &d [{text: a}]", "budgets: &b [1, 2]", "x: [*d, *d, *b]"),
            Gen.String[0, 6]);
        var yaml = Gen.OneOf(
            line.Array[0, 8].Select(lines => string.Join("\n", lines)),
            Gen.String[0, 4].Select(tail => "dataset: [{file: data/a.txt}]\nbudgets: [1, 2]\n" + tail));
        var bytes = Gen.OneOf(
            yaml.Select(text => Encoding.UTF8.GetBytes(text)),
            Gen.Byte.Array[0, 40],
            Gen.Select(yaml, Gen.Byte, Gen.Int[0, 40], (text, b, at) =>
            {
                var raw = Encoding.UTF8.GetBytes(text);
                if (raw.Length > 0)
                {
                    raw[at % raw.Length] = b;
                }

                return raw;
            }));

        var valid = 0;
        Property.ForAll(bytes, input =>
        {
            var result = ExperimentReader.Parse(input, file, packageRoot);

            Assert.NotNull(result.Name);
            if (result.Experiment is { } experiment)
            {
                valid++;
                Assert.Empty(result.Problems);
                Assert.NotEmpty(experiment.Texts);
                Assert.NotEmpty(experiment.Budgets);
                Assert.All(experiment.Budgets, b => Assert.True(b > 0));
                Assert.Equal(experiment.Budgets.Count, experiment.Budgets.Distinct().Count());
                Assert.InRange(experiment.Repeat, 1, ExperimentReader.MaxRepeat);
                Assert.All(experiment.Texts, t => Assert.True(t.Tokens > 0));
                Assert.DoesNotContain(experiment.Texts, t => t.Text.Contains("Outside.", StringComparison.Ordinal));
            }
            else
            {
                Assert.NotEmpty(result.Problems);
                Assert.All(result.Problems, p =>
                {
                    Assert.True(p.Line >= 1, p.ToString());
                    Assert.False(string.IsNullOrWhiteSpace(p.Message));
                    Assert.DoesNotContain('\n', p.Message);
                    Assert.Equal(file, p.File);
                });
            }
        }, cases: 3000, seed: 20261203, print: input => Convert.ToHexString(input) + " = " + Encoding.UTF8.GetString(input));

        // The generator reaches valid experiments too, so both halves of the property are exercised.
        Assert.True(valid > 0, "no generated file was a valid experiment");
    }
}
