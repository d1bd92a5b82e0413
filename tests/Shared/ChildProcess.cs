using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;

namespace CompactMemory.Testing;

/// <summary>What a child process did: its command line, exit code, merged stdout and stderr, and how long it took.</summary>
internal sealed record ChildProcessResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>Whether the process exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"`{Command}` exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s:\n{Output}";
}

/// <summary>
/// Runs a real program (<c>dotnet</c>, an installed tool, a published app) as a user would, in a clean environment:
/// the MSBuild variables of the <c>dotnet test</c> process that runs the tests are removed, telemetry and first-run
/// text are off, messages are in English, and no build server outlives the command.
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="args"/>; stdout and stderr are merged.</summary>
    /// <param name="fileName">The program: <c>dotnet</c>, or a full path.</param>
    /// <param name="workingDirectory">The folder it runs in.</param>
    /// <param name="environment">Variables to set (a null value removes the variable).</param>
    /// <param name="timeout">How long it may take before it is killed and a <see cref="TimeoutException"/> is thrown.</param>
    /// <param name="args">The arguments, each passed as one argument.</param>
    public static ChildProcessResult Run(string fileName, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
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

        // `dotnet test` runs the tests inside an MSBuild-launched process: its MSBuild* variables would steer a child build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    start.Environment.Remove(name);
                }
                else
                {
                    start.Environment[name] = value;
                }
            }
        }

        var output = new StringBuilder();
        var closed = 0;
        using var done = new ManualResetEventSlim();
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
        var command = fileName + " " + string.Join(' ', args);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout.TotalMinutes:F0} minutes:\n{output}");
        }

        // A process left behind (a build server) may hold the pipes open: do not wait for it.
        done.Wait(TimeSpan.FromSeconds(10));
        lock (output)
        {
            return new ChildProcessResult(command, process.ExitCode, output.ToString(), clock.Elapsed);
        }
    }
}
