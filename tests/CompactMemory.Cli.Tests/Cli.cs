using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.Testing;

namespace CompactMemory.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs the command in-process (fast) or as the real built program in a child process.</summary>
internal sealed class Cli : IDisposable
{
    private readonly TempDirectory _home = new();

    public Cli()
    {
        Environment["HOME"] = _home.Path;
        Environment["XDG_DATA_HOME"] = _home.Combine("data");
    }

    /// <summary>The environment the command sees; the user plugin directory is isolated in a temp home.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The working directory of <see cref="RunProcess"/> (where nuget.config files are looked up); the test's own when null.</summary>
    public string? WorkingDirectory { get; set; }

    public string UserPluginDirectory => _home.Combine("data", "compact_memory", "plugins");

    public static string SamplePackage => Metadata("SamplePackage");

    public static string SampleArticle => Metadata("SampleArticle");

    public CliResult Run(params string[] args) => RunWithInput(string.Empty, args);

    public CliResult RunWithInput(string input, params string[] args) => RunWithInputBytes(System.Text.Encoding.UTF8.GetBytes(input), args);

    /// <summary>Runs in-process with <paramref name="input"/> as the bytes of standard input.</summary>
    public CliResult RunWithInputBytes(byte[] input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new MemoryStream(input, writable: false);
        var code = CliApp.Run(args, output, error, reader, name => Environment.TryGetValue(name, out var value) ? value : null);
        return new CliResult(code, Normalize(output.ToString()), Normalize(error.ToString()));
    }

    /// <summary>Runs in-process and fails (instead of waiting forever) when the command does not finish in time.</summary>
    public CliResult RunWithin(TimeSpan limit, params string[] args)
    {
        var run = System.Threading.Tasks.Task.Run(() => Run(args));
        if (!run.Wait(limit))
        {
            throw new TimeoutException($"compact-memory did not finish within {limit.TotalSeconds} s: " + string.Join(' ', args));
        }

        return run.Result;
    }

    /// <summary>Runs the built compact-memory program (the same assembly the tests reference) as a child process.</summary>
    public CliResult RunProcess(params string[] args)
    {
        var program = typeof(CliApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (WorkingDirectory is not null)
        {
            start.WorkingDirectory = WorkingDirectory;
        }

        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("COMPACT_MEMORY_ENGINES_PATH");
        start.Environment.Remove("COMPACT_MEMORY_DEFAULT_ENGINE_ID");
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("compact-memory did not finish within two minutes: " + string.Join(' ', args));
        }

        return new CliResult(process.ExitCode, Normalize(stdout.Result), Normalize(stderr.Result));
    }

    public void Dispose() => _home.Dispose();

    private static string Normalize(string text) => text.ReplaceLineEndings("\n");

    private static string Metadata(string key) =>
        typeof(Cli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
