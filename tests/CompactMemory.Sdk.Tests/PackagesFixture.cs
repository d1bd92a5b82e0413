using System;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.Testing;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// <c>dotnet pack --no-build</c> of the repository's packable projects, once, into a temp folder: the packages the
/// test run's own build produced (this test project references every one of them, so <c>dotnet test</c> builds them
/// first, in the same configuration).
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    /// <summary>The packable projects, relative to the repository root.</summary>
    internal static readonly string[] PackableProjects =
    [
        "src/CompactMemory.Abstractions/CompactMemory.Abstractions.csproj",
        "src/CompactMemory/CompactMemory.csproj",
        "src/CompactMemory.Cli/CompactMemory.Cli.csproj",
        "src/CompactMemory.Sdk/CompactMemory.Sdk.csproj",
        "src/CompactMemory.Templates/CompactMemory.Templates.csproj",
    ];

    private readonly TempDirectory _root = new();

    public PackagesFixture()
    {
        var metadata = typeof(PackagesFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
        Version = metadata["PackageVersion"];
        Configuration = metadata["Configuration"];
        Directory = _root.CreateDirectory("packages");
        var solution = _root.Combine("packable.slnx");
        File.WriteAllText(solution, "<Solution>\n" + string.Concat(PackableProjects.Select(p => $"  <Project Path=\"{Path.GetFullPath(Path.Combine(Dotnet.RepoRoot, p))}\" />\n")) + "</Solution>\n");
        Pack = Dotnet.Run(_root.Path, "pack", solution, "--nologo", "-tl:off", "--no-build", "-c", Configuration, "-o", Directory, "-warnaserror");
    }

    /// <summary>The version every package has (Directory.Build.props).</summary>
    internal string Version { get; }

    /// <summary>The configuration this test project (and so every packed project) was built in.</summary>
    internal string Configuration { get; }

    /// <summary>The folder the packages were written to.</summary>
    internal string Directory { get; }

    /// <summary>The pack run.</summary>
    internal DotnetResult Pack { get; }

    /// <summary>The path of a package by id.</summary>
    internal string PackageOf(string id) => Path.Combine(Directory, id + "." + Version + ".nupkg");

    public void Dispose() => _root.Dispose();
}
