using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using CompactMemory.Testing;

namespace CompactMemory.EndToEnd.Tests;

/// <summary>
/// One run of the whole journey, shared by every test of <see cref="JourneyTests"/>: the repository's packages are
/// packed into a local folder feed under a version unique to the run (so a package rebuilt with an unchanged version
/// can never be served stale from the NuGet cache), then a new user's commands run one after another in a temp
/// folder outside the repository. A step whose prerequisite failed is not run; its tests fail naming the step.
/// </summary>
public sealed class Journey : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(8);
    private readonly TempDirectory _root = new();
    private readonly Dictionary<string, ChildProcessResult> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);

    public Journey()
    {
        var metadata = typeof(Journey).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
        RepoRoot = metadata["RepoRoot"];
        // A stable version no other run has (a prerelease one would make the templates' engine packs fail NU5104,
        // "a stable release should not depend on a prerelease"): the seconds since 2026 as the patch number.
        Version = "0.1." + ((long)(DateTime.UtcNow - new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Root = _root.Path;
        Feed = _root.CreateDirectory("feed");
        DataHome = _root.CreateDirectory("data");
        var hive = _root.CreateDirectory("template-hive");
        var tools = _root.CreateDirectory("tools");
        Tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "compact-memory.exe" : "compact-memory");
        _childEnvironment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // The per-user plugin directory of the CLI (and of hosts) lives in the temp folder.
            ["XDG_DATA_HOME"] = DataHome,
            ["LOCALAPPDATA"] = DataHome,
            ["COMPACT_MEMORY_ENGINES_PATH"] = null,
            // A CI server's CI=true would turn on source-control queries the copied sources (no .git) cannot answer.
            ["CI"] = null,
            // A package cache of the run's own: the engine packages the journey makes (Acme.Summarizer 0.1.0…) are
            // never served stale from an earlier run. Third-party packages come from the user's cache (a fallback
            // folder in nuget.config) instead of being downloaded again.
            ["NUGET_PACKAGES"] = _root.CreateDirectory("nuget-packages"),
        };

        // Outside the repository: nothing of its Directory.*.props applies.
        File.WriteAllText(_root.Combine("Directory.Build.props"), "<Project />\n");
        File.WriteAllText(_root.Combine("Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(_root.Combine("Directory.Packages.props"), "<Project />\n");

        // 1. The packages, as `dotnet pack CompactMemory.Sdk.sln -o artifacts/packages` makes them, from a copy of the
        //    sources (this run's build of the repository is in use by the other test projects: nothing here touches it).
        var source = _root.CreateDirectory("source");
        CopySources(RepoRoot, source);
        var packable = Path.Combine(source, "packable.slnx");
        File.WriteAllText(packable, "<Solution>\n" + string.Concat(PackageProjects.Select(p => $"  <Project Path=\"{p}\" />\n")) + "</Solution>\n");
        // The assembly and file versions stay 0.1.0.0 (their parts stop at 65535); packages and the tool's own version are the run's.
        // Packing the repository needs only third-party packages: the user's own cache serves them.
        _childEnvironment["NUGET_PACKAGES"] = UserPackageCache();
        Run("pack", null, "dotnet", source, Long, "pack", packable, "-c", "Release", "-o", Feed, "-p:Version=" + Version, "-p:AssemblyVersion=0.1.0.0", "-p:FileVersion=0.1.0.0", "-tl:off", "--nologo");
        string[] packed = ["pack"];
        _childEnvironment["NUGET_PACKAGES"] = _root.CreateDirectory("nuget-packages");

        // 2. A nuget.config that knows the feed, as the README makes it. (The test adds the user's cache as a fallback
        //    folder, so the run's own cache only downloads what the journey made.)
        Run("nugetconfig", packed, "dotnet", Root, Short, "new", "nugetconfig", "--debug:custom-hive", hive);
        Run("add source", ["nugetconfig"], "dotnet", Root, Short, "nuget", "add", "source", Feed, "--name", "compactmemory", "--configfile", "nuget.config");
        if (File.Exists(_root.Combine("nuget.config")))
        {
            var config = File.ReadAllText(_root.Combine("nuget.config"));
            File.WriteAllText(_root.Combine("nuget.config"), config.Replace("</configuration>", $"  <fallbackPackageFolders><add key=\"user-cache\" value=\"{UserPackageCache()}\" /></fallbackPackageFolders>\n</configuration>", StringComparison.Ordinal));
        }

        // 3. The command-line tool and the templates, installed from the feed.
        Run("tool install", ["add source"], "dotnet", Root, Short, "tool", "install", "CompactMemory.Cli", "--version", Version, "--tool-path", tools, "--add-source", Feed);
        Run("template install", packed, "dotnet", Root, Short, "new", "install", Path.Combine(Feed, $"CompactMemory.Templates.{Version}.nupkg"), "--debug:custom-hive", hive);

        // 4. A compression engine from the template, a context engine from create-engine-package.
        Run("new engine", ["template install", "add source"], "dotnet", Root, Short, "new", "compact-memory-engine", "-n", "Acme.Summarizer", "-o", _root.Combine("Acme.Summarizer"), "--debug:custom-hive", hive);
        Run("create context engine", ["tool install"], Tool, Root, Short, "dev", "create-engine-package", "--name", "Acme.Notes", "--kind", "context", "--path", _root.Combine("Acme.Notes"));

        // 5. Engine projects written by hand, referencing only the packages, both ways.
        HandProjects.Write(_root, Version);

        // 6. Build and test everything a new user made, warnings as errors.
        var solution = _root.Combine("journey.slnx");
        string[] built = ["Acme.Summarizer", "Acme.Notes", HandProjects.SdkStyle, HandProjects.PackageReference, HandProjects.BareReference];
        File.WriteAllText(solution, "<Solution>\n" + string.Concat(built
            .Where(folder => Directory.Exists(_root.Combine(folder)))
            .SelectMany(folder => Directory.EnumerateFiles(_root.Combine(folder), "*.csproj", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(p => $"  <Project Path=\"{Path.GetRelativePath(Root, p)}\" />\n")) + "</Solution>\n");
        Run("build", ["new engine", "create context engine"], "dotnet", Root, Long, "build", solution, "-p:TreatWarningsAsErrors=true", "-tl:off", "--nologo");
        Run("test", ["build"], "dotnet", Root, Long, "test", solution, "--no-build", "--nologo");
        Run("build mismatch", packed, "dotnet", _root.Combine(HandProjects.Mismatch), Short, "build", "-tl:off", "--nologo");

        // 7. Pack the engines into the feed; validate the plugin folder and the .nupkg.
        Run("pack engine", ["build"], "dotnet", _root.Combine("Acme.Summarizer"), Short, "pack", SummarizerProject ?? "Acme.Summarizer", "-o", Feed, "-tl:off", "--nologo");
        Run("pack bare reference", ["build"], "dotnet", _root.Combine(HandProjects.BareReference), Short, "pack", "-o", _root.CreateDirectory("bare-feed"), "-tl:off", "--nologo");
        Run("pack sdk-style engine", ["build"], "dotnet", _root.Combine(HandProjects.SdkStyle), Short, "pack", "-o", Feed, "-tl:off", "--nologo");
        Run("validate folder", ["build", "tool install"], Tool, Root, Short, "dev", "validate-engine-package", SummarizerPluginFolder ?? "missing");
        Run("validate nupkg", ["pack engine", "tool install"], Tool, Root, Short, "dev", "validate-engine-package", SummarizerPackage ?? "missing");

        // 8. Install from the .nupkg and by id from the feed, list, compress.
        Run("install nupkg", ["pack engine", "tool install"], Tool, Root, Short, "dev", "install-engine", SummarizerPackage ?? "missing");
        Run("install by id", ["pack sdk-style engine", "tool install"], Tool, Root, Short, "dev", "install-engine", HandProjects.SdkStyle, "--version", HandProjects.EngineVersion);
        Run("list", ["install nupkg", "install by id"], Tool, Root, Short, "dev", "list-engines", "--json");
        File.WriteAllText(_root.Combine("input.txt"), HandProjects.SampleText);
        Run("compress", ["install nupkg"], Tool, Root, Short, "compress", "--engine", SummarizerId ?? "missing", "--budget", "30", "--file", _root.Combine("input.txt"));

        // 9. A host that references the engine package: compile-time registry, no plugin directory; then native AOT.
        HandProjects.WriteHost(_root, Version, SummarizerPackageId ?? "Acme.Summarizer", SummarizerPackageVersion ?? "1.0.0", SummarizerId ?? "missing");
        var host = _root.Combine(HandProjects.Host);
        Run("host run", ["pack engine"], "dotnet", host, Long, "run", "-tl:off", "--nologo");
        var rid = RuntimeInformation.RuntimeIdentifier;
        Run("host publish aot", ["host run"], "dotnet", host, Long, "publish", "-c", "Release", "-r", rid, "-p:PublishAot=true", "-o", _root.Combine("host-aot"), "-tl:off", "--nologo");
        Run("host aot run", ["host publish aot"], _root.Combine("host-aot", HandProjects.Host), host, Short);

        // 10. Uninstall; the listing no longer has it.
        Run("uninstall", ["list"], Tool, Root, Short, "dev", "uninstall-engine", SummarizerId ?? "missing");
        Run("list after uninstall", ["uninstall"], Tool, Root, Short, "dev", "list-engines", "--json");
    }

    /// <summary>Copies what packing needs (the root build files, src, generators, analyzers), without build output.</summary>
    private static void CopySources(string repoRoot, string target)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "README.md" })
        {
            if (File.Exists(Path.Combine(repoRoot, file)))
            {
                File.Copy(Path.Combine(repoRoot, file), Path.Combine(target, file));
            }
        }

        foreach (var folder in new[] { "src", "generators", "analyzers" })
        {
            CopyFolder(Path.Combine(repoRoot, folder), Path.Combine(target, folder));
        }

        static void CopyFolder(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (var folder in Directory.EnumerateDirectories(from))
            {
                var name = Path.GetFileName(folder);
                if (name is not ("bin" or "obj"))
                {
                    CopyFolder(folder, Path.Combine(to, name));
                }
            }
        }
    }

    /// <summary>The NuGet cache of the user running the tests (NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    private static string UserPackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache ? cache
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The projects packed into the feed, relative to the repository root.</summary>
    public static IReadOnlyList<string> PackageProjects { get; } =
    [
        "src/CompactMemory.Abstractions/CompactMemory.Abstractions.csproj",
        "src/CompactMemory/CompactMemory.csproj",
        "src/CompactMemory.Cli/CompactMemory.Cli.csproj",
        "src/CompactMemory.Templates/CompactMemory.Templates.csproj",
        "src/CompactMemory.Sdk/CompactMemory.Sdk.csproj",
    ];

    public string RepoRoot { get; }

    /// <summary>The version every package of this run has.</summary>
    public string Version { get; }

    public string Root { get; }

    public string Feed { get; }

    /// <summary>XDG_DATA_HOME of the user: the per-user plugin directory is under it.</summary>
    public string DataHome { get; }

    /// <summary>The installed <c>compact-memory</c> tool.</summary>
    public string Tool { get; }

    private readonly Dictionary<string, string?> _childEnvironment;

    /// <summary>The engine project the compression-engine template wrote (the one with an engine, not its tests).</summary>
    public string? SummarizerProject => Directory.Exists(_root.Combine("Acme.Summarizer"))
        ? Directory.EnumerateFiles(_root.Combine("Acme.Summarizer"), "*.csproj", SearchOption.AllDirectories).Where(p => !Path.GetFileName(p).Contains("Test", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault()
        : null;

    /// <summary>The plugin folder the build of the template's engine laid out (the folder that holds its engine_package.yaml).</summary>
    public string? SummarizerPluginFolder => SummarizerProject is { } project
        ? Directory.EnumerateFiles(Path.Combine(Path.GetDirectoryName(project)!, "bin", "Debug"), "engine_package.yaml", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Order(StringComparer.Ordinal).FirstOrDefault()
        : null;

    /// <summary>The engine id the template derived from the project name, read from the laid-out manifest.</summary>
    public string? SummarizerId => SummarizerPluginFolder is { } folder ? Path.GetFileName(folder) : null;

    /// <summary>The template engine's .nupkg in the feed.</summary>
    public string? SummarizerPackage => Directory.EnumerateFiles(Feed, "Acme.Summarizer.*.nupkg").Order(StringComparer.Ordinal).FirstOrDefault();

    public string? SummarizerPackageId => SummarizerPackage is null ? null : "Acme.Summarizer";

    public string? SummarizerPackageVersion => SummarizerPackage is { } p ? Path.GetFileNameWithoutExtension(p)["Acme.Summarizer.".Length..] : null;

    /// <summary>What a step did; throws naming the step (and the one that stopped it) when it did not run.</summary>
    internal ChildProcessResult Step(string name) =>
        _steps.TryGetValue(name, out var result) ? result
        : _skipped.TryGetValue(name, out var why) ? throw new InvalidOperationException($"Step '{name}' did not run: {why}")
        : throw new InvalidOperationException($"No step '{name}'.");

    /// <summary>Asserts a step succeeded, with its output in the message when it did not.</summary>
    internal ChildProcessResult Succeeded(string name)
    {
        var result = Step(name);
        Xunit.Assert.True(result.Succeeded, result.ToString());
        return result;
    }

    public string PathOf(params string[] parts) => _root.Combine(parts);

    private void Run(string name, string[]? after, string fileName, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var failed = (after ?? []).FirstOrDefault(step => !_steps.TryGetValue(step, out var r) || !r.Succeeded);
        if (failed is not null)
        {
            _skipped[name] = $"step '{failed}' " + (_steps.TryGetValue(failed, out var r) ? "failed:\n" + r : "did not run: " + _skipped.GetValueOrDefault(failed));
            return;
        }

        try
        {
            _steps[name] = ChildProcess.Run(fileName, workingDirectory, _childEnvironment, timeout, args);
        }
        catch (Exception ex) when (ex is TimeoutException or System.ComponentModel.Win32Exception)
        {
            _steps[name] = new ChildProcessResult(fileName + " " + string.Join(' ', args), -1, ex.Message, timeout);
        }
    }

    public void Dispose() => _root.Dispose();
}
