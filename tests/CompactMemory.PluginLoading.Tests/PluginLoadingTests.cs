using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.PluginLoading.Tests;

public sealed class PluginLoadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static EngineRegistry RegistryFor(params string[] pluginDirectories)
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        registry.AddPluginDirectories(PluginSearchPath.FromPaths(pluginDirectories));
        return registry;
    }

    [Fact]
    public void A_good_package_is_discovered_listed_and_runs_in_its_own_load_context()
    {
        var plugins = _temp.CreateDirectory("first");
        new PluginPackageBuilder { EngineId = "alpha", OutputPrefix = "alpha:" }.WriteTo(plugins, "alpha_pkg");

        var registry = RegistryFor(plugins);
        var registration = registry.Get("alpha");
        var engine = registry.CreateCompressionEngine("alpha");
        var (memory, trace) = engine.Compress("one two three four", 2);

        Assert.Equal("local (first)", registration.Source.Label);
        Assert.Equal("2.1.0", registration.Version);
        Assert.Equal("Test alpha", registration.DisplayName);
        Assert.Equal("alpha:one two", memory.Text);
        Assert.Equal("alpha", trace!.EngineName);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(engine.GetType().Assembly));
        Assert.Contains(registry.List(), row => row.Id == "alpha" && row.Status == EngineStatus.Active);
    }

    [Fact]
    public void Two_packages_with_one_id_resolve_to_the_earlier_directory_and_the_loser_is_shadowed()
    {
        var first = _temp.CreateDirectory("first");
        var second = _temp.CreateDirectory("second");
        new PluginPackageBuilder { EngineId = "dup", OutputPrefix = "from-first:" }.WriteTo(first, "dup");
        new PluginPackageBuilder { EngineId = "dup", OutputPrefix = "from-second:" }.WriteTo(second, "dup");

        var registry = RegistryFor(first, second);
        var rows = registry.List().Where(row => row.Id == "dup").ToList();

        Assert.StartsWith("from-first:", registry.CreateCompressionEngine("dup").Compress("x", 5).Text, StringComparison.Ordinal);
        Assert.Equal(2, rows.Count);
        Assert.Equal(EngineStatus.Active, rows[0].Status);
        Assert.Equal("local (first)", rows[0].Source.Label);
        Assert.Equal("Overrides 'local (second)'", rows[0].StatusText);
        Assert.Equal(EngineStatus.Shadowed, rows[1].Status);
        Assert.Equal("Shadowed by 'local (first)'", rows[1].StatusText);
    }

    [Fact]
    public void Within_one_directory_packages_are_searched_in_ordinal_folder_order()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "same", OutputPrefix = "b:" }.WriteTo(plugins, "b_pkg");
        new PluginPackageBuilder { EngineId = "same", OutputPrefix = "a:" }.WriteTo(plugins, "a_pkg");

        var registry = RegistryFor(plugins);

        Assert.StartsWith("a:", registry.CreateCompressionEngine("same").Compress("x", 5).Text, StringComparison.Ordinal);
        Assert.Equal(EngineStatus.Shadowed, registry.List().Single(r => r.Id == "same" && r.PackagePath!.EndsWith("b_pkg", StringComparison.Ordinal)).Status);
    }

    [Fact]
    public void A_plugin_cannot_replace_a_built_in_unless_it_declares_the_override()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "first_last", ClassName = "Impostor", OutputPrefix = "impostor:" }.WriteTo(plugins, "impostor");

        var registry = RegistryFor(plugins);

        Assert.Equal(EngineSource.BuiltIn, registry.Get("first_last").Source);
        Assert.Contains(registry.List(), row => row.Id == "first_last" && row.Status == EngineStatus.Shadowed && row.StatusText == "Shadowed by 'built-in'");
    }

    [Fact]
    public void A_plugin_that_declares_overrides_builtin_wins_over_the_built_in()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "first_last", ClassName = "Replacement", OutputPrefix = "mine:", ExtraManifest = "overrides_builtin: true" }.WriteTo(plugins, "replacement");

        var registry = RegistryFor(plugins);
        var rows = registry.List().Where(row => row.Id == "first_last").ToList();

        Assert.Equal("local (plugins)", registry.Get("first_last").Source.Label);
        Assert.StartsWith("mine:", registry.CreateCompressionEngine("first_last").Compress("a b c", 2).Text, StringComparison.Ordinal);
        Assert.Equal("Overrides 'built-in'", rows[0].StatusText);
        Assert.Equal("Shadowed by 'local (plugins)'", rows[1].StatusText);
    }

    [Fact]
    public void A_broken_package_is_listed_with_its_error_and_the_good_one_beside_it_still_works()
    {
        var plugins = _temp.CreateDirectory("plugins");
        var broken = _temp.CreateDirectory("plugins", "broken");
        File.WriteAllText(Path.Combine(broken, "engine_package.yaml"), "engine_id: [unclosed\n");
        new PluginPackageBuilder { EngineId = "good" }.WriteTo(plugins, "good");

        var registry = RegistryFor(plugins);
        var failure = Assert.Single(registry.Failures);

        Assert.Equal("compressed:x", registry.CreateCompressionEngine("good").Compress("x", 3).Text);
        Assert.Equal("broken", failure.Id);
        Assert.Equal(EngineStatus.Failed, failure.Status);
        Assert.StartsWith("Invalid engine_package.yaml:", failure.Errors[0], StringComparison.Ordinal);
        Assert.Contains(registry.List(), row => row.Status == EngineStatus.Failed && row.StatusText.StartsWith("Failed: Invalid engine_package.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_class_whose_declared_id_differs_from_the_manifest_is_refused_with_both_ids_named()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "manifest_id", ClassId = "class_id" }.WriteTo(plugins, "mismatch");

        var registry = RegistryFor(plugins);

        Assert.False(registry.TryGet("manifest_id", out _));
        Assert.False(registry.TryGet("class_id", out _));
        var failure = Assert.Single(registry.Failures);
        Assert.Equal("manifest_id", failure.Id);
        Assert.Equal(["engine_id 'manifest_id' does not match engine class id 'class_id'"], failure.Errors);
    }

    [Fact]
    public void A_missing_assembly_names_the_file_expected()
    {
        var package = new PluginPackageBuilder { EngineId = "lost" }.WriteTo(_temp.Path, "lost");
        foreach (var dll in Directory.GetFiles(package, "*.dll"))
        {
            File.Delete(dll);
        }

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Single(inspection.Errors);
        Assert.Matches("^TestPlugin.*\\.dll not found in the package folder", inspection.Errors[0]);
    }

    [Fact]
    public void A_class_that_is_not_in_the_assembly_is_reported_with_a_namespace_hint()
    {
        var package = new PluginPackageBuilder { EngineId = "nope" }.WriteTo(_temp.Path, "nope");
        var manifestPath = Path.Combine(package, "engine_package.yaml");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("TestPlugins.SampleEngine", "SampleEngine", StringComparison.Ordinal));

        var inspection = EnginePackageLoader.Validate(package);

        var error = Assert.Single(inspection.Errors);
        Assert.StartsWith("Class SampleEngine not found in TestPlugin", error, StringComparison.Ordinal);
        Assert.EndsWith("engine_class_name must include the namespace, for example 'MyCompany.Engines.SampleEngine'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_that_is_not_an_engine_is_refused()
    {
        var package = new PluginPackageBuilder
        {
            EngineId = "plain",
            ClassName = "NotAnEngine",
            Source = "namespace TestPlugins; public sealed class NotAnEngine { }",
        }.WriteTo(_temp.Path, "plain");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Equal(["TestPlugins.NotAnEngine is not a CompressionEngine; derive it from CompactMemory.Compression.CompressionEngine or CompactMemory.Context.ContextEngine"], inspection.Errors);
    }

    [Fact]
    public void An_engine_without_the_attribute_is_told_which_attribute_to_add()
    {
        var package = new PluginPackageBuilder
        {
            EngineId = "bare",
            ClassName = "Bare",
            Source = """
                using CompactMemory.Compression;
                namespace TestPlugins;
                public sealed class Bare : CompressionEngine
                {
                    public override string Id => "bare";
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
                }
                """,
        }.WriteTo(_temp.Path, "bare");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Equal(["TestPlugins.Bare has no [CompressionEngine] attribute; add [CompressionEngine(\"bare\")]"], inspection.Errors);
    }

    [Fact]
    public void An_abstract_engine_class_is_refused()
    {
        var package = new PluginPackageBuilder
        {
            EngineId = "abstract_one",
            ClassName = "AbstractEngine",
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("abstract_one")]
                public abstract class AbstractEngine : CompressionEngine { }
                """,
        }.WriteTo(_temp.Path, "abstract");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Equal(["TestPlugins.AbstractEngine is abstract; the engine class must be a concrete, non-generic class"], inspection.Errors);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_reported_as_such()
    {
        var package = new PluginPackageBuilder { EngineId = "garbage" }.WriteTo(_temp.Path, "garbage");
        foreach (var dll in Directory.GetFiles(package, "*.dll"))
        {
            File.WriteAllBytes(dll, [0x4D, 0x5A, 1, 2, 3, 4, 5, 6, 7, 8]);
        }

        var inspection = EnginePackageLoader.Validate(package);

        var error = Assert.Single(inspection.Errors);
        Assert.EndsWith(".dll is not a .NET assembly; engine_module must name the engine's compiled assembly", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_module_that_points_outside_the_package_is_refused_before_anything_is_loaded()
    {
        var package = new PluginPackageBuilder
        {
            Manifest = """
                package_format_version: "1.0"
                engine_id: escape
                engine_class_name: TestPlugins.SampleEngine
                engine_module: ../../outside
                display_name: Escape
                version: "1.0"
                authors: ["x"]
                description: "tries to load from outside"
                """,
        }.WriteTo(_temp.Path, "escape");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Equal(["engine_module '../../outside' must name an assembly inside the package folder, not a path; remove the directory part (line 4)"], inspection.Errors);
    }

    [Fact]
    public void A_package_resolves_its_own_dependencies_from_its_folder()
    {
        var libraries = _temp.CreateDirectory("libs");
        var helper = PluginPackageBuilder.CompileLibrary(libraries, "TestPluginHelper_" + Guid.NewGuid().ToString("N")[..6], """
            namespace Helpers;
            public static class Shout { public static string Loud(string text) => text.ToUpperInvariant(); }
            """);
        var package = new PluginPackageBuilder
        {
            EngineId = "loud",
            ClassName = "Loud",
            Dependencies = [helper],
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("loud")]
                public sealed class Loud : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
                        => new(Helpers.Shout.Loud(TokenizerOf(options).Truncate(text, budget)));
                }
                """,
        }.WriteTo(_temp.CreateDirectory("plugins"), "loud");
        File.Delete(helper); // only the copy inside the package remains

        var registry = RegistryFor(Path.GetDirectoryName(package)!);

        Assert.Equal("HELLO THERE", registry.CreateCompressionEngine("loud").Compress("hello there friend", 2).Text);
    }

    [Fact]
    public void A_context_engine_package_registers_as_a_context_engine()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "keep_all",
            ClassName = "KeepAll",
            Source = """
                using System.Collections.Generic;
                using System.Threading;
                using System.Threading.Tasks;
                using CompactMemory;
                using CompactMemory.Context;
                using Microsoft.Extensions.AI;
                namespace TestPlugins;
                [CompressionEngine("keep_all")]
                public sealed class KeepAll : ContextEngine
                {
                    public override string Name => "keep_all";
                    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                        => Task.FromResult(messages);
                }
                """,
        }.WriteTo(plugins, "keep_all");

        var registry = RegistryFor(plugins);
        var engine = registry.CreateContextEngine("keep_all");

        Assert.Equal(EngineKind.Context, registry.Get("keep_all").Kind);
        Assert.Equal("keep_all", engine.Name);
        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("keep_all"));
        Assert.Contains("is a context engine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_whose_constructor_throws_fails_at_creation_with_the_engine_named()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "ctor_boom",
            ClassName = "CtorBoom",
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("ctor_boom")]
                public sealed class CtorBoom : CompressionEngine
                {
                    public CtorBoom() { throw new System.InvalidOperationException("no model file"); }
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
                }
                """,
        }.WriteTo(plugins, "ctor_boom");

        var registry = RegistryFor(plugins);

        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("ctor_boom"));
        Assert.Equal("Engine 'ctor_boom' (local (plugins)) could not be created: InvalidOperationException: no model file", error.Message);
        Assert.Equal(["ctor_boom", "first_last", "none", "pipeline", "stopword_pruner"], registry.Ids);
    }

    [Fact]
    public void Validation_warns_about_a_missing_readme_and_accepts_an_otherwise_valid_package()
    {
        var package = new PluginPackageBuilder { EngineId = "no_readme", WithReadme = false }.WriteTo(_temp.Path, "no_readme");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Empty(inspection.Errors);
        Assert.Equal(["README.md not found"], inspection.Warnings);
        Assert.True(inspection.IsValid);
    }

    [Fact]
    public void Folders_without_a_manifest_are_reported_and_hidden_folders_are_ignored()
    {
        var plugins = _temp.CreateDirectory("plugins");
        _temp.CreateDirectory("plugins", "stray");
        _temp.CreateDirectory("plugins", ".git");

        var registry = RegistryFor(plugins);

        var failure = Assert.Single(registry.Failures);
        Assert.Equal("stray", failure.Id);
        Assert.Equal(["engine_package.yaml not found"], failure.Errors);
    }

    [Fact]
    public void Plugin_directories_are_searched_only_on_first_use()
    {
        var plugins = _temp.CreateDirectory("plugins");
        var registry = RegistryFor(plugins);
        new PluginPackageBuilder { EngineId = "late" }.WriteTo(plugins, "late");

        Assert.True(registry.TryGet("late", out _));
    }
}
