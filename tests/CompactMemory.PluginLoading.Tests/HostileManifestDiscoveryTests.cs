using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using CompactMemory.Manifest;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.PluginLoading.Tests;

/// <summary>
/// Plugin folders whose <c>engine_package.yaml</c> is hostile: a FIFO (opening it for reading waits for a writer),
/// a symbolic link to <c>/dev/zero</c> (endless), an alias bomb, a file that amplifies problem messages, a flood of
/// problems, an oversized file that reports its size and a sparse one, bytes that are not UTF-8, a directory, a
/// symbolic-link loop, a socket. Discovery must finish promptly, list each bad package with a clear error, and still load the
/// good package beside them. Every wait is bounded (30 s) so a regression fails instead of hanging. These tests need
/// Unix: they create a FIFO with mkfifo and link to /dev/zero.
/// </summary>
public sealed class HostileManifestDiscoveryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo did not start; these tests need Unix");
        Assert.True(process.WaitForExit(10_000), "mkfifo did not finish");
        Assert.Equal(0, process.ExitCode);
    }

    private string Package(string plugins, string name) => _temp.CreateDirectory(Path.GetFileName(plugins), name);

    private static string ManifestIn(string package) => Path.Combine(package, ManifestSchema.FileName);

    /// <summary>Runs <paramref name="work"/> on another thread and fails (rather than hangs) if it takes too long.</summary>
    private static T Promptly<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(Patience), "did not finish within " + Patience.TotalSeconds + " s: something blocked");
        return task.Result;
    }

    /// <summary>One long number used as an authors item thousands of times: every problem once quoted it whole.</summary>
    private static string ProblemAmplification()
    {
        var text = new StringBuilder("x: &a !!int ").Append('9', 500_000).Append("\nauthors: [*a");
        while (text.Length < ManifestSchema.MaxBytes - 16)
        {
            text.Append(",*a");
        }

        return text.Append("]\n").ToString();
    }

    private static string AliasBomb()
    {
        var text = new StringBuilder("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            text.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + (char)(level - 1), 9))).Append("]\n");
        }

        return text.ToString();
    }

    [Fact]
    public void Discovery_lists_every_hostile_manifest_promptly_and_still_loads_the_good_package()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "good" }.WriteTo(plugins, "good");
        MakeFifo(ManifestIn(Package(plugins, "fifo")));
        File.CreateSymbolicLink(ManifestIn(Package(plugins, "dev_zero")), "/dev/zero");
        File.WriteAllText(ManifestIn(Package(plugins, "alias_bomb")), AliasBomb());
        File.WriteAllText(ManifestIn(Package(plugins, "amplification")), ProblemAmplification());
        File.WriteAllText(ManifestIn(Package(plugins, "flood")), "authors: [" + string.Join(",", Enumerable.Repeat("1", 5_000)) + "]\n");
        File.WriteAllText(ManifestIn(Package(plugins, "oversized")), "description: \"" + new string('a', 2 * ManifestSchema.MaxBytes) + "\"\n");
        using (var sparse = File.Create(ManifestIn(Package(plugins, "sparse"))))
        {
            sparse.SetLength(8L * 1024 * 1024 * 1024);
        }

        File.WriteAllBytes(ManifestIn(Package(plugins, "not_utf8")), [.. Encoding.UTF8.GetBytes("engine_id: caf"), 0xE9, (byte)'\n']);
        Directory.CreateDirectory(ManifestIn(Package(plugins, "directory")));
        File.CreateSymbolicLink(ManifestIn(Package(plugins, "loop")), ManifestIn(Package(plugins, "loop")));

        var (registry, failures) = Promptly(() =>
        {
            var found = new EngineRegistry();
            found.RegisterBuiltIns();
            found.AddPluginDirectories(PluginSearchPath.FromPaths([plugins]));
            return (found, found.Failures.ToDictionary(failure => failure.Id, failure => failure.Errors, StringComparer.Ordinal));
        });

        Assert.Equal("compressed:x", registry.CreateCompressionEngine("good").Compress("x", 3).Text);
        Assert.Equal(
            ["alias_bomb", "amplification", "dev_zero", "directory", "fifo", "flood", "loop", "not_utf8", "oversized", "sparse"],
            failures.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.StartsWith("Cannot read engine_package.yaml: '" + ManifestIn(Path.Combine(plugins, "fifo")) + "' is a named pipe (FIFO), not a regular file", Assert.Single(failures["fifo"]), StringComparison.Ordinal);
        Assert.Contains("is a symbolic link to '/dev/zero', which is a device, not a regular file", Assert.Single(failures["dev_zero"]), StringComparison.Ordinal);
        Assert.StartsWith("Invalid engine_package.yaml: aliases expand to more than 10000 YAML nodes", Assert.Single(failures["alias_bomb"]), StringComparison.Ordinal);
        Assert.StartsWith("Invalid engine_package.yaml: aliases expand to more than 1,048,576 characters", Assert.Single(failures["amplification"]), StringComparison.Ordinal);
        Assert.Equal(ManifestSchema.MaxProblems, failures["flood"].Count);
        Assert.StartsWith("…and 4,908 more problems (4,908 errors, 0 warnings)", failures["flood"][^1], StringComparison.Ordinal);
        Assert.Contains("a manifest may be at most 1,048,576 bytes", Assert.Single(failures["oversized"]), StringComparison.Ordinal);
        Assert.Equal("Invalid engine_package.yaml: the file is 8,589,934,592 bytes; a manifest may be at most 1,048,576 bytes", Assert.Single(failures["sparse"]));
        Assert.StartsWith("Invalid engine_package.yaml: the file is not UTF-8: byte 0xE9 at byte offset 14", Assert.Single(failures["not_utf8"]), StringComparison.Ordinal);

        // A directory or a looping link of the manifest's name is named as what it is, not "not found".
        Assert.Contains("is a directory, not a file", Assert.Single(failures["directory"]), StringComparison.Ordinal);
        Assert.Contains("is a symbolic link that loops", Assert.Single(failures["loop"]), StringComparison.Ordinal);
        Assert.All(failures.Values.SelectMany(errors => errors), error => Assert.True(error.Length < 600, error));
    }

    [Fact]
    public void An_assembly_deps_json_or_dependency_that_is_a_fifo_is_refused_before_it_is_opened()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "good" }.WriteTo(plugins, "good");
        var fifoAssembly = new PluginPackageBuilder { EngineId = "fifo_dll" }.WriteTo(plugins, "fifo_dll");
        var assembly = Directory.GetFiles(fifoAssembly, "*.dll").Single();
        File.Delete(assembly);
        MakeFifo(assembly);
        var fifoDeps = new PluginPackageBuilder { EngineId = "fifo_deps" }.WriteTo(plugins, "fifo_deps");
        MakeFifo(Path.ChangeExtension(Directory.GetFiles(fifoDeps, "*.dll").Single(), ".deps.json"));
        var devZeroDependency = new PluginPackageBuilder { EngineId = "zero_dependency" }.WriteTo(plugins, "zero_dependency");
        File.CreateSymbolicLink(Path.Combine(devZeroDependency, "Unused.Dependency.dll"), "/dev/zero");

        var (registry, failures) = Promptly(() =>
        {
            var found = new EngineRegistry();
            found.AddPluginDirectories(PluginSearchPath.FromPaths([plugins]));
            return (found, found.Failures.ToDictionary(failure => failure.Id, failure => failure.Errors, StringComparer.Ordinal));
        });

        Assert.Equal("compressed:x", registry.CreateCompressionEngine("good").Compress("x", 3).Text);
        Assert.Equal("compressed:x", registry.CreateCompressionEngine("zero_dependency").Compress("x", 3).Text);
        Assert.Equal(["fifo_deps", "fifo_dll"], failures.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(".dll is a named pipe (FIFO), not a regular file; it is not loaded", Assert.Single(failures["fifo_dll"]), StringComparison.Ordinal);
        Assert.Contains(".deps.json is a named pipe (FIFO), not a regular file; it is not read", Assert.Single(failures["fifo_deps"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validating_a_package_whose_manifest_is_a_fifo_returns_promptly_with_the_fix()
    {
        var package = _temp.CreateDirectory("fifo_package");
        MakeFifo(ManifestIn(package));

        var inspection = Promptly(() => EnginePackageLoader.Validate(package));

        Assert.Equal(
            ["Cannot read engine_package.yaml: '" + ManifestIn(package) + "' is a named pipe (FIFO), not a regular file; it is not opened because reading it can wait forever: replace it with the manifest file"],
            inspection.Errors);
    }

    [Fact]
    public void The_manifest_file_reader_refuses_what_is_not_a_regular_file_before_opening_it()
    {
        var fifo = _temp.Combine("fifo.yaml");
        MakeFifo(fifo);
        var zero = _temp.Combine("zero.yaml");
        File.CreateSymbolicLink(zero, "/dev/zero");
        var directory = _temp.CreateDirectory("directory.yaml");
        var loop = _temp.Combine("loop.yaml");
        File.CreateSymbolicLink(loop, loop);
        var dangling = _temp.Combine("dangling.yaml");
        File.CreateSymbolicLink(dangling, _temp.Combine("nowhere.yaml"));

        var messages = Promptly(() => new[] { fifo, zero, "/dev/zero", directory, loop, dangling, _temp.Combine("missing.yaml") }
            .Select(path => Assert.Single(ManifestFile.Read(path).Problems).Message)
            .ToArray());

        Assert.Equal(
            [
                "Cannot read engine_package.yaml: '" + fifo + "' is a named pipe (FIFO), not a regular file; it is not opened because reading it can wait forever: replace it with the manifest file",
                "Cannot read engine_package.yaml: '" + zero + "' is a symbolic link to '/dev/zero', which is a device, not a regular file; it is not read because a device such as /dev/zero never ends: replace it with the manifest file",
                "Cannot read engine_package.yaml: '/dev/zero' is a device, not a regular file; it is not read because a device such as /dev/zero never ends: replace it with the manifest file",
                "Cannot read engine_package.yaml: '" + directory + "' is a directory, not a file; the manifest must be a regular file: remove the directory and write the manifest in its place",
                "Cannot read engine_package.yaml: '" + loop + "' is a symbolic link that loops (or nests too deeply to follow); point it at the manifest or replace it with the file",
                "Cannot read engine_package.yaml: '" + dangling + "' is a symbolic link to '" + _temp.Combine("nowhere.yaml") + "', which does not exist; point it at the manifest or replace it with the file",
                "engine_package.yaml not found",
            ],
            messages);
    }

    [Fact]
    public void A_socket_named_like_a_manifest_is_refused()
    {
        var path = _temp.Combine("socket.yaml");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var message = Promptly(() => Assert.Single(ManifestFile.Read(path).Problems).Message);

        Assert.Equal("Cannot read engine_package.yaml: '" + path + "' is a socket, not a regular file; replace it with the manifest file", message);
    }

    [Fact]
    public void A_symbolic_link_to_a_regular_manifest_is_followed()
    {
        var outside = _temp.Combine("elsewhere.yaml");
        File.WriteAllText(outside, "package_format_version: \"1.0\"\nengine_id: linked\n");
        var link = _temp.Combine("engine_package.yaml");
        File.CreateSymbolicLink(link, outside);

        var result = ManifestFile.Read(link);

        Assert.Equal("linked", result.Manifest.EngineId);
        Assert.DoesNotContain(result.Problems, p => p.Kind == ManifestProblemKind.InvalidYaml);
    }

    [Fact]
    public void A_huge_sparse_file_is_refused_after_reading_at_most_the_cap()
    {
        var path = _temp.Combine("sparse.yaml");
        using (var sparse = File.Create(path))
        {
            sparse.SetLength(64L * 1024 * 1024 * 1024);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = ManifestFile.Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("Invalid engine_package.yaml: the file is 68,719,476,736 bytes; a manifest may be at most 1,048,576 bytes", Assert.Single(result.Problems).Message);
        Assert.True(allocated < 8L * 1024 * 1024, "allocated " + allocated + " bytes");
    }

    [Fact]
    public void A_manifest_with_a_byte_order_mark_and_crlf_line_ends_loads()
    {
        var plugins = _temp.CreateDirectory("plugins");
        var package = new PluginPackageBuilder { EngineId = "windows_saved" }.WriteTo(plugins, "windows_saved");
        var text = File.ReadAllText(ManifestIn(package)).ReplaceLineEndings("\r\n");
        File.WriteAllBytes(ManifestIn(package), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]);

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Empty(inspection.Errors);
        Assert.Equal("windows_saved", inspection.Manifest!.EngineId);
    }
}
