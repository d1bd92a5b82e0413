using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using CompactMemory.Compression;
using CompactMemory.Generators.Tests.Infrastructure;
using CompactMemory.Manifest;
using CompactMemory.Registry;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Generators.Tests.Snapshots;

/// <summary>The snapshot cases' generated code, compiled, loaded and run: catalogs, factories, stamped manifests, module initializers.</summary>
public sealed class GeneratedCodeTests
{
    [Theory]
    [MemberData(nameof(SnapshotCases.Names), MemberType = typeof(SnapshotCases))]
    public void Every_stamped_manifest_passes_the_runtime_reader_and_matches_its_catalog_entry(string name)
    {
        var snapshot = SnapshotCases.Get(name);
        var assembly = Load(snapshot);
        var catalog = CatalogOf(assembly);
        var manifests = ManifestsOf(assembly);

        Assert.Equal(catalog.Engines.Select(e => e.Id).Order(StringComparer.Ordinal), manifests.Keys.Order(StringComparer.Ordinal));
        foreach (var descriptor in catalog.Engines)
        {
            var stamped = manifests[descriptor.Id];
            var read = EngineManifestReader.Read(stamped.ManifestYaml);

            Assert.Empty(read.Problems);
            var manifest = read.Manifest;
            Assert.Equal("1.0", manifest.PackageFormatVersion);
            Assert.Equal(descriptor.Id, manifest.EngineId);
            Assert.Same(descriptor.EngineType, assembly.GetType(manifest.EngineClassName!, throwOnError: true));
            Assert.Equal(snapshot.AssemblyName, manifest.EngineModule);
            Assert.Equal(descriptor.DisplayName ?? manifest.DisplayName, manifest.DisplayName);
            Assert.Equal(descriptor.Version ?? manifest.Version, manifest.Version);
            Assert.Equal(descriptor.Description ?? manifest.Description, manifest.Description);
            Assert.Equal(descriptor.OverridesBuiltIn, manifest.OverridesBuiltIn);
            Assert.NotEmpty(manifest.Authors!);
            Assert.Equal("[]", stamped.ToolsJson);

            // Every factory makes an instance of the declared type through the runtime.
            var registry = new EngineRegistry();
            registry.Register(catalog);
            Assert.IsType(descriptor.EngineType, registry.Create(registry.Get(descriptor.Id), null));
        }
    }

    [Fact]
    public void Parameterless_engines_compress_and_a_declared_override_replaces_the_built_in()
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        registry.Register(CatalogOf(Load(SnapshotCases.Get(SnapshotCases.CompressionParameterless))));

        Assert.Equal("one two", registry.CreateCompressionEngine("head_only").Compress("one two three four", 2).Text);
        Assert.Equal("head_only", registry.CreateCompressionEngine("head_only").Compress("x", 1).EngineId);
        Assert.Equal("replacement:x", registry.CreateCompressionEngine("first_last").Compress("x", 5).Text);
        Assert.Equal("plugin (Acme.Compression)", registry.Get("first_last").Source.Label);
    }

    [Fact]
    public void Factories_pick_the_constructor_that_matches_the_configuration()
    {
        var registry = new EngineRegistry();
        registry.Register(CatalogOf(Load(SnapshotCases.Get(SnapshotCases.ConfigConstructors))));
        var config = new EngineConfig();
        config.Extras["prefix"] = "p:";

        Assert.Equal("none:x", registry.CreateCompressionEngine("config_only").Compress("x", 5).Text);
        Assert.Equal("p:x", registry.CreateCompressionEngine("config_only", config).Compress("x", 5).Text);
        Assert.Same(config, registry.CreateCompressionEngine("config_only", config).Config);
        Assert.Equal("parameterless:x", registry.CreateCompressionEngine("both_ctors").Compress("x", 5).Text);
        Assert.Equal("config:p:x", registry.CreateCompressionEngine("both_ctors", config).Compress("x", 5).Text);
    }

    [Fact]
    public void Nested_and_global_engines_are_created_by_their_runtime_names()
    {
        var nested = Load(SnapshotCases.Get(SnapshotCases.NestedEngine));
        var global = Load(SnapshotCases.Get(SnapshotCases.GlobalNamespace));

        Assert.Equal("Acme.Nested.Outer+EchoEngine", EngineManifestReader.Read(ManifestsOf(nested)["nested_echo"].ManifestYaml).Manifest.EngineClassName);
        Assert.Equal("GlobalEchoEngine", EngineManifestReader.Read(ManifestsOf(global)["global_echo"].ManifestYaml).Manifest.EngineClassName);
        Assert.Equal("nested:x", ((CompressionEngine)CatalogOf(nested).Engines[0].Factory(Creation())).Compress("x", 5).Text);
        Assert.Equal("global:x", ((CompressionEngine)CatalogOf(global).Engines[0].Factory(Creation())).Compress("x", 5).Text);
    }

    [Fact]
    public void A_hand_written_manifest_keeps_its_dependencies_and_descriptions_but_not_its_identity()
    {
        var manifest = EngineManifestReader.Read(ManifestsOf(Load(SnapshotCases.Get(SnapshotCases.HandWrittenManifest)))["manifested"].ManifestYaml).Manifest;

        Assert.Equal("manifested", manifest.EngineId);
        Assert.Equal("Acme.Manifested.ManifestedEngine", manifest.EngineClassName);
        Assert.Equal("Acme.Manifested", manifest.EngineModule);
        Assert.Equal("Hand-written Name", manifest.DisplayName);
        Assert.Equal("0.0.7", manifest.Version);
        Assert.Equal("Described by hand.", manifest.Description);
        Assert.Equal(["Ada Lovelace <ada@example.com>", "Grace Hopper"], manifest.Authors!.Select(a => a.ToString()).ToArray());
        Assert.Equal(["Microsoft.Data.Sqlite >= 9.0.0", "YamlDotNet"], manifest.Dependencies!.ToArray());
        Assert.Equal(["network access"], manifest.Requirements!.ToArray());
    }

    [Fact]
    public void Project_properties_fill_the_manifest_and_name_the_aggregate_namespace()
    {
        var assembly = Load(SnapshotCases.Get(SnapshotCases.ProjectProperties));
        var manifest = EngineManifestReader.Read(ManifestsOf(assembly)["from_properties"].ManifestYaml).Manifest;

        Assert.Equal("Props Engines", manifest.DisplayName);
        Assert.Equal("2.5.0-beta.1", manifest.Version);
        Assert.Equal(["Ada Lovelace", "Grace Hopper", "Alan Turing"], manifest.Authors!.Select(a => a.ToString()).ToArray());
        Assert.Equal("Engines described by the project's \"Description\" property.", manifest.Description);
        Assert.Null(manifest.Dependencies);

        var aggregate = assembly.GetType("Acme.Root.CompactMemoryEngines", throwOnError: true)!;
        var all = (IReadOnlyList<EngineDescriptor>)aggregate.GetProperty("All")!.GetValue(null)!;
        Assert.Equal(["from_properties"], all.Select(e => e.Id).ToArray());
    }

    [Fact]
    public void The_module_initializer_registers_the_catalog_only_when_opted_in()
    {
        var optedIn = Load(SnapshotCases.Get(SnapshotCases.RegisterOnLoad));
        var notOptedIn = Load(SnapshotCases.Get(SnapshotCases.CompressionParameterless));

        RuntimeHelpers.RunModuleConstructor(optedIn.ManifestModule.ModuleHandle);
        RuntimeHelpers.RunModuleConstructor(notOptedIn.ManifestModule.ModuleHandle);

        var registered = EngineCatalogs.Registered.Where(c => c.GetType().Assembly == optedIn).ToArray();
        Assert.Single(registered);
        Assert.Equal(["on_load"], registered[0].Engines.Select(e => e.Id).ToArray());
        Assert.DoesNotContain(EngineCatalogs.Registered, c => c.GetType().Assembly == notOptedIn);
    }

    [Fact]
    public async Task A_context_engine_without_tools_is_created_and_compacts()
    {
        var registry = new EngineRegistry();
        registry.Register(CatalogOf(Load(SnapshotCases.Get(SnapshotCases.ContextEngineWithoutTools))));
        var engine = registry.CreateContextEngine("keep_tail");
        var messages = Enumerable.Range(0, 10).Select(i => new ChatMessage(ChatRole.User, "m" + i)).ToList();

        var compacted = await engine.CompressAsync(messages);

        Assert.Equal(["m4", "m5", "m6", "m7", "m8", "m9"], compacted.Select(m => m.Text).ToArray());
        Assert.Empty(engine.GetToolSchemas());
        Assert.Equal(EngineKind.Context, registry.Get("keep_tail").Kind);
    }

    private static Assembly Load(SnapshotCase snapshot)
    {
        var (run, output) = snapshot.Generate();
        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        return GeneratorHarness.Load(output);
    }

    private static EngineCatalog CatalogOf(Assembly assembly)
    {
        var attribute = assembly.GetCustomAttribute<EngineCatalogAttribute>();
        Assert.NotNull(attribute);
        return (EngineCatalog)Activator.CreateInstance(attribute.CatalogType)!;
    }

    private static Dictionary<string, EnginePackageManifestAttribute> ManifestsOf(Assembly assembly) =>
        assembly.GetCustomAttributes<EnginePackageManifestAttribute>().ToDictionary(a => a.EngineId, StringComparer.Ordinal);

    private static EngineCreationContext Creation() => new(null, new EngineRegistry());
}
