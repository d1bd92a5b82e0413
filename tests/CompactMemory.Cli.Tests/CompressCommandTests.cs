using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

public sealed class CompressCommandTests : IDisposable
{
    private const string TenWords = "one two three four five six seven eight nine ten";
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Text_is_compressed_to_stdout_and_the_engine_and_source_are_reported_on_stderr()
    {
        var result = _cli.Run("compress", "--text", TenWords, "--engine", "first_last", "--budget", "4");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("one two nine ten\n", result.Output);
        Assert.Equal("Engine: first_last (First/Last N/A) from built-in; tokens: 10 -> 4\n", result.Error);
    }

    [Fact]
    public void A_dash_reads_the_text_from_standard_input_and_quiet_silences_the_report()
    {
        var result = _cli.RunWithInput(TenWords, "compress", "--text", "-", "-e", "first_last", "-b", "5", "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("one two three nine ten\n", result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void The_default_engine_is_none_unless_the_environment_names_another()
    {
        var byDefault = _cli.Run("compress", "--text", TenWords, "-b", "3", "-q");
        _cli.Environment["COMPACT_MEMORY_DEFAULT_ENGINE_ID"] = "first_last";
        var fromEnvironment = _cli.Run("compress", "--text", TenWords, "-b", "3", "-q");

        Assert.Equal("one two three\n", byDefault.Output);
        Assert.Equal("one two ten\n", fromEnvironment.Output);
    }

    [Fact]
    public void A_missing_budget_is_a_usage_error()
    {
        var result = _cli.Run("compress", "--text", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Error: Option '--budget' is required.\nRun 'compact-memory compress --help' for usage.\n", result.Error);
    }

    [Fact]
    public void A_negative_budget_is_a_usage_error_that_says_why()
    {
        var result = _cli.Run("compress", "--text", "x", "--budget", "-3");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("Error: Invalid value for '--budget': the budget is a token count and must be zero or more.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_budget_that_is_not_a_number_is_a_usage_error()
    {
        var result = _cli.Run("compress", "--text", "x", "--budget", "lots");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("lots", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--text|a|--file|{file}")]
    public void Exactly_one_input_is_required(string joinedInputs)
    {
        var inputs = joinedInputs.Split('|', StringSplitOptions.RemoveEmptyEntries);
        var file = _temp.Combine("in.txt");
        File.WriteAllText(file, "x");
        var args = new[] { "compress", "-b", "5" }.Concat(inputs.Select(a => a.Replace("{file}", file, StringComparison.Ordinal))).ToArray();

        var result = _cli.Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Specify exactly ONE of --text, --file, or --dir.\n", result.Error);
    }

    [Fact]
    public void An_unknown_engine_lists_the_available_ids_and_the_closest_match()
    {
        var result = _cli.Run("compress", "--text", "x", "-e", "frist_last", "-b", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Unknown one-shot compression engine 'frist_last'. Did you mean 'first_last'? Available: first_last, none, pipeline, stopword_pruner\n", result.Error);
    }

    [Fact]
    public void A_missing_input_file_is_a_usage_error_naming_the_file()
    {
        var missing = _temp.Combine("missing.txt");

        var result = _cli.Run("compress", "--file", missing, "-b", "5");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '--file': File '{missing}' does not exist.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_given_as_the_input_file_is_named_as_such()
    {
        var result = _cli.Run("compress", "--file", _temp.Path, "-b", "5");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '--file': '{_temp.Path}' is a directory, not a file; use --dir for directories.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_given_as_the_directory_is_named_as_a_file()
    {
        var file = _temp.Combine("notes.txt");
        File.WriteAllText(file, "x");

        var result = _cli.Run("compress", "--dir", file, "-b", "5");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '--dir': '{file}' is a file, not a directory; use --file for a single file.\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_directory_that_is_a_file_and_an_output_file_that_is_a_directory_are_usage_errors()
    {
        var input = _temp.CreateDirectory("docs");
        var file = _temp.Combine("taken");
        File.WriteAllText(file, "x");

        var outputDir = _cli.Run("compress", "--dir", input, "--output-dir", file, "-b", "5");
        var output = _cli.Run("compress", "--text", "x", "-o", input, "-b", "5");

        Assert.Equal(2, outputDir.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '--output-dir': '{file}' is a file, not a directory; give a directory to write into.\n", outputDir.Error, StringComparison.Ordinal);
        Assert.Equal(2, output.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '--output': '{input}' is a directory, not a file; give the path of a file to write.\n", output.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--file")]
    [InlineData("--dir")]
    [InlineData("--output")]
    [InlineData("--output-dir")]
    [InlineData("--output-trace")]
    public void A_path_with_a_nul_character_is_a_usage_error_not_a_crash(string option)
    {
        var path = _temp.Combine("a\0b");

        var result = _cli.Run("compress", "--text", "x", option, path, "-b", "5");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: Invalid value for '{option}': '{path.Replace("\0", "\\u0000", StringComparison.Ordinal)}' is not a valid path (it contains a NUL character).\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_starting_with_an_at_sign_is_text_not_a_response_file()
    {
        var notes = _temp.Combine("notes");
        File.WriteAllText(notes, "--budget 1 --engine first_last");

        var result = _cli.Run("compress", "--text", "@" + notes, "-e", "none", "-b", "100", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("@" + notes + "\n", result.Output);
    }

    [Fact]
    public void Json_output_counts_the_real_input_and_names_the_real_source()
    {
        var file = _temp.Combine("input.txt");
        File.WriteAllText(file, TenWords);

        var result = _cli.Run("compress", "--file", file, "-e", "first_last", "-b", "4", "--json", "-q");
        var json = (JsonObject)JsonNode.Parse(result.Output)!;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["source", "compressed_text", "original_tokens", "compressed_tokens", "processing_ms", "trace"], json.Select(p => p.Key).ToArray());
        Assert.Equal("file: " + file, (string?)json["source"]);
        Assert.Equal("one two nine ten", (string?)json["compressed_text"]);
        Assert.Equal(10, (int?)json["original_tokens"]);
        Assert.Equal(4, (int?)json["compressed_tokens"]);
        Assert.Equal("first_last", (string?)json["trace"]!["engine_name"]);
        Assert.True((double?)json["processing_ms"] >= 0);
    }

    [Fact]
    public void Output_and_trace_files_are_written_and_the_trace_can_be_inspected()
    {
        var output = _temp.Combine("out", "compressed.txt");
        var trace = _temp.Combine("out", "trace.json");

        var result = _cli.Run("compress", "--text", TenWords, "-e", "first_last", "-b", "4", "-o", output, "--output-trace", trace, "-q");
        var inspected = _cli.Run("dev", "inspect-trace", trace);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Saved compressed output to {output}\nSaved compression trace to {trace}\n", result.Output);
        Assert.Equal("one two nine ten", File.ReadAllText(output));
        Assert.Equal(0, inspected.ExitCode);
        var lines = inspected.Output.Split('\n');
        Assert.Matches(@"^Compression Trace: trace\.json \| Engine: first_last \| Original Tokens: 10 \| Compressed Tokens: 4 \| Time: \d+\.\d\dms$", lines[0]);
        Assert.Equal("Index  Type        Details Preview", lines[1]);
        Assert.Equal("0      first_last  {\"kept_first_tokens\":2,\"kept_last_tokens\":2}", lines[3]);
    }

    [Fact]
    public void A_trace_file_that_would_overwrite_the_compressed_output_is_refused()
    {
        var output = _temp.Combine("same.txt");
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "a.txt"), "alpha");

        var single = _cli.Run("compress", "--text", TenWords, "-b", "4", "-o", output, "--output-trace", output);
        var directory = _cli.Run("compress", "--dir", input, "-b", "4", "--output-trace", Path.Combine(input, "compressed_output.txt"));

        Assert.Equal(1, single.ExitCode);
        Assert.Equal($"Error: --output-trace '{output}' is the file the compressed output is written to; the trace would overwrite it. Give --output-trace another path.\n", single.Error);
        Assert.False(File.Exists(output));
        Assert.Equal(1, directory.ExitCode);
        Assert.False(File.Exists(Path.Combine(input, "compressed_output.txt")));
    }

    [Fact]
    public void Verbose_stats_report_source_tokens_and_time()
    {
        var result = _cli.Run("compress", "--text", TenWords, "-e", "none", "-b", "3", "--verbose-stats", "-q");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(["one two three", "Source: text", "Original tokens: 10", "Compressed tokens: 3"], lines[..4]);
        Assert.Matches(@"^Time ms: \d+\.\d$", lines[4]);
    }

    [Fact]
    public void A_directory_is_combined_in_sorted_order_and_compressed_once()
    {
        var input = _temp.CreateDirectory("docs");
        File.WriteAllText(Path.Combine(input, "b.txt"), "beta");
        File.WriteAllText(Path.Combine(input, "a.txt"), "alpha");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.WriteAllText(Path.Combine(input, "sub", "c.txt"), "gamma");
        File.WriteAllText(Path.Combine(input, "skip.md"), "not matched");
        var outputDir = _temp.Combine("result");

        var result = _cli.Run("compress", "--dir", input, "-r", "--output-dir", outputDir, "-e", "none", "-b", "100", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("alpha\n\nbeta\n\ngamma", File.ReadAllText(Path.Combine(outputDir, "compressed_output.txt")));
        Assert.Contains("Successfully read and combined content from 3 file(s). Skipped 0 file(s) due to errors.", result.Output, StringComparison.Ordinal);
        Assert.EndsWith($"Finished processing directory. Combined 3 file(s) into '{Path.Combine(outputDir, "compressed_output.txt")}'.\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_matching_files_is_not_an_error()
    {
        var input = _temp.CreateDirectory("empty");

        var result = _cli.Run("compress", "--dir", input, "-b", "10");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"No files matching pattern '*.txt' found in '{input}'.\n", result.Output);
    }

    [Theory]
    [InlineData("--pattern", "*.md", "Error: --pattern is only valid with --dir.")]
    [InlineData("--recursive", null, "Error: --recursive is only valid with --dir.")]
    [InlineData("--output-dir", "out", "Error: --output-dir is only valid with --dir.")]
    public void Directory_options_without_dir_are_refused(string option, string? value, string message)
    {
        var args = value is null ? new[] { "compress", "--text", "x", "-b", "3", option } : ["compress", "--text", "x", "-b", "3", option, value];

        var result = _cli.Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(message + "\n", result.Error);
    }

    [Fact]
    public void Json_is_refused_for_directory_input()
    {
        var result = _cli.Run("compress", "--dir", _temp.Path, "--json", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: --json output is not supported with --dir. Output is a single compressed file.\n", result.Error);
    }

    [Fact]
    public void The_pipeline_runs_its_stages_with_their_engine_params()
    {
        const string config = """{"engines": [{"engine_name": "stopword_pruner", "engine_params": {"config": {"min_word_length": 5}}}, {"engine_name": "first_last"}]}""";

        var result = _cli.Run("compress", "-e", "pipeline", "--pipeline-config", config, "--text", "The quick brown fox jumps over the lazy dog by the river", "-b", "2", "-q");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("quick brown\n", result.Output);
    }

    [Theory]
    [InlineData(null, "Error: --pipeline-config is required when --engine is 'pipeline'.\n")]
    [InlineData("[1, 2]", "Error: Pipeline config JSON must be a dictionary (object) with an 'engines' key.\n")]
    [InlineData("{}", "Error: Pipeline config JSON dictionary must contain an 'engines' key.\n")]
    [InlineData("""{"engines": 3}""", "Error: The 'engines' key in pipeline config JSON must contain a list of engine configurations.\n")]
    [InlineData("""{"engines": ["none"]}""", "Error: Each item in the 'engines' list must be a dictionary, found: str\n")]
    [InlineData("""{"engines": [{"engine_name": "nope"}]}""", "Error creating pipeline engine from config: stage 0 ('nope'): Unknown engine 'nope'. Did you mean 'none'? Available: first_last, none, pipeline, stopword_pruner\n")]
    public void Pipeline_configuration_errors_are_specific(string? config, string message)
    {
        var args = config is null ? new[] { "compress", "-e", "pipeline", "--text", "x", "-b", "3" } : ["compress", "-e", "pipeline", "--pipeline-config", config, "--text", "x", "-b", "3"];

        var result = _cli.Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(message, result.Error);
    }

    [Fact]
    public void Invalid_pipeline_json_is_reported_as_a_decoding_error()
    {
        var result = _cli.Run("compress", "-e", "pipeline", "--pipeline-config", "{not json", "--text", "x", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error decoding pipeline config JSON: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipeline_config_for_another_engine_is_refused()
    {
        var result = _cli.Run("compress", "-e", "none", "--pipeline-config", "{}", "--text", "x", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: --pipeline-config can only be used when --engine is 'pipeline'.\n", result.Error);
    }

    [Fact]
    public void An_engine_whose_trace_json_cannot_hold_is_named_not_an_unexpected_error()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "nan_trace",
            ClassName = "NanTrace",
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("nan_trace")]
                public sealed class NanTrace : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
                    {
                        var trace = new CompressionTrace("nan_trace") { ProcessingMs = double.NaN };
                        return new CompressedMemory(text) { EngineId = Id, Trace = trace };
                    }
                }
                """,
        }.WriteTo(plugins, "nan_trace");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugins;

        var result = _cli.Run("compress", "-e", "nan_trace", "--text", "x", "-b", "3", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error during compression with engine 'nan_trace': its trace cannot be written as JSON: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_engine_that_throws_inside_compress_is_reported_without_a_stack_trace()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "boom",
            ClassName = "Boom",
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("boom")]
                public sealed class Boom : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
                        => throw new System.InvalidOperationException("kaboom");
                }
                """,
        }.WriteTo(plugins, "boom");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugins;

        var result = _cli.Run("compress", "-e", "boom", "--text", "x", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("An unexpected error occurred during compression with engine 'boom': InvalidOperationException: kaboom\n", result.Error);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public void A_configuration_error_inside_an_engine_is_reported_as_such()
    {
        const string config = """{"engines": [{"engine_name": "stopword_pruner", "engine_params": {"stopwords_language": "klingon"}}]}""";

        var result = _cli.Run("compress", "-e", "pipeline", "--pipeline-config", config, "--text", "x", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Configuration error for engine 'pipeline': Pipeline stage 0 ('stopword_pruner') failed: stopwords_language 'klingon' has no stopword list; available: english.\n", result.Error);
    }

    [Fact]
    public void Asking_for_an_engine_whose_package_failed_shows_why_it_failed()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "wanted", ClassId = "other" }.WriteTo(plugins, "wanted");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugins;

        var result = _cli.Run("compress", "-e", "wanted", "--text", "x", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("declares 'wanted' but failed to load:\n- engine_id 'wanted' does not match engine class id 'other'\n", result.Error, StringComparison.Ordinal);
    }
}
