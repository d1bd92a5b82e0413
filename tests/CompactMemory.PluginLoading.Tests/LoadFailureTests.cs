using System;
using System.IO;
using System.Linq;
using CompactMemory.Generators;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using CompactMemory.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.PluginLoading.Tests;

/// <summary>
/// Packages that fail for a reason outside the manifest: a dependency left out of the folder, a static constructor
/// that throws, a constructor that always throws. Each error names the cause and the fix, never a wrapper's message.
/// </summary>
public sealed class LoadFailureTests : IDisposable
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

    /// <summary>Compiles a dependency with a version, builds an engine deriving from a class in it, then deletes the dependency.</summary>
    private string PackageMissingItsBaseClassDependency(string pluginDirectory, string engineId, bool generated, out string dependencyName)
    {
        dependencyName = "TestPluginBase_" + Guid.NewGuid().ToString("N")[..6];
        var library = PluginPackageBuilder.CompileLibrary(_temp.CreateDirectory("libs", engineId), dependencyName, """
            [assembly: System.Reflection.AssemblyVersion("1.2.3.0")]
            namespace Bases;
            public abstract class HeadBase : CompactMemory.Compression.CompressionEngine
            {
                public override CompactMemory.Compression.CompressedMemory Compress(string text, int budget, CompactMemory.Compression.CompressionOptions? options = null)
                    => new(TokenizerOf(options).Truncate(text, budget));
            }
            """);
        var package = new PluginPackageBuilder
        {
            EngineId = engineId,
            ClassName = "Derived",
            Dependencies = [library],
            Generator = generated ? new EngineGenerator().AsSourceGenerator() : null,
            Source = $$"""
                using CompactMemory;
                namespace TestPlugins;
                [CompressionEngine("{{engineId}}")]
                public sealed class Derived : Bases.HeadBase { }
                """,
        }.WriteTo(pluginDirectory, engineId);
        File.Delete(Path.Combine(package, dependencyName + ".dll"));
        File.Delete(library);
        return package;
    }

    [Fact]
    public void An_engine_whose_base_class_dependency_is_missing_names_the_dependency_its_version_and_the_folder()
    {
        var plugins = _temp.CreateDirectory("plugins");
        var package = PackageMissingItsBaseClassDependency(plugins, "orphan", generated: false, out var dependency);

        var inspection = EnginePackageLoader.Validate(package);

        var error = Assert.Single(inspection.Errors);
        Assert.Matches(
            $"^Class TestPlugins\\.Derived could not be loaded from TestPlugin\\w+: its dependency '{dependency}, Version=1\\.2\\.3\\.0' is missing from the package folder; "
            + $"copy {dependency}\\.dll into '{System.Text.RegularExpressions.Regex.Escape(package)}' \\(or publish the engine with its dependencies\\)$",
            error);
    }

    [Fact]
    public void A_generated_catalog_whose_engine_misses_a_dependency_names_the_dependency()
    {
        var plugins = _temp.CreateDirectory("plugins");
        var package = PackageMissingItsBaseClassDependency(plugins, "orphan_gen", generated: true, out var dependency);

        var inspection = EnginePackageLoader.Validate(package);

        var error = Assert.Single(inspection.Errors);
        Assert.Contains($"its dependency '{dependency}, Version=1.2.3.0' is missing from the package folder; copy {dependency}.dll into '{package}'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("type initializer", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_dependency_fails_only_its_own_package_during_discovery()
    {
        var plugins = _temp.CreateDirectory("plugins");
        PackageMissingItsBaseClassDependency(plugins, "orphan", generated: false, out var dependency);
        new PluginPackageBuilder { EngineId = "healthy" }.WriteTo(plugins, "healthy");

        var registry = RegistryFor(plugins);

        Assert.Equal("compressed:x", registry.CreateCompressionEngine("healthy").Compress("x", 3).Text);
        var failure = Assert.Single(registry.Failures);
        Assert.Equal("orphan", failure.Id);
        Assert.Contains($"its dependency '{dependency}, Version=1.2.3.0' is missing", Assert.Single(failure.Errors), StringComparison.Ordinal);
    }

    private static string Engine(string id, string className, string members) => $$"""
        using CompactMemory;
        using CompactMemory.Compression;
        namespace TestPlugins;
        [CompressionEngine("{{id}}")]
        public sealed class {{className}} : CompressionEngine
        {
        {{members}}
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
        }
        """;

    [Fact]
    public void A_throwing_static_constructor_is_shown_with_what_it_threw_at_validation_and_at_creation()
    {
        var plugins = _temp.CreateDirectory("plugins");
        var package = new PluginPackageBuilder
        {
            EngineId = "static_boom",
            ClassName = "StaticBoom",
            Source = Engine("static_boom", "StaticBoom", """
                static StaticBoom() { throw new System.InvalidOperationException("vocabulary file missing"); }
            """),
        }.WriteTo(plugins, "static_boom");

        var inspection = EnginePackageLoader.Validate(package);
        var registry = RegistryFor(plugins);
        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("static_boom"));

        Assert.Equal(
            ["Class TestPlugins.StaticBoom could not be created with its default configuration: the static constructor of 'TestPlugins.StaticBoom' threw InvalidOperationException: vocabulary file missing"],
            inspection.Errors);
        Assert.Equal(
            "Engine 'static_boom' (local (plugins)) could not be created: the static constructor of 'TestPlugins.StaticBoom' threw InvalidOperationException: vocabulary file missing",
            error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_constructor_that_always_throws_fails_validation_naming_the_class_and_the_cause(bool generated)
    {
        var package = new PluginPackageBuilder
        {
            EngineId = "ctor_boom",
            ClassName = "CtorBoom",
            Generator = generated ? new EngineGenerator().AsSourceGenerator() : null,
            Source = Engine("ctor_boom", "CtorBoom", """
                public CtorBoom() { throw new System.InvalidOperationException("no model file"); }
            """),
        }.WriteTo(_temp.Path, "ctor_boom");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.False(inspection.IsValid);
        Assert.Equal(["Class TestPlugins.CtorBoom could not be created with its default configuration: InvalidOperationException: no model file"], inspection.Errors);
    }

    [Fact]
    public void Validation_creates_the_engine_once_and_disposes_it()
    {
        var marker = _temp.Combine("disposed.txt");
        var package = new PluginPackageBuilder
        {
            EngineId = "disposable",
            ClassName = "Disposable",
            Source = $$"""
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("disposable")]
                public sealed class Disposable : CompressionEngine, System.IDisposable
                {
                    public void Dispose() => System.IO.File.AppendAllText(@"{{marker}}", "disposed");
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
                }
                """,
        }.WriteTo(_temp.Path, "disposable");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.True(inspection.IsValid, string.Join("; ", inspection.Errors));
        Assert.Equal("disposed", File.ReadAllText(marker));
    }

    [Fact]
    public void A_constructor_that_needs_a_missing_dependency_names_it_when_validated_and_when_created()
    {
        var plugins = _temp.CreateDirectory("plugins");
        var helperName = "TestPluginHelper_" + Guid.NewGuid().ToString("N")[..6];
        var helper = PluginPackageBuilder.CompileLibrary(_temp.CreateDirectory("libs"), helperName, """
            [assembly: System.Reflection.AssemblyVersion("4.5.6.0")]
            namespace Helpers;
            public static class Model { public static string Load() => "model"; }
            """);
        var package = new PluginPackageBuilder
        {
            EngineId = "needs_model",
            ClassName = "NeedsModel",
            Dependencies = [helper],
            Source = Engine("needs_model", "NeedsModel", """
                private readonly string _model;
                public NeedsModel() { _model = Helpers.Model.Load(); }
            """),
        }.WriteTo(plugins, "needs_model");
        File.Delete(Path.Combine(package, helperName + ".dll"));
        File.Delete(helper);

        var inspection = EnginePackageLoader.Validate(package);
        var error = Assert.Throws<EngineException>(() => RegistryFor(plugins).CreateCompressionEngine("needs_model"));

        var cause = $"its dependency '{helperName}, Version=4.5.6.0' is missing from the package folder; copy {helperName}.dll into '{package}' (or publish the engine with its dependencies)";
        Assert.Equal(["Class TestPlugins.NeedsModel could not be created with its default configuration: " + cause], inspection.Errors);
        Assert.Equal("Engine 'needs_model' (local (plugins)) could not be created: " + cause, error.Message);
    }

    [Fact]
    public void A_catalog_that_never_returns_fails_its_package_after_the_time_limit_and_the_others_still_load()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "healthy" }.WriteTo(plugins, "b_healthy");
        new PluginPackageBuilder
        {
            EngineId = "stuck",
            Source = """
                using System.Collections.Generic;
                using CompactMemory;
                using CompactMemory.Compression;
                [assembly: EngineCatalog(typeof(TestPlugins.StuckCatalog))]
                namespace TestPlugins;
                public sealed class StuckCatalog : EngineCatalog
                {
                    static StuckCatalog() { System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); }
                    public override IReadOnlyList<EngineDescriptor> Engines => [];
                }
                [CompressionEngine("stuck")]
                public sealed class SampleEngine : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
                }
                """,
        }.WriteTo(plugins, "a_stuck");
        var registry = RegistryFor(plugins);
        registry.PluginLoadTimeout = TimeSpan.FromMilliseconds(500);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var engine = registry.CreateCompressionEngine("healthy");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "discovery waited " + clock.Elapsed);
        Assert.Equal("compressed:x", engine.Compress("x", 3).Text);
        var failure = Assert.Single(registry.Failures);
        Assert.Equal("stuck", failure.Id);
        Assert.Matches(
            @"^TestPlugin\w+\.dll: its engine catalog 'TestPlugins\.StuckCatalog' did not load within 500 ms \(a static constructor or its Engines property does not return\); the package was skipped$",
            Assert.Single(failure.Errors));
    }

    [Fact]
    public void A_hand_written_catalog_that_throws_fails_its_package_with_the_cause()
    {
        var package = new PluginPackageBuilder
        {
            EngineId = "thrower",
            Source = """
                using System.Collections.Generic;
                using CompactMemory;
                using CompactMemory.Compression;
                [assembly: EngineCatalog(typeof(TestPlugins.ThrowingCatalog))]
                namespace TestPlugins;
                public sealed class ThrowingCatalog : EngineCatalog
                {
                    public override IReadOnlyList<EngineDescriptor> Engines => throw new System.InvalidOperationException("catalog exploded");
                }
                [CompressionEngine("thrower")]
                public sealed class SampleEngine : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
                }
                """,
        }.WriteTo(_temp.Path, "thrower");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Matches(
            @"^TestPlugin\w+\.dll: engine catalog 'TestPlugins\.ThrowingCatalog' could not be read: InvalidOperationException: catalog exploded$",
            Assert.Single(inspection.Errors));
    }

    [Fact]
    public void A_damaged_deps_json_is_named_in_one_line_with_the_fix()
    {
        var package = new PluginPackageBuilder { EngineId = "deps" }.WriteTo(_temp.Path, "deps");
        var assembly = Directory.GetFiles(package, "*.dll").Single();
        File.WriteAllText(Path.ChangeExtension(assembly, ".deps.json"), "{ this is not json");

        var inspection = EnginePackageLoader.Validate(package);

        var error = Assert.Single(inspection.Errors);
        Assert.StartsWith(Path.GetFileNameWithoutExtension(assembly) + ".deps.json could not be read: Failed to parse file", error, StringComparison.Ordinal);
        Assert.EndsWith("; rebuild the engine and copy its .deps.json again, or delete the file to resolve dependencies by file name", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_plugin_pipeline_stage_that_throws_while_compressing_is_named()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "boom",
            ClassName = "Boom",
            Source = """
                using CompactMemory;
                using CompactMemory.Compression;
                namespace TestPlugins;
                [CompressionEngine("boom")]
                public sealed class Boom : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
                        => throw new System.InvalidOperationException("kaboom");
                }
                """,
        }.WriteTo(plugins, "boom");
        var config = new Compression.EngineConfig();
        config.Extras["engines"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"engine_name": "none"}, {"engine_name": "boom"}]""");

        var pipeline = RegistryFor(plugins).CreateCompressionEngine("pipeline", config);
        var error = Assert.Throws<EngineException>(() => pipeline.Compress("some text", 5));

        Assert.Equal("Pipeline stage 1 ('boom') failed: InvalidOperationException: kaboom", error.Message);
    }
}
