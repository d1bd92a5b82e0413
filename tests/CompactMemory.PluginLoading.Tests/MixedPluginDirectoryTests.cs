using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using CompactMemory.Testing;
using CsCheck;
using Xunit;

namespace CompactMemory.PluginLoading.Tests;

/// <summary>
/// Generated plugin directories mixing good and broken packages, in random folder order: every good package is
/// registered (the ordinal-first folder of an id wins, the rest are shadowed), every broken one is listed with its
/// error, and discovery never throws.
/// </summary>
public sealed class MixedPluginDirectoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A package compiled once and copied into every generated directory that uses it.</summary>
    private sealed record Template(string Name, string Folder, string? EngineId, string? ErrorStart);

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private List<Template> Templates()
    {
        var root = _temp.CreateDirectory("templates");
        var templates = new List<Template>();
        foreach (var id in new[] { "alpha", "beta" })
        {
            templates.Add(new(id, new PluginPackageBuilder { EngineId = id, OutputPrefix = id + ":" }.WriteTo(root, id), id, null));
        }

        var grumpy = new PluginPackageBuilder
        {
            EngineId = "grumpy",
            ClassName = "Grumpy",
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("grumpy")]
                public sealed class Grumpy : CompressionEngine
                {
                    public Grumpy() { throw new System.InvalidOperationException("never happy"); }
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
                }
                """,
        }.WriteTo(root, "grumpy");
        templates.Add(new("grumpy", grumpy, "grumpy", null));

        var mismatch = new PluginPackageBuilder { EngineId = "said", ClassId = "meant" }.WriteTo(root, "mismatch");
        templates.Add(new("mismatch", mismatch, null, "engine_id 'said' does not match engine class id 'meant'"));

        var badYaml = Directory.CreateDirectory(Path.Combine(root, "bad_yaml")).FullName;
        File.WriteAllText(Path.Combine(badYaml, "engine_package.yaml"), "engine_id: [unclosed\n");
        templates.Add(new("bad_yaml", badYaml, null, "Invalid engine_package.yaml"));

        templates.Add(new("empty", Directory.CreateDirectory(Path.Combine(root, "empty")).FullName, null, "engine_package.yaml not found"));

        var noDll = new PluginPackageBuilder { EngineId = "no_dll" }.WriteTo(root, "no_dll");
        foreach (var dll in Directory.GetFiles(noDll, "*.dll"))
        {
            File.Delete(dll);
        }

        templates.Add(new("no_dll", noDll, null, "TestPlugin"));

        var baseName = "TestPluginBase_" + Guid.NewGuid().ToString("N")[..6];
        var library = PluginPackageBuilder.CompileLibrary(_temp.CreateDirectory("libs"), baseName, """
            namespace Bases;
            public abstract class Base : CompactMemory.Compression.CompressionEngine
            {
                public override CompactMemory.Compression.CompressedMemory Compress(string text, int budget, CompactMemory.Compression.CompressionOptions? options = null) => new(text);
            }
            """);
        var orphan = new PluginPackageBuilder
        {
            EngineId = "orphan",
            ClassName = "Orphan",
            Dependencies = [library],
            Source = """
                using CompactMemory;
                namespace TestPlugins;
                [CompressionEngine("orphan")]
                public sealed class Orphan : Bases.Base { }
                """,
        }.WriteTo(root, "orphan");
        File.Delete(Path.Combine(orphan, baseName + ".dll"));
        templates.Add(new("orphan", orphan, null, "Class TestPlugins.Orphan could not be loaded from TestPlugin"));
        return templates;
    }

    [Fact]
    public void Random_directories_of_good_and_broken_packages_register_every_good_one_and_list_every_broken_one()
    {
        var templates = Templates();
        var packages = Gen.Select(Gen.Int[0, templates.Count - 1], Gen.Int[0, 999]).Array[0, 7];
        var run = 0;

        packages.Sample(
            picks =>
            {
                var plugins = _temp.CreateDirectory("run" + run++);
                var placed = picks
                    .Select((pick, index) => (Template: templates[pick.Item1], Folder: Path.Combine(plugins, pick.Item2.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "_" + index)))
                    .ToList();
                foreach (var (template, folder) in placed)
                {
                    Copy(template.Folder, folder);
                }

                var registry = new EngineRegistry();
                registry.RegisterBuiltIns();
                registry.AddPluginDirectories(PluginSearchPath.FromPaths([plugins]));

                var ordered = placed.OrderBy(p => p.Folder, StringComparer.Ordinal).ToList();
                foreach (var group in ordered.Where(p => p.Template.EngineId is not null).GroupBy(p => p.Template.EngineId!))
                {
                    var winner = registry.Get(group.Key);
                    Assert.Equal(group.First().Folder, winner.Source.Location);
                    Assert.Equal(group.Count() - 1, registry.List().Count(row => row.Id == group.Key && row.Status == EngineStatus.Shadowed));
                    if (group.Key == "grumpy")
                    {
                        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("grumpy"));
                        Assert.Equal("Engine 'grumpy' (local (" + Path.GetFileName(plugins) + ")) could not be created: InvalidOperationException: never happy", error.Message);
                    }
                    else
                    {
                        Assert.Equal(group.Key + ":x", registry.CreateCompressionEngine(group.Key).Compress("x", 3).Text);
                    }
                }

                var broken = ordered.Where(p => p.Template.ErrorStart is not null).ToList();
                Assert.Equal(broken.Select(p => p.Folder).ToArray(), registry.Failures.Select(f => f.PackagePath).ToArray());
                foreach (var ((template, _), failure) in broken.Zip(registry.Failures))
                {
                    Assert.StartsWith(template.ErrorStart!, failure.Errors[0], StringComparison.Ordinal);
                }
            },
            seed: "0N0XIzNsQ0O2",
            iter: 25,
            threads: 1);
    }
}
