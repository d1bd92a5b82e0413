using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// Every package <c>dotnet pack</c> makes of the repository, opened: its files, its nuspec dependencies and its
/// package types. A file that moves, a dependency that leaks or a type that goes missing fails here, not on a user's
/// machine.
/// </summary>
[Collection(DotnetBuilds.Name)]
public sealed class PackageLayoutTests(PackagesFixture packages)
{
    private const string RoslynFolder = "analyzers/dotnet/roslyn4.8/cs/";

    [Fact]
    public void Pack_succeeds_with_warnings_as_errors_and_makes_exactly_one_package_per_packable_project()
    {
        Assert.True(packages.Pack.ExitCode == 0, packages.Pack.ToString());
        var made = Directory.GetFiles(packages.Directory, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();

        string[] expected = ["CompactMemory", "CompactMemory.Abstractions", "CompactMemory.Cli", "CompactMemory.Sdk", "CompactMemory.Templates"];
        Assert.Equal(expected.Select(id => id + "." + packages.Version + ".nupkg").Order(StringComparer.Ordinal), made);
    }

    [Fact]
    public void Every_package_carries_the_license_expression_and_the_shared_version()
    {
        foreach (var nupkg in Directory.GetFiles(packages.Directory, "*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(nupkg);
            var nuspec = Nuspec.Read(zip);
            Assert.Equal("MIT", nuspec.Metadata("license"));
            Assert.Equal(packages.Version, nuspec.Metadata("version"));
            Assert.False(string.IsNullOrWhiteSpace(nuspec.Metadata("description")), nupkg);
            Assert.NotEqual("Package Description", nuspec.Metadata("description"));
        }
    }

    [Fact]
    public void The_Sdk_package_is_an_MSBuild_project_SDK_and_a_development_dependency_with_the_tools_in_their_folders()
    {
        using var zip = Open("CompactMemory.Sdk");

        string[] expected =
        [
            "Sdk/Sdk.props",
            "Sdk/Sdk.targets",
            RoslynFolder + "CompactMemory.Analyzers.CodeFixes.dll",
            RoslynFolder + "CompactMemory.Analyzers.dll",
            RoslynFolder + "CompactMemory.Generators.dll",
            RoslynFolder + "YamlDotNet.dll",
            "build/CompactMemory.Sdk.Version.props",
            "build/CompactMemory.Sdk.props",
            "build/CompactMemory.Sdk.targets",
            "buildMultiTargeting/CompactMemory.Sdk.props",
            "buildMultiTargeting/CompactMemory.Sdk.targets",
            "buildTransitive/CompactMemory.Sdk.props",
            "buildTransitive/CompactMemory.Sdk.targets",
            "tasks/netstandard2.0/CompactMemory.Sdk.Tasks.dll",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Content(zip));

        var nuspec = Nuspec.Read(zip);
        Assert.Equal(["MSBuildSdk", "Dependency"], nuspec.PackageTypes);
        Assert.Equal("true", nuspec.Metadata("developmentDependency"));
        var dependency = Assert.Single(nuspec.Dependencies);
        Assert.Equal(("CompactMemory.Abstractions", packages.Version), (dependency.Id, dependency.Version));

        // The version the implicit CompactMemory.Abstractions reference of Sdk mode uses is the package's own.
        Assert.Contains("<CompactMemorySdkVersion>" + packages.Version + "</CompactMemorySdkVersion>", Text(zip, "build/CompactMemory.Sdk.Version.props"), StringComparison.Ordinal);
        Assert.Contains("Sdk=\"Microsoft.NET.Sdk\"", Text(zip, "Sdk/Sdk.props"), StringComparison.Ordinal);
        Assert.Contains("../build/CompactMemory.Sdk.targets", Text(zip, "Sdk/Sdk.targets"), StringComparison.Ordinal);
        foreach (var folder in new[] { "buildTransitive", "buildMultiTargeting" })
        {
            Assert.Contains("../build/CompactMemory.Sdk.props", Text(zip, folder + "/CompactMemory.Sdk.props"), StringComparison.Ordinal);
            Assert.Contains("../build/CompactMemory.Sdk.targets", Text(zip, folder + "/CompactMemory.Sdk.targets"), StringComparison.Ordinal);
        }

        // The packed tools are the assemblies they are named for (not, say, a reference assembly or an empty build).
        foreach (var name in expected.Where(n => n.EndsWith(".dll", StringComparison.Ordinal)))
        {
            Assert.Equal(Path.GetFileNameWithoutExtension(name), AssemblyNameOf(zip, name));
        }
    }

    [Fact]
    public void The_runtime_package_ships_the_generator_for_hosts_and_depends_on_the_contracts()
    {
        using var zip = Open("CompactMemory");

        string[] expected =
        [
            RoslynFolder + "CompactMemory.Generators.dll",
            RoslynFolder + "YamlDotNet.dll",
            "lib/net10.0/CompactMemory.dll",
            "lib/net10.0/CompactMemory.xml",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Content(zip));
        var nuspec = Nuspec.Read(zip);
        Assert.Empty(nuspec.PackageTypes);
        // Microsoft.Extensions.AI: the context-engine middleware (DelegatingChatClient, function invocation) builds on it.
        Assert.Equal(["CompactMemory.Abstractions", "Microsoft.Extensions.AI", "YamlDotNet"], nuspec.DependencyIds);
        Assert.Equal(packages.Version, nuspec.Dependencies.Single(d => d.Id == "CompactMemory.Abstractions").Version);

        // The same generator as the Sdk package's, so a host that gets both keeps either.
        using var sdk = Open("CompactMemory.Sdk");
        Assert.Equal(Bytes(sdk, RoslynFolder + "CompactMemory.Generators.dll"), Bytes(zip, RoslynFolder + "CompactMemory.Generators.dll"));
    }

    [Fact]
    public void The_contracts_package_targets_netstandard2_0_and_the_current_framework()
    {
        using var zip = Open("CompactMemory.Abstractions");

        Assert.Contains("lib/netstandard2.0/CompactMemory.Abstractions.dll", Content(zip));
        Assert.Contains("lib/net10.0/CompactMemory.Abstractions.dll", Content(zip));
        Assert.DoesNotContain(Content(zip), n => n.StartsWith("analyzers/", StringComparison.Ordinal));
        var nuspec = Nuspec.Read(zip);
        Assert.Equal(["Microsoft.Extensions.AI.Abstractions"], nuspec.DependencyIds);
        Assert.Equal([".NETStandard2.0", "net10.0"], nuspec.Dependencies.Select(d => d.TargetFramework).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_CLI_package_is_a_dotnet_tool_named_compact_memory()
    {
        using var zip = Open("CompactMemory.Cli");

        Assert.Equal(["DotnetTool"], Nuspec.Read(zip).PackageTypes);
        Assert.Contains("tools/net10.0/any/CompactMemory.Cli.dll", Content(zip));
        Assert.Contains("<Command Name=\"compact-memory\"", Text(zip, "tools/net10.0/any/DotnetToolSettings.xml"), StringComparison.Ordinal);
        Assert.DoesNotContain(Content(zip), n => n.EndsWith("CompactMemory.Generators.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void The_templates_package_is_a_template_pack_whose_engine_projects_ask_for_the_Sdk_of_the_same_version()
    {
        using var zip = Open("CompactMemory.Templates");

        var nuspec = Nuspec.Read(zip);
        Assert.Equal(["Template"], nuspec.PackageTypes);
        Assert.Empty(nuspec.Dependencies);
        var engineProjects = Content(zip).Where(n => n.StartsWith("content/", StringComparison.Ordinal) && n.EndsWith(".csproj", StringComparison.Ordinal) && !n.Contains(".Tests", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, engineProjects.Length);
        foreach (var project in engineProjects)
        {
            Assert.StartsWith("<Project Sdk=\"CompactMemory.Sdk/" + packages.Version + "\">", Text(zip, project), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_package_depends_on_a_build_time_project()
    {
        foreach (var nupkg in Directory.GetFiles(packages.Directory, "*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(nupkg);
            var ids = Nuspec.Read(zip).DependencyIds;
            Assert.DoesNotContain(ids, id => id is "CompactMemory.Generators" or "CompactMemory.Analyzers" or "CompactMemory.Analyzers.CodeFixes" or "CompactMemory.Sdk.Tasks" or "CompactMemory.Sdk");
        }
    }

    private ZipArchive Open(string id)
    {
        Assert.True(packages.Pack.ExitCode == 0, packages.Pack.ToString());
        return ZipFile.OpenRead(packages.PackageOf(id));
    }

    /// <summary>The package's files, without the nuspec and the OPC parts NuGet adds.</summary>
    private static string[] Content(ZipArchive zip) =>
        zip.Entries.Select(e => e.FullName)
            .Where(n => !n.EndsWith(".nuspec", StringComparison.Ordinal) && !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string Text(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static byte[] Bytes(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string AssemblyNameOf(ZipArchive zip, string name)
    {
        using var pe = new PEReader(new MemoryStream(Bytes(zip, name)));
        var reader = pe.GetMetadataReader();
        return reader.GetString(reader.GetAssemblyDefinition().Name);
    }
}
