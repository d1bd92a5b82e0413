using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using CompactMemory.Cli.Packages;
using CompactMemory.Testing;
using CsCheck;
using Xunit;

namespace CompactMemory.Cli.Tests.Packages;

/// <summary>Generated zip entry names never escape the engine folder and never crash the install.</summary>
public sealed class PackageEntryPropertyTests : IDisposable
{
    private static readonly Gen<string> Token = Gen.OneOf<string>(
        "..", ".", "/", "//", "\\", "%2e", "%2E%2e", "%2f", "%5c", "%", "%zz", "lib", "net10.0", "a", "b.dll", "engine_package.yaml",
        "README.md", "experiments", ":", "C:", " ", "\0", "\t", "~", "ü", "🌍", "\ud800", "*", "?", "_._", "con", "a.", "x ");

    private static readonly Gen<string> EntryName = Token.Array[0, 8].Select(parts => string.Concat(parts));

    /// <summary>Zip archives cannot store an empty entry name.</summary>
    private static readonly Gen<string> StorableEntryName = Token.Array[1, 8].Select(parts => string.Concat(parts));

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_accepted_entry_name_always_stays_inside_the_target_and_no_name_throws()
    {
        var root = _temp.CreateDirectory("root");
        Property.ForAll(
            EntryName,
            name =>
            {
                if (!ZipEntryNames.TrySplit(name, out var components, out var problem))
                {
                    Assert.False(string.IsNullOrEmpty(problem));
                    return;
                }

                Assert.DoesNotContain(components.SkipLast(1), c => c.Length == 0 || c is "." or "..");
                var full = Path.GetFullPath(Path.Combine(root, string.Join(Path.DirectorySeparatorChar, components)));
                Assert.True(ZipEntryNames.IsInside(root, full), $"'{name}' resolves to {full}");
            },
            cases: 5000,
            seed: 20261203);
    }

    [Fact]
    public void Installing_packages_with_generated_entries_writes_only_inside_the_engine_folder()
    {
        // Deep enough that eight '..' components cannot leave the sandbox, so any escape would be seen in it.
        var sandbox = _temp.CreateDirectory("sandbox");
        var plugins = Directory.CreateDirectory(Path.Combine(sandbox, "1", "2", "3", "4", "5", "6", "7", "8", "9", "plugins")).FullName;
        var packages = _temp.CreateDirectory("packages");
        var engine = NupkgBuilder.Engine(_temp.Path, "Acme.Fuzz", "1.0.0", "fuzz");
        using var cli = new Cli();
        var count = 0;
        var installed = 0;
        Property.ForAll(
            Gen.Select(StorableEntryName, StorableEntryName),
            (first, second) =>
            {
                var path = Path.Combine(packages, "case" + count++ + ".nupkg");
                NupkgBuilder.WriteZip(path, [
                    ("Acme.Fuzz.nuspec", Encoding.UTF8.GetBytes(engine.Nuspec()), null),
                    .. engine.Files.Select(f => (f.Key, f.Value, (int?)null)),
                    (first, Encoding.UTF8.GetBytes("first"), null),
                    (second, Encoding.UTF8.GetBytes("second"), null)]);

                var result = cli.Run("dev", "install-engine", path, "--path", plugins, "--force");

                Assert.True(result.ExitCode is 0 or 1, result.Error);
                installed += result.ExitCode == 0 ? 1 : 0;
                Assert.DoesNotContain("unexpected", result.Error, StringComparison.OrdinalIgnoreCase);
                var written = Directory.GetFiles(sandbox, "*", SearchOption.AllDirectories)
                    .Where(file => !file.StartsWith(Path.Combine(plugins, "fuzz") + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                        && Path.GetFileName(file) != PluginFolder.LockFile);
                Assert.Empty(written);
                Assert.DoesNotContain(Directory.GetDirectories(plugins), d => Path.GetFileName(d).StartsWith('.'));
            },
            cases: 60,
            seed: 42);

        // The generator also makes harmless names, so both outcomes are exercised.
        Assert.InRange(installed, 1, count - 1);
    }

    [Fact]
    public void The_packages_not_installed_are_the_ones_the_plugin_loader_shares_with_the_host()
    {
        var loader = typeof(CompactMemory.Plugins.EnginePackageLoader).Assembly.GetType("CompactMemory.Plugins.PluginLoadContext", throwOnError: true)!;
        var shared = (System.Collections.Generic.IReadOnlySet<string>)loader.GetField("SharedAssemblies", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;

        Assert.Equal(shared.Order(StringComparer.Ordinal), HostContracts.SharedPackageIds.Order(StringComparer.Ordinal));
    }
}
