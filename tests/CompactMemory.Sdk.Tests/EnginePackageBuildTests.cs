using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using CompactMemory.Manifest;
using CompactMemory.Plugins;
using Xunit;

namespace CompactMemory.Sdk.Tests;

/// <summary>A fresh engine project: built with no warnings, its manifest generated, validated, and packed.</summary>
[Collection(DotnetBuilds.Name)]
public sealed class EnginePackageBuildTests(SdkBuildFixture fixture)
{
    private const string ClassName = "Acme.Engines.HeadEngine";
    private readonly EngineProject _project = fixture.HeadEngine;

    [Fact]
    public void The_build_reports_no_warnings_and_the_engine_project_builds()
    {
        Assert.Empty(fixture.Build.Diagnostics("warning"));
        Assert.Contains(" 0 Warning(s)", fixture.Build.Output, StringComparison.Ordinal);
        Assert.Empty(fixture.Build.Diagnostics("error", _project));
        Assert.True(File.Exists(_project.PathOf("bin", "Debug", "net10.0", _project.Name + ".dll")), fixture.Build.ToString());
        Assert.False(File.Exists(_project.PathOf("engine_package.yaml")), "the test project must not have a hand-written manifest");
    }

    [Theory]
    [InlineData("net10.0", "Engines by Acme.")]
    [InlineData("netstandard2.0", "Engines by Acme, netstandard2.0 build.")]
    public void Each_target_framework_build_writes_the_manifest_from_the_attribute_and_the_project(string targetFramework, string description)
    {
        var yaml = _project.Read("obj", "Debug", targetFramework, "compactmemory", "engine_package.yaml");

        var read = EngineManifestReader.Read(yaml);

        Assert.Empty(read.Problems);
        Assert.Equal("acme_head", read.Manifest.EngineId);
        Assert.Equal(ClassName, read.Manifest.EngineClassName);
        Assert.Equal(_project.Name, read.Manifest.EngineModule);
        Assert.Equal("Acme Head", read.Manifest.DisplayName);
        Assert.Equal("2.3.4", read.Manifest.Version);
        Assert.Equal(["Acme Engines Team"], read.Manifest.Authors!.Select(a => a.ToString()).ToArray());
        Assert.Equal(description, read.Manifest.Description);
        Assert.Equal("[]", _project.Read("obj", "Debug", targetFramework, "compactmemory", "tools.json"));
    }

    [Fact]
    public void The_generated_manifest_laid_out_with_the_assembly_passes_package_validation()
    {
        var package = fixture.CreateDirectory("plugin-" + Guid.NewGuid().ToString("N"));
        var output = _project.PathOf("bin", "Debug", "net10.0");
        File.Copy(_project.PathOf("obj", "Debug", "net10.0", "compactmemory", "engine_package.yaml"), Path.Combine(package, "engine_package.yaml"));
        File.Copy(_project.PathOf("README.md"), Path.Combine(package, "README.md"));
        foreach (var extension in new[] { ".dll", ".pdb", ".deps.json" })
        {
            File.Copy(Path.Combine(output, _project.Name + extension), Path.Combine(package, _project.Name + extension));
        }

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Empty(inspection.Errors);
        Assert.Empty(inspection.Warnings);
        Assert.True(inspection.IsValid);
        Assert.Equal("acme_head", inspection.Descriptor!.Id);
        Assert.Equal(ClassName, inspection.Descriptor.EngineType.FullName);
    }

    [Fact]
    public void The_package_has_the_manifest_and_tool_schemas_at_its_root_once_from_the_first_target_framework()
    {
        Assert.True(fixture.Pack.ExitCode == 0, fixture.Pack.ToString());
        Assert.Empty(fixture.Pack.Diagnostics("warning"));
        var nupkg = Assert.Single(Directory.GetFiles(fixture.Packages, "*.nupkg"));
        Assert.Equal(_project.Name + ".2.3.4.nupkg", Path.GetFileName(nupkg));

        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToArray();

        Assert.Single(names, n => n.EndsWith("engine_package.yaml", StringComparison.Ordinal));
        Assert.Single(names, n => n.EndsWith("tools.json", StringComparison.Ordinal));
        Assert.Contains("lib/net10.0/" + _project.Name + ".dll", names);
        Assert.Contains("lib/netstandard2.0/" + _project.Name + ".dll", names);
        Assert.Equal(Bytes(_project.PathOf("obj", "Debug", "net10.0", "compactmemory", "engine_package.yaml")), Bytes(zip.GetEntry("engine_package.yaml")!));
        Assert.Equal(Bytes(_project.PathOf("obj", "Debug", "net10.0", "compactmemory", "tools.json")), Bytes(zip.GetEntry("tools.json")!));
        Assert.NotEqual(Bytes(_project.PathOf("obj", "Debug", "netstandard2.0", "compactmemory", "engine_package.yaml")), Bytes(zip.GetEntry("engine_package.yaml")!));

        // Neither the generator nor the task project became a dependency; the contracts did.
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var text = nuspec.ReadToEnd();
        Assert.Contains("CompactMemory.Abstractions", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CompactMemory.Generators", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CompactMemory.Sdk.Tasks", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CompactMemoryPackageTargetFramework_chooses_the_build_whose_files_are_packed()
    {
        Assert.True(fixture.ChosenPack.ExitCode == 0, fixture.ChosenPack.ToString());
        using var zip = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(fixture.ChosenPackages, "*.nupkg")));

        Assert.Single(zip.Entries, e => e.Name == "engine_package.yaml");
        Assert.Equal(Bytes(_project.PathOf("obj", "Debug", "netstandard2.0", "compactmemory", "engine_package.yaml")), Bytes(zip.GetEntry("engine_package.yaml")!));
    }

    [Fact]
    public void A_CompactMemoryPackageTargetFramework_the_project_does_not_target_fails_the_pack()
    {
        Assert.NotEqual(0, fixture.UnlistedPack.ExitCode);
        var error = Assert.Single(fixture.UnlistedPack.Diagnostics("error"));
        Assert.Contains("error CMSDK008: CompactMemoryPackageTargetFramework is 'net9.0', which is not one of the target frameworks of " + _project.Name + ".csproj (net10.0, netstandard2.0)", error, StringComparison.Ordinal);
    }

    private static byte[] Bytes(string path) => File.ReadAllBytes(path);

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
