using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

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

/// <summary>Runs the real <c>dotnet</c> command, as an engine author would, in a clean environment.</summary>
internal static class Dotnet
{
    /// <summary>The repository root (the folder of CompactMemory.Sdk.sln), with a trailing separator.</summary>
    public static string RepoRoot { get; } = typeof(Dotnet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>Runs <c>dotnet args…</c> in <paramref name="workingDirectory"/>; stdout and stderr are merged.</summary>
    public static DotnetResult Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // `dotnet test` runs us inside an MSBuild-launched process: its MSBuild* variables would steer the child build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        var output = new StringBuilder();
        var closed = 0;
        using var done = new System.Threading.ManualResetEventSlim();
        void Receive(object sender, DataReceivedEventArgs e)
        {
            lock (output)
            {
                if (e.Data is null)
                {
                    if (++closed == 2)
                    {
                        done.Set();
                    }

                    return;
                }

                output.Append(e.Data).Append('\n');
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Receive;
        process.ErrorDataReceived += Receive;
        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var command = "dotnet " + string.Join(' ', args);
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(command + " did not finish within four minutes:\n" + output);
        }

        // A process left behind (a build server) may hold the pipes open: do not wait for it.
        done.Wait(TimeSpan.FromSeconds(10));
        lock (output)
        {
            return new DotnetResult(command, process.ExitCode, output.ToString(), clock.Elapsed);
        }
    }
}
