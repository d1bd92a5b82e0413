using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using CompactMemory.Plugins;
using Xunit;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// What the SDK targets make of an engine project beyond the manifest: the plugin folder <c>dotnet build</c> lays out,
/// the installable <c>.nupkg</c> <c>dotnet pack</c> writes, and the warning for placeholder package metadata.
/// </summary>
[Collection(DotnetBuilds.Name)]
public sealed class EngineLayoutTests(SdkBuildFixture fixture)
{
    private readonly EngineProject _project = fixture.HeadEngine;

    private string PluginFolder => _project.PathOf("bin", "Debug", "net10.0", "engines", "acme_head");

    [Fact]
    public void Build_lays_out_a_plugin_folder_with_the_package_files_and_without_the_shared_contracts()
    {
        Assert.True(Directory.Exists(PluginFolder), fixture.Build.ToString());
        var files = Directory.GetFiles(PluginFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(PluginFolder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

        string[] expected =
        [
            _project.Name + ".deps.json",
            _project.Name + ".dll",
            _project.Name + ".pdb",
            "README.md",
            "engine_package.yaml",
            "experiments/data/sample.txt",
            "experiments/example.yaml",
            "tools.json",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), files);

        // The build output has the contracts (a plain project reference copies them); the plugin folder must not,
        // or the plugin's load context would load its own copy and its engine types would not be the host's.
        Assert.True(File.Exists(_project.PathOf("bin", "Debug", "net10.0", "CompactMemory.Abstractions.dll")));
        Assert.Equal(File.ReadAllBytes(_project.PathOf("obj", "Debug", "net10.0", "compactmemory", "engine_package.yaml")), File.ReadAllBytes(Path.Combine(PluginFolder, "engine_package.yaml")));
        Assert.Equal(_project.Read("README.md"), File.ReadAllText(Path.Combine(PluginFolder, "README.md")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_plugin_folder_comes_from_the_first_target_framework_only()
    {
        Assert.False(Directory.Exists(_project.PathOf("bin", "Debug", "netstandard2.0", "engines")));
        Assert.False(Directory.Exists(fixture.Host.PathOf("bin", "Debug", "net10.0", "engines")), "a project without engines lays out nothing");
    }

    [Fact]
    public void The_laid_out_folder_loads_and_validates_as_a_package()
    {
        var inspection = EnginePackageLoader.Validate(PluginFolder);

        Assert.True(inspection.IsValid, string.Join("\n", inspection.Errors));
        Assert.Empty(inspection.Warnings);
        Assert.Equal("acme_head", inspection.Descriptor!.Id);
    }

    [Fact]
    public void The_package_is_an_installable_engine_with_both_package_types_and_the_root_files()
    {
        Assert.True(fixture.Pack.ExitCode == 0, fixture.Pack.ToString());
        using var zip = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(fixture.Packages, "*.nupkg")));
        var names = zip.Entries.Select(e => e.FullName).ToArray();

        foreach (var root in new[] { "engine_package.yaml", "tools.json", "README.md", "experiments/example.yaml", "experiments/data/sample.txt" })
        {
            Assert.Contains(root, names);
        }

        var nuspec = Nuspec.Read(zip);
        Assert.Equal(["Dependency", "CompactMemoryEngine"], nuspec.PackageTypes);
        Assert.Equal("README.md", nuspec.Metadata("readme"));
        Assert.Equal("Acme Engines Team", nuspec.Metadata("authors"));
        Assert.Equal(["CompactMemory.Abstractions"], nuspec.DependencyIds);
    }

    [Fact]
    public void A_project_without_engines_packs_as_a_plain_library()
    {
        Assert.True(fixture.HostPack.ExitCode == 0, fixture.HostPack.ToString());
        using var zip = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(fixture.HostPackages, "*.nupkg")));

        Assert.Empty(Nuspec.Read(zip).PackageTypes);
        Assert.DoesNotContain(zip.Entries, e => e.FullName is "README.md" || e.FullName.StartsWith("experiments/", StringComparison.Ordinal));
    }

    [Fact]
    public void Placeholder_authors_and_description_are_each_reported_once_naming_the_property_and_the_fix()
    {
        var result = fixture.Placeholders;
        var project = fixture.TwoEngines;

        Assert.True(result.ExitCode == 0, result.ToString());
        var warnings = result.Diagnostics("warning");
        Assert.Equal(2, warnings.Length);
        Assert.Contains(warnings, w => w.Contains("warning CMSDK009: " + project.Name + ".csproj has no Authors of its own (the .NET SDK uses the assembly name, '" + project.Name + "')", StringComparison.Ordinal)
            && w.Contains("Set the MSBuild property Authors in " + project.Name + ".csproj, for example <Authors>Your Name</Authors>.", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("warning CMSDK009: " + project.Name + ".csproj has no Description of its own, so the engine package 'beta_engine'", StringComparison.Ordinal)
            && w.Contains("Set the MSBuild property Description in " + project.Name + ".csproj", StringComparison.Ordinal));
        Assert.Empty(fixture.WithChoice.Diagnostics("warning"));
    }
}

/// <summary>The parts of a package's nuspec the tests read.</summary>
internal sealed class Nuspec
{
    private readonly XElement _metadata;

    private Nuspec(XElement metadata) => _metadata = metadata;

    /// <summary>The package types, in order.</summary>
    public string[] PackageTypes => _metadata.Elements().Where(e => e.Name.LocalName == "packageTypes").Elements().Select(e => (string)e.Attribute("name")!).ToArray();

    /// <summary>The ids of every dependency, of every group, once each, in ordinal order.</summary>
    public string[] DependencyIds => Dependencies.Select(d => d.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every dependency: its group's target framework, id and version.</summary>
    public (string TargetFramework, string Id, string Version)[] Dependencies =>
        _metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(d => ((string?)d.Parent!.Attribute("targetFramework") ?? string.Empty, (string)d.Attribute("id")!, (string)d.Attribute("version")!))
            .ToArray();

    /// <summary>A metadata element's text, or null.</summary>
    public string? Metadata(string name) => _metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>Reads the one .nuspec at the root of a package.</summary>
    public static Nuspec Read(ZipArchive zip)
    {
        var entry = Assert.Single(zip.Entries, e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        var document = XDocument.Load(stream);
        return new Nuspec(document.Root!.Elements().Single(e => e.Name.LocalName == "metadata"));
    }
}
