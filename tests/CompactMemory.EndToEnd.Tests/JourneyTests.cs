using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CompactMemory.EndToEnd.Tests;

/// <summary>
/// The README's quickstart as a new user runs it: each test reads one step of the shared <see cref="Journey"/>.
/// </summary>
public sealed class JourneyTests(Journey journey) : IClassFixture<Journey>
{
    [Fact]
    public void Every_package_is_packed_with_the_one_version()
    {
        journey.Succeeded("pack");

        var ids = Directory.EnumerateFiles(journey.Feed, "CompactMemory*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[] { "CompactMemory", "CompactMemory.Abstractions", "CompactMemory.Cli", "CompactMemory.Sdk", "CompactMemory.Templates" }.Select(id => $"{id}.{journey.Version}.nupkg"),
            ids);
    }

    [Fact]
    public void The_tool_and_the_templates_install_from_the_feed()
    {
        journey.Succeeded("tool install");
        Assert.True(File.Exists(journey.Tool), journey.Tool);
        var templates = journey.Succeeded("template install");
        Assert.Contains("compact-memory-engine", templates.Output, StringComparison.Ordinal);
        Assert.Contains("compact-memory-context-engine", templates.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Projects_from_the_templates_and_by_hand_build_with_zero_warnings_and_their_tests_pass()
    {
        journey.Succeeded("new engine");
        journey.Succeeded("create context engine");
        var build = journey.Succeeded("build");
        Assert.Matches(@"\b0 Warning\(s\)", build.Output);
        Assert.Matches(@"\b0 Error\(s\)", build.Output);
        var test = journey.Succeeded("test");
        Assert.DoesNotContain("Failed!", test.Output, StringComparison.Ordinal);
        Assert.Matches(@"Passed!|passed", test.Output);
    }

    [Theory]
    [InlineData(HandProjects.SdkStyle, "hand_sdk_style")]
    [InlineData(HandProjects.PackageReference, "hand_package_reference")]
    public void Both_ways_of_referencing_the_sdk_lay_out_a_plugin_folder(string project, string engineId)
    {
        journey.Succeeded("build");
        var manifests = Directory.EnumerateFiles(journey.PathOf(project, "bin", "Debug"), "engine_package.yaml", SearchOption.AllDirectories).ToArray();
        var manifest = Assert.Single(manifests);
        Assert.Equal(engineId, Path.GetFileName(Path.GetDirectoryName(manifest)));
        Assert.Matches($"(?m)^engine_id: \"?{engineId}\"?$", File.ReadAllText(manifest));
        var folder = Path.GetDirectoryName(manifest)!;
        Assert.True(File.Exists(Path.Combine(folder, project + ".dll")), "the engine assembly is in " + folder);
        Assert.True(File.Exists(Path.Combine(folder, "tools.json")), "tools.json is in " + folder);
        Assert.False(File.Exists(Path.Combine(folder, "CompactMemory.Abstractions.dll")), "the host supplies the contracts; the plugin folder must not carry its own copy");
    }

    [Fact]
    public void An_id_that_differs_from_the_manifest_is_CM0001_at_its_file_and_line()
    {
        var build = journey.Step("build mismatch");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches($@"MismatchEngine\.cs\({HandProjects.MismatchAttributeLine},\d+\): error CM0001:", build.Output);
    }

    [Fact]
    public void A_bare_package_reference_builds_and_pack_names_the_two_lines_to_write()
    {
        journey.Succeeded("build");
        var pack = journey.Step("pack bare reference");
        Assert.NotEqual(0, pack.ExitCode);
        Assert.Contains("CMSDK010", pack.Output, StringComparison.Ordinal);
        Assert.Contains("PrivateAssets=\"all\"", pack.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(journey.PathOf("bare-feed"), "*.nupkg"));
    }

    [Fact]
    public void The_engine_package_is_a_library_and_an_installable_plugin()
    {
        journey.Succeeded("pack engine");
        using var zip = ZipFile.OpenRead(journey.SummarizerPackage!);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("engine_package.yaml", names);
        Assert.Contains("tools.json", names);
        Assert.Contains("README.md", names);
        Assert.Contains(names, n => n.StartsWith("lib/net10.0/", StringComparison.Ordinal) && n.EndsWith(".dll", StringComparison.Ordinal));
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var reader = new StreamReader(nuspecEntry.Open());
        var nuspec = reader.ReadToEnd();
        Assert.Contains("name=\"CompactMemoryEngine\"", nuspec, StringComparison.Ordinal);
        Assert.Contains("id=\"CompactMemory.Abstractions\"", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"CompactMemory.Sdk\"", nuspec, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate folder")]
    [InlineData("validate nupkg")]
    public void The_plugin_folder_and_the_nupkg_validate_clean(string step)
    {
        var result = journey.Succeeded(step);
        Assert.Contains("appears valid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_engines_are_listed_with_their_package_and_compress()
    {
        journey.Succeeded("install nupkg");
        journey.Succeeded("install by id");
        var list = journey.Succeeded("list");
        using var json = JsonDocument.Parse(list.Output[list.Output.IndexOf('[', StringComparison.Ordinal)..]);
        var rows = json.RootElement.EnumerateArray().ToArray();
        var summarizer = rows.Single(r => r.GetProperty("engine_id").GetString() == journey.SummarizerId);
        Assert.Equal("Acme.Summarizer", summarizer.GetProperty("package_id").GetString());
        Assert.Equal(journey.SummarizerPackageVersion, summarizer.GetProperty("package_version").GetString());
        var byId = rows.Single(r => r.GetProperty("engine_id").GetString() == "hand_sdk_style");
        Assert.Equal(HandProjects.SdkStyle, byId.GetProperty("package_id").GetString());
        Assert.Equal(HandProjects.EngineVersion, byId.GetProperty("package_version").GetString());
        Assert.All(rows, r => Assert.Equal(0, r.GetProperty("errors").GetArrayLength()));

        var compress = journey.Succeeded("compress");
        Assert.Contains("Engine: " + journey.SummarizerId, compress.Output, StringComparison.Ordinal);
        Assert.Matches(@"tokens: \d+ -> ([0-9]|[12][0-9]|30)\b", compress.Output);
    }

    [Fact]
    public void A_host_finds_the_engine_in_its_compile_time_registry()
    {
        var run = journey.Succeeded("host run");
        Assert.Contains(journey.SummarizerId!, run.Output, StringComparison.Ordinal);
        Assert.Contains("Compressed ", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The one native AOT publish of the suite (about a minute of the run on two cores).</summary>
    [Fact]
    public void The_host_runs_after_a_native_aot_publish()
    {
        var publish = journey.Succeeded("host publish aot");
        Assert.DoesNotContain("warning IL", publish.Output, StringComparison.Ordinal);
        var run = journey.Succeeded("host aot run");
        Assert.Contains(journey.SummarizerId!, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Uninstall_removes_the_engine()
    {
        journey.Succeeded("uninstall");
        var list = journey.Succeeded("list after uninstall");
        Assert.DoesNotContain("\"" + journey.SummarizerId + "\"", list.Output, StringComparison.Ordinal);
        Assert.Contains("\"hand_sdk_style\"", list.Output, StringComparison.Ordinal);
    }
}
