using System;
using System.Linq;
using CompactMemory.Compression;
using CompactMemory.Generators.Tests.Infrastructure;
using CompactMemory.Registry;
using Xunit;

namespace CompactMemory.Generators.Tests;

public sealed class CatalogTests
{
    private const string TwoEngines = """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Acme.Engines;

        [CompressionEngine("zeta", DisplayName = "Zeta", Version = "2.0.0", Description = "Last by id.")]
        public sealed class Zeta : CompressionEngine
        {
            public Zeta(EngineConfig? config = null) : base(config) { }
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
                => new("zeta:" + (Config.Get("prefix", "") ?? "") + text) { EngineId = Id };
        }

        [CompressionEngine("alpha")]
        public sealed class Alpha : CompressionEngine
        {
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("alpha:" + text);
        }
        """;

    [Fact]
    public void The_catalog_lists_every_engine_in_id_order_with_working_factories()
    {
        var (run, output, _) = GeneratorHarness.Run(GeneratorHarness.Compilation("Acme.Engines", TwoEngines), new System.Collections.Generic.Dictionary<string, string> { ["Version"] = "3.1.0" });

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        var assembly = GeneratorHarness.Load(output);
        var attribute = (EngineCatalogAttribute)Attribute.GetCustomAttribute(assembly, typeof(EngineCatalogAttribute))!;
        var catalog = (EngineCatalog)Activator.CreateInstance(attribute.CatalogType)!;

        Assert.Equal(["alpha", "zeta"], catalog.Engines.Select(e => e.Id).ToArray());
        Assert.Equal("Zeta", catalog.Engines[1].DisplayName);
        Assert.Equal("2.0.0", catalog.Engines[1].Version);

        var registry = new EngineRegistry();
        registry.Register(catalog);
        var config = new EngineConfig();
        config.Extras["prefix"] = "p:";
        Assert.Equal("zeta:p:x", registry.CreateCompressionEngine("zeta", config).Compress("x", 5).Text);
        Assert.Equal("alpha:x", registry.CreateCompressionEngine("alpha").Compress("x", 5).Text);
        Assert.Equal("plugin (Acme.Engines)", registry.Get("alpha").Source.Label);
    }
}
