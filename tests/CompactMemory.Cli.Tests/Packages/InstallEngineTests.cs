using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Cli.Packages;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests.Packages;

/// <summary>install-engine, list-engines and uninstall-engine against .nupkg files and local folder feeds built in the test.</summary>
public sealed class InstallEngineTests : IDisposable
{
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public InstallEngineTests()
    {
        Feed = _temp.CreateDirectory("feed");
        Plugins = _temp.Combine("plugins");
    }

    private string Feed { get; }

    private string Plugins { get; }

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void A_nupkg_installs_lists_with_its_package_compresses_and_uninstalls()
    {
        var nupkg = NupkgBuilder.Engine(_temp.Path, "Acme.Echo", "1.2.0", "echo_engine", "echoed:")
            .With("tools.json", "[]")
            .With("experiments/example.yaml", "dataset:\n  - file: data/sample.txt\nbudgets: [5]\n")
            .With("experiments/data/sample.txt", "alpha beta gamma delta")
            .With("docs/ignored.md", "not part of an engine folder")
            .WriteTo(Feed);

        var install = _cli.Run("dev", "install-engine", nupkg);

        Assert.Equal(string.Empty, install.Error);
        Assert.Equal(0, install.ExitCode);
        Assert.StartsWith(Commands.InstallCommands.SecurityWarning + "\n", install.Output, StringComparison.Ordinal);
        var folder = Path.Combine(_cli.UserPluginDirectory, "echo_engine");
        Assert.Contains($"Installed engine 'echo_engine' from package Acme.Echo 1.2.0 (lib/net10.0) into '{folder}'.", install.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "engine_package.yaml")));
        Assert.True(File.Exists(Path.Combine(folder, "README.md")));
        Assert.Single(Directory.GetFiles(folder, "*.dll"));
        Assert.Equal("[]", File.ReadAllText(Path.Combine(folder, "tools.json")));
        Assert.Equal("alpha beta gamma delta", File.ReadAllText(Path.Combine(folder, "experiments", "data", "sample.txt")));
        Assert.False(Directory.Exists(Path.Combine(folder, "docs")));
        Assert.Empty(Directory.GetFiles(folder, "*.nuspec"));

        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ".compact-memory-package.json")))!.AsObject();
        Assert.Equal("Acme.Echo", (string?)record["package_id"]);
        Assert.Equal("1.2.0", (string?)record["package_version"]);
        Assert.Equal(nupkg, (string?)record["source"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string?)record["installed_utc"]);

        var json = JsonNode.Parse(_cli.Run("dev", "list-engines", "--json").Output)!.AsArray();
        var row = json.Single(r => (string?)r!["engine_id"] == "echo_engine")!;
        Assert.Equal("Acme.Echo", (string?)row["package_id"]);
        Assert.Equal("1.2.0", (string?)row["package_version"]);
        Assert.Null((string?)json.Single(r => (string?)r!["engine_id"] == "none")!["package_id"]);

        var table = _cli.Run("dev", "list-engines").Output.Split('\n');
        Assert.Contains("Package", table[1], StringComparison.Ordinal);
        Assert.Matches(@"^echo_engine +Test echo_engine +1\.2\.0 +compression +local \(plugins\) +Acme\.Echo 1\.2\.0$", table.Single(l => l.StartsWith("echo_engine", StringComparison.Ordinal)));

        var compressed = _cli.Run("compress", "--engine", "echo_engine", "--text", "alpha beta gamma", "--budget", "100", "--quiet");
        Assert.Equal(0, compressed.ExitCode);
        Assert.StartsWith("echoed:alpha beta gamma", compressed.Output, StringComparison.Ordinal);

        var experiment = _cli.Run("dev", "run-package-experiment", folder, "--json");
        Assert.Equal(string.Empty, experiment.Error);
        Assert.Equal("echo_engine", (string?)JsonNode.Parse(experiment.Output)!["engine_id"]);

        var uninstall = _cli.Run("dev", "uninstall-engine", "echo_engine");
        Assert.Equal(0, uninstall.ExitCode);
        Assert.Equal($"Uninstalled engine 'echo_engine' (package Acme.Echo 1.2.0) from '{folder}'.\n", uninstall.Output);
        Assert.False(Directory.Exists(folder));
        Assert.DoesNotContain("echo_engine", _cli.Run("dev", "list-engines").Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_cli.UserPluginDirectory));
    }

    [Fact]
    public void A_package_with_a_dependency_brings_the_dependency_for_the_nearest_framework_but_not_the_shared_contracts()
    {
        var libraries = _temp.CreateDirectory("lib");
        var library = PluginPackageBuilder.CompileLibrary(libraries, "Acme.TextUtil", "namespace Acme.TextUtil { public static class Shout { public static string Upper(string text) => text.ToUpperInvariant() + \"!\"; } }");
        var decoy = Path.Combine(libraries, "decoy.dll");
        File.WriteAllText(decoy, "not an assembly");
        var dependency = new NupkgBuilder("Acme.TextUtil", "1.0.0");
        dependency.Files["lib/net10.0/Acme.TextUtil.dll"] = File.ReadAllBytes(library);
        dependency.Files["lib/net10.0/Acme.TextUtil.xml"] = File.ReadAllBytes(decoy);
        dependency.Files["lib/net48/Acme.TextUtil.dll"] = File.ReadAllBytes(decoy);
        dependency.Files["lib/net10.0/CompactMemory.Abstractions.dll"] = File.ReadAllBytes(decoy);
        dependency.WriteTo(Feed);
        new NupkgBuilder("Acme.TextUtil", "0.9.0").WriteTo(Feed);
        new NupkgBuilder("Acme.TextUtil", "1.5.0").With("lib/net10.0/Acme.TextUtil.dll", "not this one").WriteTo(Feed);
        var engine = new PluginPackageBuilder
        {
            EngineId = "shouty",
            Dependencies = [library],
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;

                namespace TestPlugins;

                [CompressionEngine("shouty")]
                public sealed class SampleEngine : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) =>
                        new(Acme.TextUtil.Shout.Upper(TokenizerOf(options).Truncate(text, budget))) { EngineId = Id };
                }
                """,
        }.WriteTo(_temp.Combine("build"), "shouty");
        var nupkg = NupkgBuilder.FromPluginFolder(engine, "Acme.Shouty", "1.0.0", includeAssembly: name => name != "Acme.TextUtil.dll")
            .WithDependency("Acme.TextUtil", "[1.0.0, )")
            .WriteTo(_temp.Combine("elsewhere"));

        var install = _cli.Run("dev", "install-engine", nupkg, "--source", Feed, "--path", Plugins);

        Assert.Equal(string.Empty, install.Error);
        Assert.Contains("(lib/net10.0, dependency Acme.TextUtil 1.0.0)", install.Output, StringComparison.Ordinal);
        var folder = Path.Combine(Plugins, "shouty");
        Assert.Equal(File.ReadAllBytes(library), File.ReadAllBytes(Path.Combine(folder, "Acme.TextUtil.dll")));
        Assert.False(File.Exists(Path.Combine(folder, "Acme.TextUtil.xml")));
        Assert.False(File.Exists(Path.Combine(folder, "CompactMemory.Abstractions.dll")));
        Assert.False(File.Exists(Path.Combine(folder, "Microsoft.Extensions.AI.Abstractions.dll")));

        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = Plugins;
        var compressed = _cli.Run("compress", "--engine", "shouty", "--text", "quiet words", "--budget", "100", "--quiet");
        Assert.Equal(string.Empty, compressed.Error);
        Assert.StartsWith("QUIET WORDS!", compressed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void By_id_the_latest_stable_version_is_installed_and_version_picks_another_which_replaces_it()
    {
        NupkgBuilder.Engine(_temp.Path, "Acme.Versions", "1.0.0", "versioned", "one:").WriteTo(Feed);
        NupkgBuilder.Engine(_temp.Path, "Acme.Versions", "2.0.0", "versioned", "two:").WriteTo(Feed);
        NupkgBuilder.Engine(_temp.Path, "Acme.Versions", "3.0.0-beta.1", "versioned", "three:").WriteTo(Feed);
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = Plugins;

        var latest = _cli.Run("dev", "install-engine", "Acme.Versions", "--source", Feed, "--path", Plugins);
        Assert.Equal(string.Empty, latest.Error);
        Assert.Contains("from package Acme.Versions 2.0.0 ", latest.Output, StringComparison.Ordinal);
        Assert.StartsWith("two:", _cli.Run("compress", "--engine", "versioned", "--text", "x", "--budget", "5", "--quiet").Output, StringComparison.Ordinal);

        var older = _cli.Run("dev", "install-engine", "acme.versions", "--version", "1.0.0", "--source", Feed, "--path", Plugins);
        Assert.Equal(string.Empty, older.Error);
        Assert.Contains("from package Acme.Versions 1.0.0 (lib/net10.0; replacing Acme.Versions 2.0.0)", older.Output, StringComparison.Ordinal);
        Assert.StartsWith("one:", _cli.Run("compress", "--engine", "versioned", "--text", "x", "--budget", "5", "--quiet").Output, StringComparison.Ordinal);

        var prerelease = _cli.Run("dev", "install-engine", "Acme.Versions", "--version", "3.0.0-beta.1", "--source", Feed, "--path", Plugins);
        Assert.Equal(0, prerelease.ExitCode);
        Assert.Equal(["versioned"], Directory.GetDirectories(Plugins).Select(Path.GetFileName));
    }

    [Fact]
    public void By_id_the_feeds_of_nuget_config_in_the_current_directory_are_used()
    {
        NupkgBuilder.Engine(_temp.Path, "Acme.Configured", "1.0.0", "configured").WriteTo(Feed);
        var project = _temp.CreateDirectory("project");
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        _cli.WorkingDirectory = project;
        _cli.Environment["NUGET_PACKAGES"] = _temp.Combine("nuget-packages");
        _cli.Environment["NUGET_HTTP_CACHE_PATH"] = _temp.Combine("nuget-http-cache");

        var result = _cli.RunProcess("dev", "install-engine", "Acme.Configured", "--path", Plugins);

        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Feed, (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(Plugins, "configured", ".compact-memory-package.json")))!["source"]);
        Assert.False(Directory.Exists(_temp.Combine("nuget-packages", "acme.configured")));
    }

    [Fact]
    public void A_project_folder_named_like_the_package_id_does_not_hide_the_package_on_the_feed()
    {
        NupkgBuilder.Engine(_temp.Path, "Acme.Shadowed", "1.0.0", "shadowed").WriteTo(Feed);
        var workspace = _temp.CreateDirectory("workspace");
        Directory.CreateDirectory(Path.Combine(workspace, "Acme.Shadowed"));
        File.WriteAllText(Path.Combine(workspace, "Acme.Shadowed", "Acme.Shadowed.csproj"), "<Project Sdk=\"CompactMemory.Sdk/0.1.0\" />\n");
        _cli.WorkingDirectory = workspace;

        var result = _cli.RunProcess("dev", "install-engine", "Acme.Shadowed", "--version", "1.0.0", "--source", Feed, "--path", Plugins);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Acme.Shadowed", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(Plugins, "shadowed", ".compact-memory-package.json")))!["package_id"]);

        // A path to the same folder is still a folder, and says why it is not a package.
        var asPath = _cli.RunProcess("dev", "install-engine", "./Acme.Shadowed", "--path", Plugins, "--force");
        Assert.NotEqual(0, asPath.ExitCode);
        Assert.Contains("engine_package.yaml", asPath.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ready_engine_folder_installs_and_is_recorded_under_its_engine_id()
    {
        var folder = new PluginPackageBuilder { EngineId = "from_folder", Version = "4.5.6" }.WriteTo(_temp.Combine("build"), "from_folder");

        var result = _cli.Run("dev", "install-engine", folder, "--path", Plugins);

        Assert.Equal(string.Empty, result.Error);
        Assert.Contains("Installed engine 'from_folder' from folder from_folder 4.5.6 into", result.Output, StringComparison.Ordinal);
        var record = InstallRecord.TryRead(Path.Combine(Plugins, "from_folder"), out _)!;
        Assert.Equal(("from_folder", "4.5.6", folder), (record.PackageId, record.PackageVersion, record.Source));
        Assert.Equal(
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(Plugins, "from_folder")).Select(Path.GetFileName).Where(n => n != ".compact-memory-package.json").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_engine_folder_of_another_package_or_not_installed_by_the_command_is_replaced_only_with_force()
    {
        NupkgBuilder.Engine(_temp.Path, "Acme.First", "1.0.0", "contested", "first:").WriteTo(Feed);
        var second = NupkgBuilder.Engine(_temp.Path, "Acme.Second", "1.0.0", "contested", "second:").WriteTo(_temp.Combine("other"));
        Assert.Equal(0, _cli.Run("dev", "install-engine", "Acme.First", "--source", Feed, "--path", Plugins).ExitCode);

        var refused = _cli.Run("dev", "install-engine", second, "--path", Plugins);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Error: Cannot install Acme.Second 1.0.0: engine 'contested' is already installed from package Acme.First 1.0.0, a different package. Run 'compact-memory dev uninstall-engine contested' first, or pass --force to replace it. Nothing was installed.\n", refused.Error);
        Assert.Equal("Acme.First", InstallRecord.TryRead(Path.Combine(Plugins, "contested"), out _)!.PackageId);

        var forced = _cli.Run("dev", "install-engine", second, "--path", Plugins, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("Acme.Second", InstallRecord.TryRead(Path.Combine(Plugins, "contested"), out _)!.PackageId);

        new PluginPackageBuilder { EngineId = "hand_made" }.WriteTo(Plugins, "hand_made");
        var handMade = NupkgBuilder.Engine(_temp.Path, "Acme.HandMade", "1.0.0", "hand_made").WriteTo(_temp.Combine("other"));
        var notOurs = _cli.Run("dev", "install-engine", handMade, "--path", Plugins);
        Assert.Equal(1, notOurs.ExitCode);
        Assert.Contains("is already there and was not installed by install-engine (it has no .compact-memory-package.json). Pass --force to replace it", notOurs.Error, StringComparison.Ordinal);
        Assert.Null(InstallRecord.TryRead(Path.Combine(Plugins, "hand_made"), out _));
        Assert.Equal(0, _cli.Run("dev", "install-engine", handMade, "--path", Plugins, "--force").ExitCode);
        Assert.Equal("Acme.HandMade", InstallRecord.TryRead(Path.Combine(Plugins, "hand_made"), out _)!.PackageId);
        Assert.Equal(["contested", "hand_made"], Directory.GetDirectories(Plugins).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Uninstall_names_what_is_installed_for_an_unknown_id_and_leaves_hand_made_folders_alone_without_force()
    {
        new PluginPackageBuilder { EngineId = "hand_made" }.WriteTo(Plugins, "hand_made");

        var unknown = _cli.Run("dev", "uninstall-engine", "nope", "--path", Plugins);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal($"Error: No engine 'nope' is installed in '{Plugins}'. Installed there: hand_made. Run 'compact-memory dev list-engines' to see every engine and its folder, and pass --path for another plugin directory.\n", unknown.Error);

        var refused = _cli.Run("dev", "uninstall-engine", "hand_made", "--path", Plugins);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("was not installed by install-engine (it has no .compact-memory-package.json), so it is left alone. Pass --force to remove it anyway.", refused.Error, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(Plugins, "hand_made")));

        Assert.Equal(0, _cli.Run("dev", "uninstall-engine", "hand_made", "--path", Plugins, "--force").ExitCode);
        Assert.Empty(Directory.GetDirectories(Plugins));

        var traversal = _cli.Run("dev", "uninstall-engine", "../plugins", "--path", Plugins);
        Assert.Equal("Error: '../plugins' is not an engine id; give the id that 'compact-memory dev list-engines' shows.\n", traversal.Error);
    }

    [Fact]
    public void Validate_engine_package_accepts_a_nupkg_and_checks_it_as_installed()
    {
        var good = NupkgBuilder.Engine(_temp.Path, "Acme.Good", "1.0.0", "good").WriteTo(Feed);
        var mismatch = new PluginPackageBuilder { EngineId = "in_manifest", ClassId = "in_class" }.WriteTo(_temp.Combine("build"), "mismatch");
        var bad = NupkgBuilder.FromPluginFolder(mismatch, "Acme.Mismatch", "1.0.0").WriteTo(Feed);

        var valid = _cli.Run("dev", "validate-engine-package", good);
        var invalid = _cli.Run("dev", "validate-engine-package", bad);

        Assert.Equal(0, valid.ExitCode);
        Assert.Equal($"Engine package Acme.Good 1.0.0 ('{good}') appears valid: engine 'good' from lib/net10.0.\n", valid.Output);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Equal($"Engine package Acme.Mismatch 1.0.0 ('{bad}') failed validation with errors:\n- engine_id 'in_manifest' does not match engine class id 'in_class'\n", invalid.Error);
    }
}
