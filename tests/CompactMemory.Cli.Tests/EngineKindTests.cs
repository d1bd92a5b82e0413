using System;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>A plugin directory holding one context engine, 'keep_all', built once for the class.</summary>
public sealed class ContextEnginePlugin : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ContextEnginePlugin()
    {
        Directory = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "keep_all",
            ClassName = "KeepAll",
            Source = """
                using System.Collections.Generic;
                using System.Threading;
                using System.Threading.Tasks;
                using CompactMemory;
                using CompactMemory.Context;
                using Microsoft.Extensions.AI;
                namespace TestPlugins;
                [CompressionEngine("keep_all")]
                public sealed class KeepAll : ContextEngine
                {
                    public override string Name => "keep_all";
                    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                        => Task.FromResult(messages);
                }
                """,
        }.WriteTo(Directory, "keep_all");
    }

    public string Directory { get; }

    public void Dispose() => _temp.Dispose();
}

/// <summary>Every listing and hint offers only engines the command accepts; context engines are named as such.</summary>
public sealed class EngineKindTests : IClassFixture<ContextEnginePlugin>, IDisposable
{
    private const string CompressionIds = "first_last, none, pipeline, stopword_pruner";
    private const string ContextEngineClause = "is a context engine: it compacts conversations and cannot compress text";
    private const string ContextEngineMessage = ContextEngineClause + ".";
    private readonly Cli _cli = new();

    public EngineKindTests(ContextEnginePlugin plugin)
    {
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugin.Directory;
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Engine_list_leaves_out_context_engines_and_says_where_they_are()
    {
        var result = _cli.Run("engine", "list");

        Assert.Equal(0, result.ExitCode);
        var ids = result.Output.Split('\n').Skip(3).TakeWhile(line => !line.StartsWith('(')).Select(line => line.Split(' ')[0]);
        Assert.Equal(CompressionIds.Split(", "), ids);
        Assert.EndsWith("\n(1 context engine(s) not listed: they compact conversations and cannot compress text; 'compact-memory dev list-engines' shows every engine.)\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_engine_is_neither_suggested_nor_listed_as_a_context_engine()
    {
        var result = _cli.Run("compress", "--text", "x", "-e", "keep_al", "-b", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: Unknown one-shot compression engine 'keep_al'. Available: {CompressionIds}\n", result.Error);
    }

    [Fact]
    public void Compressing_with_a_context_engine_says_what_it_is_and_what_to_choose()
    {
        var result = _cli.Run("compress", "--text", "x", "-e", "keep_all", "-b", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: 'keep_all' {ContextEngineMessage} Choose a compression engine: {CompressionIds}\n", result.Error);
    }

    [Fact]
    public void A_default_engine_from_the_environment_is_named_as_coming_from_there()
    {
        _cli.Environment["COMPACT_MEMORY_DEFAULT_ENGINE_ID"] = "keep_all";
        var context = _cli.Run("compress", "--text", "x", "-b", "5");
        _cli.Environment["COMPACT_MEMORY_DEFAULT_ENGINE_ID"] = "nonne";
        var unknown = _cli.Run("compress", "--text", "x", "-b", "5");

        Assert.Equal(1, context.ExitCode);
        Assert.StartsWith($"Error: 'keep_all' (from COMPACT_MEMORY_DEFAULT_ENGINE_ID) {ContextEngineMessage}", context.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal($"Error: Unknown one-shot compression engine 'nonne' (from COMPACT_MEMORY_DEFAULT_ENGINE_ID). Did you mean 'none'? Available: {CompressionIds}\n", unknown.Error);
    }

    [Theory]
    [InlineData("keep_all", $"Error creating pipeline engine from config: stage 0 ('keep_all'): 'keep_all' {ContextEngineClause}, so it cannot be a pipeline stage. Choose a compression engine: {CompressionIds}\n")]
    [InlineData("keep_al", $"Error creating pipeline engine from config: stage 0 ('keep_al'): Unknown engine 'keep_al'. Available: {CompressionIds}\n")]
    public void A_pipeline_stage_must_be_a_compression_engine(string stage, string message)
    {
        var config = $$"""{"engines": [{"engine_name": "{{stage}}"}]}""";

        var result = _cli.Run("compress", "-e", "pipeline", "--pipeline-config", config, "--text", "x", "-b", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(message, result.Error);
    }

    [Fact]
    public void Dev_list_engines_shows_every_engine_with_its_kind()
    {
        var table = _cli.Run("dev", "list-engines");
        var json = JsonNode.Parse(_cli.Run("dev", "list-engines", "--json").Output)!.AsArray();

        Assert.Equal(0, table.ExitCode);
        Assert.Equal("Engine ID        Display Name     Version  Kind         Source           Status", table.Output.Split('\n')[1]);
        Assert.Matches(@"^keep_all +Test keep_all +2\.1\.0 +context +local \(plugins\)$", table.Output.Split('\n').Single(line => line.StartsWith("keep_all", StringComparison.Ordinal)));
        Assert.Equal("context", (string?)json.Single(row => (string?)row!["engine_id"] == "keep_all")!["kind"]);
        Assert.All(json.Where(row => (string?)row!["engine_id"] != "keep_all"), row => Assert.Equal("compression", (string?)row!["kind"]));
    }

    [Fact]
    public void Engine_info_shows_a_context_engine_with_its_kind()
    {
        var result = _cli.Run("engine", "info", "keep_all");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"display_name\": \"Test keep_all\", \"version\": \"2.1.0\", \"source\": \"local (plugins)\", \"overrides\": null, \"engine_id\": \"keep_all\", \"kind\": \"context\"}\n", result.Output);
    }
}
