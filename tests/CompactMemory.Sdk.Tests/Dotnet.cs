using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using CompactMemory.Testing;

namespace CompactMemory.Sdk.Tests;

/// <summary>What a <c>dotnet</c> child process did.</summary>
internal sealed record DotnetResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The warnings and errors MSBuild reported, one per line, without duplicates.</summary>
    public string[] Diagnostics(string severity) =>
        Output.Split('\n')
            .Where(line => Regex.IsMatch(line, @":\s" + severity + @"\s+[A-Z]+[0-9]+\s*:", RegexOptions.CultureInvariant))
            .Select(line => line.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The warnings or errors reported for one project (MSBuild names the project file on each).</summary>
    public string[] Diagnostics(string severity, EngineProject project) =>
        Diagnostics(severity).Where(line => line.Contains(Path.DirectorySeparatorChar + project.Name + ".csproj", StringComparison.Ordinal)).ToArray();

    public override string ToString() => $"`{Command}` exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s:\n{Output}";
}

/// <summary>Runs the real <c>dotnet</c> command, as an engine author would, in a clean environment (<see cref="ChildProcess"/>).</summary>
internal static class Dotnet
{
    /// <summary>The repository root (the folder of CompactMemory.Sdk.sln), with a trailing separator.</summary>
    public static string RepoRoot { get; } = typeof(Dotnet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>Runs <c>dotnet args…</c> in <paramref name="workingDirectory"/>; stdout and stderr are merged.</summary>
    public static DotnetResult Run(string workingDirectory, params string[] args)
    {
        var result = ChildProcess.Run("dotnet", workingDirectory, environment: null, TimeSpan.FromMinutes(4), args);
        return new DotnetResult(result.Command, result.ExitCode, result.Output, result.Elapsed);
    }
}
