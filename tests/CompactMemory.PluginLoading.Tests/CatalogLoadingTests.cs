using System;
using System.IO;
using CompactMemory.Generators;
using CompactMemory.Plugins;
using CompactMemory.Registry;
using CompactMemory.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.PluginLoading.Tests;

/// <summary>Packages built with the SDK's generator: the loader reads their one catalog attribute, and checks it against the manifest.</summary>
public sealed class CatalogLoadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static PluginPackageBuilder Generated(string engineId, string classId) => new()
    {
        EngineId = engineId,
        ClassId = classId,
        Generator = new EngineGenerator().AsSourceGenerator(),
    };

    [Fact]
    public void A_generated_package_is_created_by_its_catalogs_factory_not_by_reflection()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder { EngineId = "cataloged", Generator = new EngineGenerator().AsSourceGenerator(), OutputPrefix = "c:" }.WriteTo(plugins, "cataloged");

        var registry = new EngineRegistry();
        registry.AddPluginDirectories(PluginSearchPath.FromPaths([plugins]));
        var registration = registry.Get("cataloged");

        Assert.Equal("c:a b", registry.CreateCompressionEngine("cataloged").Compress("a b c", 2).Text);
        Assert.Equal("2.1.0", registration.Version);
        Assert.Equal("Test cataloged", registration.DisplayName);
        // The factory is the generated lambda in the plugin's own catalog class, not the loader's constructor invoke.
        Assert.StartsWith("CompactMemory.Generated.", registration.Descriptor.Factory.Method.DeclaringType!.FullName, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_naming_a_class_the_catalog_does_not_hold_lists_the_classes_it_does()
    {
        var package = Generated("listed", "listed").WriteTo(_temp.Path, "listed");
        var manifest = Path.Combine(package, "engine_package.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("TestPlugins.SampleEngine", "TestPlugins.Elsewhere", StringComparison.Ordinal));

        var inspection = EnginePackageLoader.Validate(package);

        var error = Assert.Single(inspection.Errors);
        Assert.Matches(@"^Class TestPlugins\.Elsewhere not found in TestPlugin\w+'s engine catalog; its engine classes are: TestPlugins\.SampleEngine$", error);
    }

    [Fact]
    public void A_manifest_id_that_differs_from_the_catalogs_id_is_refused_with_both_ids_named()
    {
        var package = Generated("manifest_side", "catalog_side").WriteTo(_temp.Path, "ids");

        var inspection = EnginePackageLoader.Validate(package);

        Assert.Equal(["engine_id 'manifest_side' does not match engine class id 'catalog_side'"], inspection.Errors);
    }
}
