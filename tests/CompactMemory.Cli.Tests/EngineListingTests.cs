using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

public sealed class EngineListingTests : IDisposable
{
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void List_engines_shows_the_four_built_ins_sorted_with_their_source()
    {
        var result = _cli.Run("dev", "list-engines");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            Available Compression Engines
            Engine ID        Display Name     Version  Kind         Source    Status
            ---------------  ---------------  -------  -----------  --------  ------
            first_last       First/Last       N/A      compression  built-in
            none             No Compression   N/A      compression  built-in
            pipeline         Pipeline         N/A      compression  built-in
            stopword_pruner  Stopword Pruner  N/A      compression  built-in

            """,
            result.Output);
    }

    [Fact]
    public void List_engines_shows_a_plugin_its_shadowed_twin_and_a_broken_package()
    {
        var first = _temp.CreateDirectory("team");
        var second = _temp.CreateDirectory("personal");
        new PluginPackageBuilder { EngineId = "summary", Version = "3.0.0" }.WriteTo(first, "summary");
        new PluginPackageBuilder { EngineId = "summary", Version = "1.0.0" }.WriteTo(second, "summary");
        File.WriteAllText(Path.Combine(_temp.CreateDirectory("team", "broken"), "engine_package.yaml"), "- just\n- a list\n");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = first + Path.PathSeparator + second;

        var result = _cli.Run("dev", "list-engines");
        var rows = result.Output.Split('\n').Skip(3).Where(line => line.Length > 0).ToArray();

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("broken ", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("local (team)      Failed: Invalid engine_package.yaml: the document must be a mapping of fields (key: value), but it is a list (line 1)", rows[0], StringComparison.Ordinal);
        Assert.Matches(@"^summary +Test summary +3\.0\.0 +compression +local \(team\) +Overrides 'local \(personal\)'$", rows[^2]);
        Assert.Matches(@"^summary +Test summary +1\.0\.0 +compression +local \(personal\) +Shadowed by 'local \(team\)'$", rows[^1]);
    }

    [Fact]
    public void List_engines_as_json_describes_every_row()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "json_engine" }.WriteTo(plugins, "json_engine");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugins;

        var result = _cli.Run("dev", "list-engines", "--json");
        var rows = JsonNode.Parse(result.Output)!.AsArray();
        var plugin = rows.Single(r => (string?)r!["engine_id"] == "json_engine")!;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(5, rows.Count);
        Assert.Equal("local (plugins)", (string?)plugin["source"]);
        Assert.Equal("active", (string?)plugin["status"]);
        Assert.Equal("compression", (string?)plugin["kind"]);
        Assert.Equal(Path.Combine(plugins, "json_engine"), (string?)plugin["path"]);
    }

    [Fact]
    public void The_user_plugin_directory_is_searched_after_the_environment_path()
    {
        new PluginPackageBuilder { EngineId = "mine" }.WriteTo(_cli.UserPluginDirectory, "mine");

        var result = _cli.Run("engine", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Output.Split('\n'), line => line.StartsWith("mine ", StringComparison.Ordinal) && line.EndsWith("local (plugins)", StringComparison.Ordinal));
    }

    [Fact]
    public void Engine_list_shows_only_the_engines_users_can_choose()
    {
        var first = _temp.CreateDirectory("a");
        var second = _temp.CreateDirectory("b");
        new PluginPackageBuilder { EngineId = "twin" }.WriteTo(first, "twin");
        new PluginPackageBuilder { EngineId = "twin" }.WriteTo(second, "twin");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = first + Path.PathSeparator + second;

        var result = _cli.Run("engine", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Engine ID        Display Name     Version  Source", result.Output.Split('\n')[1]);
        Assert.Single(result.Output.Split('\n'), line => line.StartsWith("twin ", StringComparison.Ordinal));
    }

    [Fact]
    public void Engine_info_prints_one_json_line_in_the_original_shape()
    {
        var result = _cli.Run("engine", "info", "stopword_pruner");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"display_name\": \"Stopword Pruner\", \"version\": \"N/A\", \"source\": \"built-in\", \"overrides\": null, \"engine_id\": \"stopword_pruner\", \"kind\": \"compression\"}\n", result.Output);
    }

    [Fact]
    public void Engine_info_for_an_unknown_id_fails_with_a_suggestion()
    {
        var result = _cli.Run("engine", "info", "nonee");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Engine 'nonee' not found. Did you mean 'none'?\n", result.Error);
    }

    [Fact]
    public void Version_prints_the_product_version()
    {
        var result = _cli.Run("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Compact Memory version: 0.1.0\n", result.Output);
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var result = _cli.Run();

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Error: No command given. Run 'compact-memory --help' for the commands.\n", result.Error);
    }
}
