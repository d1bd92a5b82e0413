using System;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>
/// What the user sees when an engine's own code fails: <c>dev validate-engine-package</c> creates the engine once
/// (a package whose constructor always throws is not "valid"), and <c>compress</c> names a failing pipeline stage.
/// </summary>
public sealed class ValidateEngineConstructionTests : IDisposable
{
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    private static string Engine(string id, string className, string members, string compress = "new(text)") => $$"""
        using CompactMemory;
        using CompactMemory.Compression;
        namespace TestPlugins;
        [CompressionEngine("{{id}}")]
        public sealed class {{className}} : CompressionEngine
        {
        {{members}}
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => {{compress}};
        }
        """;

    [Fact]
    public void A_package_whose_constructor_always_throws_is_not_valid_and_the_cause_is_named()
    {
        var folder = new PluginPackageBuilder
        {
            EngineId = "ctor_boom",
            ClassName = "CtorBoom",
            Source = Engine("ctor_boom", "CtorBoom", """
                public CtorBoom() { throw new System.InvalidOperationException("no model file"); }
            """),
        }.WriteTo(_temp.Path, "ctor_boom");

        var result = _cli.Run("dev", "validate-engine-package", folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal(
            "Engine package validation failed with errors:\n"
            + "- Class TestPlugins.CtorBoom could not be created with its default configuration: InvalidOperationException: no model file\n",
            result.Error);
    }

    [Fact]
    public void A_throwing_static_constructor_is_shown_with_what_it_threw()
    {
        var folder = new PluginPackageBuilder
        {
            EngineId = "static_boom",
            ClassName = "StaticBoom",
            Source = Engine("static_boom", "StaticBoom", """
                static StaticBoom() { throw new System.IO.FileNotFoundException("vocab.txt is missing"); }
            """),
        }.WriteTo(_temp.Path, "static_boom");

        var result = _cli.Run("dev", "validate-engine-package", folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Engine package validation failed with errors:\n"
            + "- Class TestPlugins.StaticBoom could not be created with its default configuration: the static constructor of 'TestPlugins.StaticBoom' threw FileNotFoundException: vocab.txt is missing\n",
            result.Error);
    }

    [Fact]
    public void Compress_names_the_plugin_engine_whose_constructor_throws()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "ctor_boom",
            ClassName = "CtorBoom",
            Source = Engine("ctor_boom", "CtorBoom", """
                public CtorBoom() { throw new System.InvalidOperationException("no model file"); }
            """),
        }.WriteTo(plugins, "ctor_boom");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugins;

        var result = _cli.Run("compress", "-e", "ctor_boom", "--text", "x", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Engine 'ctor_boom' (local (plugins)) could not be created: InvalidOperationException: no model file\n", result.Error);
    }

    [Fact]
    public void A_pipeline_stage_that_throws_while_compressing_is_named_with_its_index_and_id()
    {
        var plugins = _temp.CreateDirectory("plugins");
        new PluginPackageBuilder
        {
            EngineId = "boom",
            ClassName = "Boom",
            Source = Engine("boom", "Boom", string.Empty, compress: "throw new System.InvalidOperationException(\"kaboom\")"),
        }.WriteTo(plugins, "boom");
        _cli.Environment["COMPACT_MEMORY_ENGINES_PATH"] = plugins;
        const string Config = """{"engines": [{"engine_name": "none"}, {"engine_name": "stopword_pruner"}, {"engine_name": "boom"}]}""";

        var result = _cli.Run("compress", "-e", "pipeline", "--pipeline-config", Config, "--text", "the words to keep", "-b", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal("Error during compression with engine 'pipeline': Pipeline stage 2 ('boom') failed: InvalidOperationException: kaboom\n", result.Error);
    }
}
