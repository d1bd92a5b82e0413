using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CompactMemory.Cli.Packages;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests.Packages;

/// <summary>Every bad package, feed and plugin directory gets a clear error, and nothing is left half-installed.</summary>
public sealed class BadPackageTests : IDisposable
{
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();
    private Action? _cleanup;

    public BadPackageTests()
    {
        Feed = _temp.CreateDirectory("feed");
        Plugins = _temp.Combine("plugins");
    }

    private string Feed { get; }

    private string Plugins { get; }

    public void Dispose()
    {
        _cleanup?.Invoke();
        _cli.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        var path = Path.Combine(Feed, "Broken.1.0.0.nupkg");
        File.WriteAllText(path, "this is not a zip archive");

        var result = Install(path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: '{path}' is not a NuGet package: it is not a zip archive (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("); give a .nupkg made by 'dotnet pack', or download it again if it was cut short.\n", result.Error, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public void A_zip_without_a_nuspec_is_refused()
    {
        var path = Path.Combine(Feed, "Plain.zip");
        NupkgBuilder.WriteZip(path, [("engine_package.yaml", Encoding.UTF8.GetBytes("engine_id: x\n"), null)]);

        var result = Install(path);

        Assert.Equal($"Error: '{path}' is not a NuGet package: it has no .nuspec at its root; give a .nupkg made by 'dotnet pack'.\n", result.Error);
        AssertNothingInstalled();
    }

    [Fact]
    public void A_library_package_without_a_manifest_is_refused()
    {
        var path = NupkgBuilder.Engine(_temp.Path, "Acme.Library", "1.0.0", "library").Without("engine_package.yaml").WriteTo(Feed);

        var result = Install(path);

        Assert.Equal("Error: Package Acme.Library 1.0.0 has no engine_package.yaml at its root, so it is a library, not an engine package; pack an engine project that uses CompactMemory.Sdk (it adds the manifest), or install the engine package instead.\n", result.Error);
        AssertNothingInstalled();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_manifest_id_that_differs_from_the_engine_class_or_catalog_fails_validation_and_installs_nothing(bool withCatalog)
    {
        var folder = new PluginPackageBuilder
        {
            EngineId = "in_manifest",
            ClassId = "in_class",
            Generator = withCatalog ? Microsoft.CodeAnalysis.GeneratorExtensions.AsSourceGenerator(new CompactMemory.Generators.EngineGenerator()) : null,
        }.WriteTo(_temp.Combine("build"), "mismatch");
        var path = NupkgBuilder.FromPluginFolder(folder, "Acme.Mismatch", "1.0.0").WriteTo(Feed);

        var result = Install(path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Error: Package Acme.Mismatch 1.0.0 did not pass validation, so nothing was installed:\n- engine_id 'in_manifest' does not match engine class id 'in_class'\n"
            + "Fix the engine and pack it again; 'compact-memory dev validate-engine-package' checks a package before you share it.\n",
            result.Error);
        AssertNothingInstalled();
    }

    [Theory]
    [InlineData("../evil.txt", "has a '..' component, which would point outside the package folder")]
    [InlineData("lib/net10.0/../../../evil.txt", "has a '..' component, which would point outside the package folder")]
    [InlineData("..\\evil.txt", "has a '..' component, which would point outside the package folder")]
    [InlineData("%2e%2e/evil.txt", "has a '..' component, which would point outside the package folder")]
    [InlineData("/tmp/evil.txt", "is an absolute path")]
    [InlineData("\\evil.txt", "is an absolute path")]
    [InlineData("C:/evil.txt", "names a drive (an absolute path)")]
    [InlineData("lib//evil.txt", "has an empty path component")]
    [InlineData("lib/./evil.txt", "has a '.' component, which would point outside the package folder")]
    public void Entries_that_escape_the_engine_folder_refuse_the_whole_package(string entry, string problem)
    {
        var path = NupkgBuilder.Engine(_temp.Path, "Acme.Slip", "1.0.0", "slip").With(entry, "owned").WriteTo(Feed);

        var result = Install(path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: Package '{path}' is unsafe: its entry '{entry}' {problem}. Nothing was installed; do not use this package, or ask its author for one made by 'dotnet pack'.\n", result.Error);
        AssertNothingInstalled();
        Assert.Empty(Directory.GetFiles(_temp.Path, "evil.txt", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "evil.txt")));
    }

    [Fact]
    public void A_symbolic_link_entry_refuses_the_whole_package()
    {
        var builder = NupkgBuilder.Engine(_temp.Path, "Acme.Link", "1.0.0", "link");
        var path = Path.Combine(Feed, "Acme.Link.1.0.0.nupkg");
        NupkgBuilder.WriteZip(path, [
            ("Acme.Link.nuspec", Encoding.UTF8.GetBytes(builder.Nuspec()), null),
            .. builder.Files.Select(f => (f.Key, f.Value, (int?)null)),
            ("lib/net10.0/passwd.dll", Encoding.UTF8.GetBytes("/etc/passwd"), 0xA1FF)]);

        var result = Install(path);

        Assert.Equal($"Error: Package '{path}' is unsafe: its entry 'lib/net10.0/passwd.dll' is a symbolic link. Nothing was installed; do not use this package, or ask its author for one made by 'dotnet pack'.\n", result.Error);
        AssertNothingInstalled();
    }

    [Fact]
    public void A_package_without_a_framework_the_cli_can_load_is_refused()
    {
        var folder = new PluginPackageBuilder { EngineId = "old_framework" }.WriteTo(_temp.Combine("build"), "old_framework");
        var path = NupkgBuilder.FromPluginFolder(folder, "Acme.Old", "1.0.0", framework: "net48").WriteTo(Feed);

        var result = Install(path);

        Assert.Equal("Error: Package Acme.Old 1.0.0 has no lib/ folder compact-memory can load: it runs on net10.0 and the package has lib/net48. Build the engine for net10.0 (<TargetFramework>net10.0</TargetFramework>) and pack it again.\n", result.Error);
        AssertNothingInstalled();
    }

    [Fact]
    public void An_unknown_id_or_version_names_the_feed_and_what_it_has()
    {
        NupkgBuilder.Engine(_temp.Path, "Acme.Known", "1.0.0", "known").WriteTo(Feed);

        var unknownId = _cli.Run("dev", "install-engine", "Acme.Unknown", "--source", Feed, "--path", Plugins);
        var unknownVersion = _cli.Run("dev", "install-engine", "Acme.Known", "--version", "9.9.9", "--source", Feed, "--path", Plugins);
        var badVersion = _cli.Run("dev", "install-engine", "Acme.Known", "--version", "latest", "--source", Feed, "--path", Plugins);

        Assert.Equal($"Error: Package Acme.Unknown was not found on '{Feed}'. Check the id, or add the feed that has it with --source or in nuget.config.\n", unknownId.Error);
        Assert.Equal($"Error: Package Acme.Known 9.9.9 was not found on '{Feed}'. Versions there: 1.0.0. Pick one of those with --version.\n", unknownVersion.Error);
        Assert.Equal("Error: --version 'latest' is not a package version; give one such as 1.2.0 or 1.2.0-beta.1.\n", badVersion.Error);
        AssertNothingInstalled();
    }

    [Fact]
    public void A_missing_dependency_names_the_package_that_needs_it()
    {
        var path = NupkgBuilder.Engine(_temp.Path, "Acme.Needy", "1.0.0", "needy").WithDependency("Acme.Gone", "1.0.0").WriteTo(Feed);

        var result = _cli.Run("dev", "install-engine", path, "--source", Feed, "--path", Plugins);

        Assert.Equal($"Error: Dependency Acme.Gone (>= 1.0.0) (for Acme.Needy 1.0.0) was not found: no feed has it (feeds: '{Feed}'). Add the feed that has it with --source or in nuget.config.\n", result.Error);
        AssertNothingInstalled();
    }

    [Fact]
    public void An_unreachable_feed_is_an_error_naming_it_not_a_hang()
    {
        var closed = ClosedPort();
        var feed = $"http://127.0.0.1:{closed}/v3/index.json";
        var watch = Stopwatch.StartNew();

        var result = _cli.RunWithin(TimeSpan.FromSeconds(60), "dev", "install-engine", "Acme.Anything", "--source", feed, "--path", Plugins, "--timeout", "20");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: Cannot look up package Acme.Anything: no feed answered. '{feed}': Unable to load the service index for source {feed}: ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith(". Check the feed's address and your network, or give another feed with --source (a URL or a folder of .nupkg files). Nothing was installed.\n", result.Error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "liveness only");
        AssertNothingInstalled();
    }

    [Fact]
    public void A_feed_that_never_answers_times_out()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var feed = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/v3/index.json";

        var result = _cli.RunWithin(TimeSpan.FromSeconds(60), "dev", "install-engine", "Acme.Anything", "--source", feed, "--path", Plugins, "--timeout", "2");

        Assert.Equal($"Error: Cannot look up package Acme.Anything: no feed answered. '{feed}': it did not answer within 2 s. Check the feed's address and your network, or give another feed with --source (a URL or a folder of .nupkg files). Nothing was installed.\n", result.Error);
        AssertNothingInstalled();
    }

    [Fact]
    public void A_plugin_directory_that_is_not_writable_is_an_error_with_the_fix()
    {
        var path = NupkgBuilder.Engine(_temp.Path, "Acme.Blocked", "1.0.0", "blocked").WriteTo(Feed);
        var blocked = ReadOnlyDirectory();

        var result = _cli.Run("dev", "install-engine", path, "--path", blocked);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: Cannot install Acme.Blocked 1.0.0: the plugin directory '{blocked}' is not writable (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("). Choose a writable directory with --path, or fix its permissions. Nothing was changed.\n", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(blocked, "blocked")));
    }

    [Fact]
    public void An_install_interrupted_before_the_rename_leaves_the_previous_engine_and_no_staging_folder()
    {
        NupkgBuilder.Engine(_temp.Path, "Acme.Crash", "1.0.0", "crashy", "old:").WriteTo(Feed);
        NupkgBuilder.Engine(_temp.Path, "Acme.Crash", "2.0.0", "crashy", "new:").WriteTo(Feed);
        Assert.Equal(0, _cli.Run("dev", "install-engine", "Acme.Crash", "--version", "1.0.0", "--source", Feed, "--path", Plugins).ExitCode);
        var plugins = Plugins + Path.DirectorySeparatorChar;
        PluginFolder.BeforeCommit = staging =>
        {
            if (staging.StartsWith(plugins, StringComparison.Ordinal))
            {
                Assert.True(File.Exists(Path.Combine(staging, "engine_package.yaml")));
                throw new IOException("simulated failure between staging and rename");
            }
        };
        try
        {
            var result = _cli.Run("dev", "install-engine", "Acme.Crash", "--source", Feed, "--path", Plugins);

            Assert.Equal(1, result.ExitCode);
            Assert.Equal("Error: Cannot install 'Acme.Crash': simulated failure between staging and rename. Nothing was installed.\n", result.Error);
        }
        finally
        {
            PluginFolder.BeforeCommit = null;
        }

        Assert.Equal(["crashy"], Directory.GetDirectories(Plugins).Select(Path.GetFileName));
        Assert.Equal("1.0.0", InstallRecord.TryRead(Path.Combine(Plugins, "crashy"), out _)!.PackageVersion);
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = Plugins;
        Assert.StartsWith("old:", _cli.Run("compress", "--engine", "crashy", "--text", "x", "--budget", "5", "--quiet").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Leftovers_of_a_killed_install_are_ignored_by_the_registry_and_cleaned_up_by_the_next_install()
    {
        Directory.CreateDirectory(Plugins);
        var staging = Directory.CreateDirectory(Path.Combine(Plugins, PluginFolder.StagingPrefix + "0123456789abcdef0123456789abcdef")).FullName;
        File.WriteAllText(Path.Combine(staging, "engine_package.yaml"), "engine_id: half\n");
        var aside = Path.Combine(Plugins, PluginFolder.AsidePrefix + "0123456789abcdef0123456789abcdef-survivor");
        new PluginPackageBuilder { EngineId = "survivor" }.WriteTo(Plugins, Path.GetFileName(aside));
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = Plugins;

        var listed = _cli.Run("dev", "list-engines");
        Assert.DoesNotContain("half", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed", listed.Output, StringComparison.Ordinal);

        var path = NupkgBuilder.Engine(_temp.Path, "Acme.Next", "1.0.0", "next").WriteTo(Feed);
        Assert.Equal(0, _cli.Run("dev", "install-engine", path, "--path", Plugins).ExitCode);

        Assert.Equal(["next", "survivor"], Directory.GetDirectories(Plugins).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_install_killed_at_any_moment_leaves_the_old_engine_or_the_new_one_never_half()
    {
        NupkgBuilder.Engine(_temp.Path, "Acme.Killed", "1.0.0", "killed", "one:").WriteTo(Feed);
        var second = NupkgBuilder.Engine(_temp.Path, "Acme.Killed", "2.0.0", "killed", "two:").WriteTo(_temp.Combine("v2"));
        Assert.Equal(0, _cli.Run("dev", "install-engine", "Acme.Killed", "--source", Feed, "--path", Plugins).ExitCode);
        var target = Path.Combine(Plugins, "killed");

        foreach (var delay in new[] { 50, 150, 250, 350, 450, 550, 700, 900 })
        {
            KillAfter(delay, "dev", "install-engine", second, "--path", Plugins);

            var record = InstallRecord.TryRead(target, out _);
            Assert.NotNull(record);
            Assert.Contains(record.PackageVersion, new[] { "1.0.0", "2.0.0" });
            Assert.Equal(0, _cli.Run("dev", "validate-engine-package", target).ExitCode);
        }

        Assert.Equal(0, _cli.Run("dev", "install-engine", second, "--path", Plugins).ExitCode);
        Assert.Equal(["killed"], Directory.GetDirectories(Plugins).Select(Path.GetFileName));
    }

    private CliResult Install(string package) => _cli.Run("dev", "install-engine", package, "--path", Plugins);

    private void AssertNothingInstalled()
    {
        if (Directory.Exists(Plugins))
        {
            Assert.Empty(Directory.GetDirectories(Plugins));
        }
    }

    private void KillAfter(int milliseconds, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _cli.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(milliseconds))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A directory nothing can be created in: read-only by mode, or immutable when the tests run as root.</summary>
    private string ReadOnlyDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            // A directory cannot be created below a file.
            var file = _temp.Combine("a-file");
            File.WriteAllText(file, string.Empty);
            return Path.Combine(file, "plugins");
        }

        var directory = _temp.CreateDirectory("read-only");
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (!CanWrite(directory))
        {
            return directory;
        }

        // Root ignores the mode; an immutable directory stops root too.
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using (var chattr = Process.Start(new ProcessStartInfo("chattr", ["+i", directory]) { RedirectStandardError = true }))
        {
            chattr?.WaitForExit();
        }

        if (!CanWrite(directory))
        {
            _cleanup = () => Process.Start(new ProcessStartInfo("chattr", ["-i", directory]) { RedirectStandardError = true })?.WaitForExit();
            return directory;
        }

        // A path below /proc cannot be created by anyone.
        return "/proc/compact-memory-plugins";
    }

    private static bool CanWrite(string directory)
    {
        try
        {
            File.WriteAllText(Path.Combine(directory, "probe"), string.Empty);
            File.Delete(Path.Combine(directory, "probe"));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
