using System;
using System.IO;
using System.IO.Compression;
using CompactMemory.Manifest;
using Xunit;

namespace CompactMemory.Sdk.Tests;

/// <summary>Several engines, no engine, no generator, an old compiler: what the build does and says.</summary>
[Collection(DotnetBuilds.Name)]
public sealed class PackagingErrorTests(SdkBuildFixture fixture)
{
    [Fact]
    public void Two_engines_and_no_choice_fail_the_build_naming_the_ids_and_the_property()
    {
        var project = fixture.TwoEngines;

        Assert.NotEqual(0, fixture.Build.ExitCode);
        var error = Assert.Single(fixture.Build.Diagnostics("error", project));
        Assert.Contains("error CMSDK002: " + project.Name + ".csproj defines several engines (alpha_engine, beta_engine) but an engine package holds one.", error, StringComparison.Ordinal);
        Assert.Contains("Set the MSBuild property CompactMemoryPackageEngineId to the id to package, for example <CompactMemoryPackageEngineId>alpha_engine</CompactMemoryPackageEngineId>", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CompactMemoryPackageEngineId_chooses_the_engine_to_package()
    {
        var result = fixture.WithChoice;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Diagnostics("warning"));
        var read = EngineManifestReader.Read(fixture.TwoEngines.Read("obj", "Debug", "net10.0", "compactmemory", "engine_package.yaml"));
        Assert.Empty(read.Problems);
        Assert.Equal("beta_engine", read.Manifest.EngineId);
        Assert.Equal("Acme.Engines.BetaEngine", read.Manifest.EngineClassName);
        Assert.Equal(fixture.TwoEngines.Name, read.Manifest.EngineModule);
    }

    [Fact]
    public void An_unknown_engine_id_fails_naming_the_engines_there_are()
    {
        var result = fixture.UnknownChoice;

        Assert.NotEqual(0, result.ExitCode);
        var error = Assert.Single(result.Diagnostics("error"));
        Assert.Contains("error CMSDK003: CompactMemoryPackageEngineId is 'gamma_engine', but " + fixture.TwoEngines.Name + ".dll defines no engine with that id; its engines are: alpha_engine, beta_engine. Set CompactMemoryPackageEngineId to one of them.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_engines_builds_and_packs_with_no_engine_files()
    {
        var host = fixture.Host;

        Assert.Empty(fixture.Build.Diagnostics("error", host));
        Assert.True(File.Exists(host.PathOf("bin", "Debug", "net10.0", host.Name + ".dll")), fixture.Build.ToString());
        Assert.False(File.Exists(host.PathOf("obj", "Debug", "net10.0", "compactmemory", "engine_package.yaml")));
        Assert.True(fixture.HostPack.ExitCode == 0, fixture.HostPack.ToString());
        using var zip = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(fixture.HostPackages, "*.nupkg")));
        Assert.DoesNotContain(zip.Entries, e => e.Name is "engine_package.yaml" or "tools.json");
    }

    [Fact]
    public void Engine_classes_without_the_generator_fail_the_build_naming_the_classes_and_the_fix()
    {
        var project = fixture.NoGenerator;

        var error = Assert.Single(fixture.Build.Diagnostics("error", project));
        Assert.Contains("error CMSDK004: " + project.Name + ".dll has [CompressionEngine] classes (Acme.Engines.HeadEngine) but no generated engine manifest", error, StringComparison.Ordinal);
        Assert.Contains("Reference CompactMemory.Sdk", error, StringComparison.Ordinal);
        Assert.False(File.Exists(project.PathOf("obj", "Debug", "net10.0", "compactmemory", "engine_package.yaml")));
    }

    [Fact]
    public void A_compiler_older_than_Roslyn_4_8_is_refused_with_the_floor_in_the_message()
    {
        var result = fixture.OldCompiler;

        Assert.NotEqual(0, result.ExitCode);
        var error = Assert.Single(result.Diagnostics("error"));
        Assert.Contains("error CMSDK001: CompactMemory.Sdk needs the .NET 8 SDK (Roslyn 4.8) or newer", error, StringComparison.Ordinal);
        Assert.Contains("Roslyn 4.7 cannot run it", error, StringComparison.Ordinal);
        Assert.True(fixture.FloorCompiler.ExitCode == 0, fixture.FloorCompiler.ToString());
    }
}
