using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>A plugin directory holding three context engines: one that keeps everything, one whose constructor throws, one whose compression throws.</summary>
public sealed class ContextEnginePlugins : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ContextEnginePlugins()
    {
        Directory = _temp.CreateDirectory("plugins");
        Write("keep_all", "KeepAll", "=> Task.FromResult(messages);", string.Empty);
        Write("broken_ctor", "BrokenCtor", "=> Task.FromResult(messages);", "public BrokenCtor() { throw new System.InvalidOperationException(\"no database file\"); }");
        Write("broken_compress", "BrokenCompress", "=> throw new System.InvalidOperationException(\"disk full\");", string.Empty);
    }

    public string Directory { get; }

    public void Dispose() => _temp.Dispose();

    private void Write(string id, string className, string body, string members) =>
        new PluginPackageBuilder
        {
            EngineId = id,
            ClassName = className,
            Source = $$"""
                using System.Collections.Generic;
                using System.Threading;
                using System.Threading.Tasks;
                using CompactMemory;
                using CompactMemory.Context;
                using Microsoft.Extensions.AI;
                namespace TestPlugins;
                [CompressionEngine("{{id}}")]
                public sealed class {{className}} : ContextEngine
                {
                    {{members}}
                    public override string Name => "{{id}}";
                    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                        {{body}}
                }
                """,
        }.WriteTo(Directory, id);
}

/// <summary><c>compact-memory context compress|list-engines|status</c>, run in-process.</summary>
public sealed class ContextCommandTests : IClassFixture<ContextEnginePlugins>, IDisposable
{
    private const string ExactFallback = "Context engine 'nope' not found — falling back to built-in compressor";
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();
    private readonly string _conversation;

    public ContextCommandTests(ContextEnginePlugins plugins)
    {
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugins.Directory;
        _conversation = _temp.Combine("conversation.json");
        File.WriteAllText(_conversation, LongConversation());
    }

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    /// <summary>A system prompt, 30 rounds of user question, tool call, tool result and answer (~32K rough tokens), and a last question.</summary>
    private static string LongConversation()
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = "You are helpful." } };
        for (var i = 0; i < 30; i++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"Question {i}: " + string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 60)) });
            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = $"call_{i}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = "read_file", ["arguments"] = $"{{\"path\": \"f{i}.txt\"}}" },
                }),
            });
            messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = $"call_{i}", ["content"] = string.Concat(Enumerable.Repeat("file body ", 150)) });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = $"Answer {i}: " + string.Concat(Enumerable.Repeat("consectetur adipiscing ", 40)) });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = "And finally?" });
        return messages.ToJsonString();
    }

    private const string ShortConversation = """[{"role":"system","content":"s"},{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]""";

    [Fact]
    public void Compress_writes_the_compacted_conversation_to_stdout_and_what_happened_to_stderr()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation);

        Assert.Equal(0, result.ExitCode);
        var messages = JsonNode.Parse(result.Output)!.AsArray();
        Assert.True(messages.Count < 122, $"{messages.Count} messages");
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("And finally?", messages[^1]!["content"]!.GetValue<string>());
        Assert.Single(messages, m => m!["_compressed_summary"] is not null);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Engine: compressor (built-in)", lines[0]);
        Assert.Matches(@"^Compressed 122 messages to \d+: \d+ messages summarized into one summary message", lines[1]);
        Assert.Matches(@"^Tokens: ~[\d,]+ -> ~[\d,]+ \(rough estimate: characters / 4", lines[2]);
        Assert.StartsWith("Note: no summary model is configured, so the summary is the built-in compressor's deterministic offline fallback", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_json_wraps_the_messages_with_the_statistics_in_order()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation, "--json", "--focus", "file bodies");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        var document = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal(
            new[] { "engine", "compressed", "tokens_before", "tokens_after", "messages_before", "messages_after", "summarized", "fallback_used", "aborted", "warnings", "messages" },
            document.Select(p => p.Key));
        Assert.Equal("compressor", document["engine"]!.GetValue<string>());
        Assert.True(document["compressed"]!.GetValue<bool>());
        Assert.True(document["tokens_after"]!.GetValue<int>() < document["tokens_before"]!.GetValue<int>());
        Assert.Equal(122, document["messages_before"]!.GetValue<int>());
        var after = document["messages"]!.AsArray().Count;
        Assert.Equal(after, document["messages_after"]!.GetValue<int>());
        Assert.Equal(122 - after + 1, document["summarized"]!.GetValue<int>());
        Assert.True(document["fallback_used"]!.GetValue<bool>());
        Assert.False(document["aborted"]!.GetValue<bool>());
        Assert.Empty(document["warnings"]!.AsArray());
    }

    [Fact]
    public void Compress_reads_standard_input_and_can_leave_private_keys_out()
    {
        var result = _cli.RunWithInput(File.ReadAllText(_conversation), "context", "compress", "--messages", "-", "--strip-private");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("\"_", result.Output, StringComparison.Ordinal);
        Assert.True(JsonNode.Parse(result.Output)!.AsArray().Count < 122);
    }

    [Fact]
    public void A_conversation_with_nothing_to_compact_is_written_back_unchanged()
    {
        var result = _cli.RunWithInput(ShortConversation, "context", "compress", "-m", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ShortConversation, JsonNode.Parse(result.Output)!.ToJsonString());
        Assert.Contains("Nothing to compress: engine 'compressor' kept all 3 messages", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_to_compress_in_json_says_compressed_false()
    {
        var result = _cli.RunWithInput(ShortConversation, "context", "compress", "-m", "-", "--json");

        var document = JsonNode.Parse(result.Output)!;
        Assert.Equal(0, result.ExitCode);
        Assert.False(document["compressed"]!.GetValue<bool>());
        Assert.Equal(0, document["summarized"]!.GetValue<int>());
        Assert.Equal(document["tokens_before"]!.GetValue<int>(), document["tokens_after"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""[{"role":"user","content":"a"},{"role":"wizard","content":"b"}]""", "Message 1 has the unknown role 'wizard'; the known roles are system, user, assistant, tool, developer (lowercase).")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":{"a":1}}}]}]""", "Message 0 has tool_calls[0].function.arguments that is an object")]
    [InlineData("[\n{\"role\": \"user\",,}]", "The messages are not valid JSON at line 2, byte ")]
    [InlineData("{\"messages\": []}", "pass its \"messages\" array")]
    public void Malformed_messages_are_an_error_naming_the_message(string json, string expected)
    {
        var result = _cli.RunWithInput(json, "context", "compress", "--messages", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith("Error: 'standard input': ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_length_under_the_minimum_is_a_usage_error()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation, "--context-length", "32000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Invalid value for '--context-length': 32000 is under the minimum of 64,000 tokens a context engine runs with", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_messages_file_is_a_usage_error()
    {
        var result = _cli.Run("context", "compress", "--messages", _temp.Combine("missing.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Invalid value for '--messages': File '", result.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_engine_option_is_an_error_listing_the_context_engines()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation, "--engine", "keep_al");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: Unknown context engine 'keep_al'. Did you mean 'keep_all'? Available: compressor, broken_compress, broken_ctor, keep_all", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compression_engine_is_refused_as_a_context_engine()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation, "--engine", "first_last");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: 'first_last' is a compression engine: it compresses text and cannot manage a conversation's context.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_named_on_the_command_line_that_cannot_be_created_is_an_error()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation, "--engine", "broken_ctor");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: Failed to load context engine 'broken_ctor'", result.Error, StringComparison.Ordinal);
        Assert.Contains("no database file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_named_by_the_config_that_cannot_be_created_falls_back_with_warnings()
    {
        var config = _temp.Combine("broken.yaml");
        File.WriteAllText(config, "context:\n  engine: broken_ctor\n");

        var result = _cli.Run("context", "compress", "--messages", _conversation, "--config", config);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Warning: Failed to load context engine 'broken_ctor'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Warning: Context engine 'broken_ctor' not found — falling back to built-in compressor\n", result.Error, StringComparison.Ordinal);
        Assert.Contains("Engine: compressor (built-in, fallback)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_that_throws_while_compressing_keeps_the_conversation_and_says_so()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation, "--engine", "broken_compress");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal("Error: context engine 'broken_compress' failed while compressing: InvalidOperationException: disk full. The conversation was not changed.\n", result.Error);
    }

    [Fact]
    public void A_plugin_context_engine_compresses_when_named()
    {
        var result = _cli.Run("context", "compress", "--messages", _conversation, "--engine", "keep_all", "--json");

        Assert.Equal(0, result.ExitCode);
        var document = JsonNode.Parse(result.Output)!;
        Assert.Equal("keep_all", document["engine"]!.GetValue<string>());
        Assert.False(document["compressed"]!.GetValue<bool>());
        Assert.Equal(122, document["messages_after"]!.GetValue<int>());
    }

    [Fact]
    public void The_config_file_comes_from_the_option_then_the_environment()
    {
        var config = _temp.Combine("agent.yaml");
        File.WriteAllText(config, "context:\n  engine: nope\n");
        _cli.Environment["COMPACT_MEMORY_CONFIG"] = config;

        var fromEnvironment = _cli.RunWithInput(ShortConversation, "context", "compress", "-m", "-");
        var overridden = _cli.RunWithInput(ShortConversation, "context", "compress", "-m", "-", "--config", WriteConfig("plain.yaml", "compression:\n  threshold: 0.6\n"));

        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.StartsWith("Warning: " + ExactFallback + "\n", fromEnvironment.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("falling back", overridden.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_yaml_in_the_working_directory_is_read_when_nothing_else_names_one()
    {
        var folder = _temp.CreateDirectory("agent");
        File.WriteAllText(Path.Combine(folder, "config.yaml"), "context:\n  engine: nope\n");
        _cli.WorkingDirectory = folder;

        var result = _cli.RunProcess("context", "status", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Warning: " + ExactFallback + "\n", result.Error);
        Assert.Equal("compressor", JsonNode.Parse(result.Output)!["engine"]!.GetValue<string>());
    }

    [Fact]
    public void A_configured_summary_model_is_named_as_not_called()
    {
        var config = WriteConfig("aux.yaml", "auxiliary:\n  compression:\n    model: gpt-4o-mini\n    base_url: https://example.com/v1\n");

        var result = _cli.Run("context", "compress", "--messages", _conversation, "--config", config, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Warning: auxiliary.compression names a summary model, but this command does not call models", result.Error, StringComparison.Ordinal);
        Assert.Single(JsonNode.Parse(result.Output)!["warnings"]!.AsArray());
    }

    [Fact]
    public void A_config_value_of_the_wrong_type_is_an_error_with_its_line()
    {
        var config = WriteConfig("bad.yaml", "compression:\n  enabled: true\n  protect_last_n: many\n");

        var result = _cli.RunWithInput(ShortConversation, "context", "compress", "-m", "-", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: {config}:3: 'compression.protect_last_n' must be a whole number, 0 or more, such as 20; got the string 'many'.\n", result.Error);
    }

    [Fact]
    public void A_config_named_by_the_environment_that_is_missing_is_an_error_saying_where_it_came_from()
    {
        _cli.Environment["COMPACT_MEMORY_CONFIG"] = _temp.Combine("gone.yaml");

        var result = _cli.RunWithInput(ShortConversation, "context", "compress", "-m", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.Contains("(the config file comes from COMPACT_MEMORY_CONFIG)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_engines_puts_the_built_in_first_and_leaves_compression_engines_out()
    {
        var result = _cli.Run("context", "list-engines");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Available Context Engines", lines[0]);
        Assert.StartsWith("Name", lines[1], StringComparison.Ordinal);
        Assert.Equal(new[] { "compressor", "broken_compress", "broken_ctor", "keep_all" }, lines.Skip(3).Select(l => l.Split(' ')[0]));
        Assert.Contains("built-in compressor", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain("first_last", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void List_engines_as_json()
    {
        var result = _cli.Run("context", "list-engines", "--json");

        var rows = JsonNode.Parse(result.Output)!.AsArray();
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"name":"compressor","description":"built-in compressor","source":"built-in"}""", rows[0]!.ToJsonString());
        Assert.Equal(new[] { "compressor", "broken_compress", "broken_ctor", "keep_all" }, rows.Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Status_prints_the_status_keys_in_the_contract_order()
    {
        var result = _cli.Run("context", "status", "--context-length", "200000");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Engine: compressor (built-in)", lines[0]);
        Assert.Equal(
            new[] { "last_prompt_tokens", "threshold_tokens", "context_length", "usage_percent", "compression_count" },
            lines.Skip(3).Take(5).Select(l => l.Split(' ')[0]));
        Assert.Contains(lines, l => l.StartsWith("threshold_tokens ", StringComparison.Ordinal) && l.EndsWith(" 100000", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("context_length ", StringComparison.Ordinal) && l.EndsWith(" 200000", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_json_for_a_plugin_engine_shows_the_context_length_it_was_given()
    {
        var result = _cli.Run("context", "status", "--engine", "keep_all", "--json");

        Assert.Equal(0, result.ExitCode);
        var document = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal("keep_all", document["engine"]!.GetValue<string>());
        Assert.Equal("registry", document["source"]!.GetValue<string>());
        var status = document["status"]!.AsObject();
        Assert.Equal(new[] { "last_prompt_tokens", "threshold_tokens", "context_length", "usage_percent", "compression_count" }, status.Select(p => p.Key));
        Assert.Equal(128_000, status["context_length"]!.GetValue<int>());
        Assert.Equal(96_000, status["threshold_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Help_lists_the_context_commands()
    {
        var result = _cli.Run("context", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("compress", result.Output, StringComparison.Ordinal);
        Assert.Contains("list-engines", result.Output, StringComparison.Ordinal);
        Assert.Contains("status", result.Output, StringComparison.Ordinal);
    }

    private string WriteConfig(string name, string text)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
