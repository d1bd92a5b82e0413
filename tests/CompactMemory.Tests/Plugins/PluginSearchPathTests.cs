using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using Xunit;

namespace CompactMemory.Tests.Plugins;

public sealed class PluginSearchPathTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "cm-search-path");
    private static readonly string Home = Path.Combine(Root, "home");
    private static readonly string DataHome = Path.Combine(Root, "xdg");

    private static Func<string, string?> Env(params (string Name, string? Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => values.TryGetValue(name, out var value) ? value : null;
    }

    private static string EnginesPath(params string[] entries) => string.Join(Path.PathSeparator, entries);

    private static string Dir(string name) => Path.Combine(Root, name);

    private static string ExpectedUserDirectory(Func<string, string?> environment)
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(environment("LOCALAPPDATA")!, "CompactMemoryTeam", "compact_memory", "plugins");
        }

        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(environment("HOME")!, "Library", "Application Support", "compact_memory", "plugins");
        }

        var data = environment("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(environment("HOME")!, ".local", "share");
        return Path.Combine(data, "compact_memory", "plugins");
    }

    private static (string Path, string Label, int Index)[] Shape(IReadOnlyList<PluginDirectory> directories) =>
        directories.Select(d => (d.Path, d.Label, d.Index)).ToArray();

    [Fact]
    public void Entries_are_searched_left_to_right_then_the_user_directory()
    {
        var environment = Env(
            (PluginSearchPath.EnvironmentVariable, EnginesPath(Dir("alpha"), Dir("beta"))),
            ("HOME", Home),
            ("XDG_DATA_HOME", DataHome),
            ("LOCALAPPDATA", Path.Combine(Root, "local")));

        var directories = PluginSearchPath.FromEnvironment(environment);

        Assert.Equal(
            new[]
            {
                (Dir("alpha"), "local (alpha)", 0),
                (Dir("beta"), "local (beta)", 1),
                (ExpectedUserDirectory(environment), "local (plugins)", 2),
            },
            Shape(directories));
    }

    [Fact]
    public void Empty_and_blank_entries_are_skipped()
    {
        var environment = Env(
            (PluginSearchPath.EnvironmentVariable, EnginesPath(string.Empty, Dir("alpha"), string.Empty, "   ", Dir("beta"), string.Empty)),
            ("HOME", Home),
            ("XDG_DATA_HOME", DataHome),
            ("LOCALAPPDATA", Path.Combine(Root, "local")));

        var directories = PluginSearchPath.FromEnvironment(environment);

        Assert.Equal(new[] { Dir("alpha"), Dir("beta"), ExpectedUserDirectory(environment) }, directories.Select(d => d.Path).ToArray());
        Assert.Equal(new[] { 0, 1, 2 }, directories.Select(d => d.Index).ToArray());
    }

    [Fact]
    public void A_directory_named_twice_is_searched_once_at_its_first_position()
    {
        var environment = Env(
            (PluginSearchPath.EnvironmentVariable, EnginesPath(Dir("alpha"), Dir("beta"), Dir("alpha"), Dir("beta") + Path.DirectorySeparatorChar)),
            ("HOME", Home),
            ("XDG_DATA_HOME", DataHome),
            ("LOCALAPPDATA", Path.Combine(Root, "local")));

        var directories = PluginSearchPath.FromEnvironment(environment);

        Assert.Equal(
            new[] { ("local (alpha)", 0), ("local (beta)", 1), ("local (plugins)", 2) },
            directories.Select(d => (d.Label, d.Index)).ToArray());
    }

    [Fact]
    public void The_user_directory_named_in_the_variable_is_not_searched_twice()
    {
        var environment = Env(
            ("HOME", Home),
            ("XDG_DATA_HOME", DataHome),
            ("LOCALAPPDATA", Path.Combine(Root, "local")));
        var user = ExpectedUserDirectory(environment);
        environment = Env(
            (PluginSearchPath.EnvironmentVariable, EnginesPath(user, Dir("alpha"))),
            ("HOME", Home),
            ("XDG_DATA_HOME", DataHome),
            ("LOCALAPPDATA", Path.Combine(Root, "local")));

        var directories = PluginSearchPath.FromEnvironment(environment);

        Assert.Equal(new[] { user, Dir("alpha") }, directories.Select(d => d.Path).ToArray());
        Assert.Equal("local (plugins)", directories[0].Label);
    }

    [Fact]
    public void A_trailing_separator_does_not_change_the_label()
    {
        var environment = Env((PluginSearchPath.EnvironmentVariable, Dir("gamma") + Path.DirectorySeparatorChar), ("HOME", Home));

        Assert.Equal("local (gamma)", PluginSearchPath.FromEnvironment(environment)[0].Label);
    }

    [Fact]
    public void Relative_entries_become_absolute()
    {
        var environment = Env((PluginSearchPath.EnvironmentVariable, Path.Combine("relative", "engines")), ("HOME", Home));

        var first = PluginSearchPath.FromEnvironment(environment)[0];

        Assert.Equal(Path.GetFullPath(Path.Combine("relative", "engines")), first.Path);
        Assert.True(Path.IsPathFullyQualified(first.Path));
        Assert.Equal("local (engines)", first.Label);
    }

    [Fact]
    public void Without_the_variable_only_the_user_directory_is_searched()
    {
        var environment = Env(("HOME", Home), ("XDG_DATA_HOME", DataHome), ("LOCALAPPDATA", Path.Combine(Root, "local")));

        var directory = Assert.Single(PluginSearchPath.FromEnvironment(environment));

        Assert.Equal((ExpectedUserDirectory(environment), "local (plugins)", 0), (directory.Path, directory.Label, directory.Index));
    }

    [Fact]
    public void On_linux_the_user_directory_lives_under_xdg_data_home()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var withXdg = Env(("HOME", Home), ("XDG_DATA_HOME", DataHome));
        var withoutXdg = Env(("HOME", Home));
        var emptyXdg = Env(("HOME", Home), ("XDG_DATA_HOME", string.Empty));

        Assert.Equal(Path.Combine(DataHome, "compact_memory", "plugins"), PluginSearchPath.UserPluginDirectory(withXdg));
        Assert.Equal(Path.Combine(Home, ".local", "share", "compact_memory", "plugins"), PluginSearchPath.UserPluginDirectory(withoutXdg));
        Assert.Equal(Path.Combine(Home, ".local", "share", "compact_memory", "plugins"), PluginSearchPath.UserPluginDirectory(emptyXdg));
        Assert.Equal(Path.Combine(DataHome, "compact_memory", "plugins"), PluginSearchPath.FromEnvironment(withXdg).Single().Path);
    }

    [Fact]
    public void FromPaths_keeps_the_given_order_and_labels_by_folder_name()
    {
        var directories = PluginSearchPath.FromPaths([Dir("one"), Dir("two"), Dir("one")]);

        Assert.Equal(new[] { (Dir("one"), "local (one)", 0), (Dir("two"), "local (two)", 1) }, Shape(directories));
    }
}
