using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactMemory.Testing;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// The projects of <see cref="MistakeProjects"/>, built with <c>dotnet build</c> as their author would; then every
/// code fix the IDE offers is applied to the files on disk, and the projects are built again.
/// </summary>
public sealed class MistakeBuildFixture : IDisposable
{
    private readonly TempDirectory _root = new();

    public MistakeBuildFixture()
    {
        EngineProject.FenceOff(_root);
        (Projects, Mistakes) = MistakeProjects.Write(_root);
        var solution = _root.Combine("mistakes.slnx");
        File.WriteAllText(solution, "<Solution>\n" + string.Concat(Projects.Select(p => $"  <Project Path=\"{p.Name}/{p.Name}.csproj\" />\n")) + "</Solution>\n");

        Build = Dotnet.Run(_root.Path, "build", solution, "--nologo", "-tl:off");
        AppliedFixes = Projects.ToDictionary(p => p.Name, p => OfferedFixes.Apply(p, "2.3.4"), StringComparer.Ordinal);
        Rebuild = Dotnet.Run(_root.Path, "build", solution, "--nologo", "-tl:off");
    }

    internal EngineProject[] Projects { get; }

    internal SeededMistake[] Mistakes { get; }

    /// <summary>The first build, with every mistake in place.</summary>
    internal DotnetResult Build { get; }

    /// <summary>Per project, the fixes applied after the first build ("ID: title").</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<string>> AppliedFixes { get; }

    /// <summary>The build after the fixes.</summary>
    internal DotnetResult Rebuild { get; }

    public void Dispose() => _root.Dispose();
}
