using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Registry;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Registry;

public sealed class EngineRegistryTests
{
    private static readonly PluginDirectory FirstDirectory = new("/plugins/first", "local (first)", 0);
    private static readonly PluginDirectory SecondDirectory = new("/plugins/second", "local (second)", 1);
    private static readonly EngineSource FromFirst = EngineSource.FromPluginDirectory(FirstDirectory, "/plugins/first/pkg");
    private static readonly EngineSource FromSecond = EngineSource.FromPluginDirectory(SecondDirectory, "/plugins/second/pkg");
    private static readonly EngineSource FromPackage = EngineSource.FromPackage("Acme.Engines");

    /// <summary>An engine whose output says which registration created it.</summary>
    private sealed class MarkerEngine : CompressionEngine
    {
        public MarkerEngine(string id, string marker, EngineConfig? config = null)
            : base(config)
        {
            Id = id;
            Marker = marker;
        }

        public override string Id { get; }

        public string Marker { get; }

        public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) =>
            new(Marker + ":" + text) { EngineId = Id };
    }

    private sealed class SomeContextEngine : ContextEngine
    {
        public override string Name => "ctx";

        protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
            IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
            => Task.FromResult(messages);
    }

    private static EngineDescriptor Marker(string id, string marker, bool overridesBuiltIn = false) =>
        new(id, EngineKind.Compression, typeof(MarkerEngine), context => new MarkerEngine(id, marker, context.Config))
        {
            DisplayName = "Marker " + marker,
            Version = "1.0." + marker.Length,
            OverridesBuiltIn = overridesBuiltIn,
        };

    private static EngineRegistry BuiltIns()
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        return registry;
    }

    private static string Run(EngineRegistry registry, string id) => registry.CreateCompressionEngine(id).Compress("x", 10).Text;

    private static EngineListing[] Rows(EngineRegistry registry, string id) => registry.List().Where(row => row.Id == id).ToArray();

    [Fact]
    public void The_built_ins_are_exactly_the_four_core_engines_sorted()
    {
        var registry = BuiltIns();

        Assert.Equal(new[] { "first_last", "none", "pipeline", "stopword_pruner" }, registry.Ids);
        Assert.Equal(registry.Ids, registry.List().Select(row => row.Id).ToArray());
        Assert.Empty(registry.Failures);
    }

    [Fact]
    public void Built_ins_are_listed_as_active_with_no_version_and_their_display_names()
    {
        var rows = BuiltIns().List();

        Assert.All(rows, row =>
        {
            Assert.Equal(EngineStatus.Active, row.Status);
            Assert.Equal(EngineSource.BuiltIn, row.Source);
            Assert.Equal("built-in", row.Source.Label);
            Assert.Equal("N/A", row.Version);
            Assert.Equal(EngineKind.Compression, row.Kind);
            Assert.Equal(string.Empty, row.StatusText);
            Assert.Null(row.PackagePath);
        });
        Assert.Equal(
            new[] { "First/Last", "No Compression", "Pipeline", "Stopword Pruner" },
            rows.Select(row => row.DisplayName).ToArray());
    }

    [Theory]
    [InlineData("none", typeof(NoCompressionEngine))]
    [InlineData("first_last", typeof(FirstLastEngine))]
    [InlineData("stopword_pruner", typeof(StopwordPrunerEngine))]
    [InlineData("pipeline", typeof(PipelineEngine))]
    public void Each_built_in_can_be_created_and_reports_its_id(string id, Type type)
    {
        var engine = BuiltIns().CreateCompressionEngine(id);

        Assert.IsType(type, engine);
        Assert.Equal(id, engine.Id);
    }

    [Fact]
    public void The_config_is_passed_to_the_engine()
    {
        var engine = BuiltIns().CreateCompressionEngine("none", new EngineConfig { EnableTrace = false });

        Assert.False(engine.Config.EnableTrace);
        Assert.Null(engine.Compress("a b", 1).Trace);
    }

    [Fact]
    public void A_declared_override_takes_the_built_ins_place_at_the_top_even_from_a_later_source()
    {
        var registry = BuiltIns();
        registry.Register(Marker("first_last", "directory"), FromFirst);
        registry.Register(Marker("first_last", "package", overridesBuiltIn: true), FromPackage);

        var rows = Rows(registry, "first_last");

        Assert.Equal("package:x", Run(registry, "first_last"));
        Assert.Equal([FromPackage, EngineSource.BuiltIn, FromFirst], rows.Select(r => r.Source).ToArray());
        Assert.Equal("Overrides 'built-in', 'local (first)'", rows[0].StatusText);
    }

    [Fact]
    public void An_empty_registry_has_no_engines()
    {
        var registry = new EngineRegistry();

        Assert.Empty(registry.Ids);
        Assert.Empty(registry.List());
        var error = Assert.Throws<EngineNotFoundException>(() => registry.Get("first_last"));
        Assert.Equal("Unknown engine 'first_last'. No engines are registered.", error.Message);
        Assert.Null(error.ClosestMatch);
        Assert.Empty(error.AvailableIds);
    }

    [Fact]
    public void An_unknown_id_lists_the_available_ids_and_suggests_the_closest()
    {
        var error = Assert.Throws<EngineNotFoundException>(() => BuiltIns().Get("frist_last"));

        Assert.Equal("Unknown engine 'frist_last'. Did you mean 'first_last'? Available: first_last, none, pipeline, stopword_pruner", error.Message);
        Assert.Equal("frist_last", error.RequestedId);
        Assert.Equal("first_last", error.ClosestMatch);
        Assert.Equal(new[] { "first_last", "none", "pipeline", "stopword_pruner" }, error.AvailableIds);
    }

    [Theory]
    [InlineData("stopword_prunner", "stopword_pruner")]
    [InlineData("NONE", "none")]
    [InlineData("pipelin", "pipeline")]
    [InlineData("nome", "none")]
    public void Typos_are_matched_to_the_nearest_id(string typo, string expected)
    {
        var error = Assert.Throws<EngineNotFoundException>(() => BuiltIns().CreateCompressionEngine(typo));

        Assert.Equal(expected, error.ClosestMatch);
        Assert.Contains("Did you mean '" + expected + "'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_distant_id_gets_no_suggestion()
    {
        var error = Assert.Throws<EngineNotFoundException>(() => BuiltIns().Get("summarizer_xyz"));

        Assert.Null(error.ClosestMatch);
        Assert.DoesNotContain("Did you mean", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Available: first_last, none, pipeline, stopword_pruner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGet_reports_unknown_ids_without_throwing()
    {
        var registry = BuiltIns();

        Assert.False(registry.TryGet("nope", out var missing));
        Assert.Null(missing);
        Assert.True(registry.TryGet("none", out var found));
        Assert.Equal("none", found!.Id);
    }

    [Fact]
    public void A_built_in_beats_a_plugin_directory_engine_with_the_same_id()
    {
        var registry = new EngineRegistry();
        registry.Register(Marker("first_last", "plugin"), FromFirst);
        registry.RegisterBuiltIns();

        Assert.Equal(EngineSource.BuiltIn, registry.Get("first_last").Source);
        Assert.IsType<FirstLastEngine>(registry.CreateCompressionEngine("first_last"));

        var rows = Rows(registry, "first_last");
        Assert.Equal(2, rows.Length);
        Assert.Equal((EngineStatus.Active, "built-in"), (rows[0].Status, rows[0].Source.Label));
        Assert.Equal("Overrides 'local (first)'", rows[0].StatusText);
        Assert.Equal(new[] { FromFirst }, rows[0].Overrides);
        Assert.Equal((EngineStatus.Shadowed, "local (first)"), (rows[1].Status, rows[1].Source.Label));
        Assert.Equal(EngineSource.BuiltIn, rows[1].ShadowedBy);
        Assert.Equal("Shadowed by 'built-in'", rows[1].StatusText);
        Assert.Equal("Marker plugin", rows[1].DisplayName);
        Assert.Equal("/plugins/first/pkg", rows[1].PackagePath);
    }

    [Fact]
    public void A_plugin_that_declares_an_override_beats_the_built_in()
    {
        var registry = BuiltIns();
        registry.Register(Marker("first_last", "plugin", overridesBuiltIn: true), FromFirst);

        Assert.Equal("plugin:x", Run(registry, "first_last"));

        var rows = Rows(registry, "first_last");
        Assert.Equal((EngineStatus.Active, "local (first)"), (rows[0].Status, rows[0].Source.Label));
        Assert.Equal("Overrides 'built-in'", rows[0].StatusText);
        Assert.Equal((EngineStatus.Shadowed, "built-in"), (rows[1].Status, rows[1].Source.Label));
        Assert.Equal(FromFirst, rows[1].ShadowedBy);
        Assert.Equal("Shadowed by 'local (first)'", rows[1].StatusText);
    }

    [Fact]
    public void An_override_flag_means_nothing_without_a_built_in_to_override()
    {
        var registry = new EngineRegistry();
        registry.Register(Marker("custom", "second", overridesBuiltIn: true), FromSecond);
        registry.Register(Marker("custom", "first"), FromFirst);

        Assert.Equal("first:x", Run(registry, "custom"));
    }

    [Fact]
    public void An_earlier_plugin_directory_beats_a_later_one()
    {
        var registry = new EngineRegistry();
        registry.Register(Marker("custom", "second"), FromSecond);
        registry.Register(Marker("custom", "first"), FromFirst);

        Assert.Equal("first:x", Run(registry, "custom"));
        Assert.Equal(FromFirst, registry.Get("custom").Source);

        var rows = Rows(registry, "custom");
        Assert.Equal("Overrides 'local (second)'", rows[0].StatusText);
        Assert.Equal("Shadowed by 'local (first)'", rows[1].StatusText);
        Assert.Equal("1.0.6", rows[1].Version);
    }

    [Fact]
    public void A_plugin_directory_beats_a_referenced_package()
    {
        var registry = new EngineRegistry();
        registry.Register(Marker("custom", "package"), FromPackage);
        registry.Register(Marker("custom", "dir"), FromSecond);

        Assert.Equal("dir:x", Run(registry, "custom"));

        var rows = Rows(registry, "custom");
        Assert.Equal("Overrides 'plugin (Acme.Engines)'", rows[0].StatusText);
        Assert.Equal((EngineStatus.Shadowed, "plugin (Acme.Engines)"), (rows[1].Status, rows[1].Source.Label));
        Assert.Equal("Shadowed by 'local (second)'", rows[1].StatusText);
        Assert.Null(rows[1].PackagePath);
    }

    [Fact]
    public void A_winner_lists_every_loser_in_precedence_order()
    {
        var registry = new EngineRegistry();
        registry.Register(Marker("none", "package"), FromPackage);
        registry.Register(Marker("none", "second"), FromSecond);
        registry.Register(Marker("none", "first"), FromFirst);
        registry.RegisterBuiltIns();

        var rows = Rows(registry, "none");

        Assert.Equal(new[] { "built-in", "local (first)", "local (second)", "plugin (Acme.Engines)" }, rows.Select(r => r.Source.Label).ToArray());
        Assert.Equal("Overrides 'local (first)', 'local (second)', 'plugin (Acme.Engines)'", rows[0].StatusText);
        Assert.All(rows.Skip(1), row => Assert.Equal("Shadowed by 'built-in'", row.StatusText));
    }

    [Fact]
    public void Source_ordering_follows_the_precedence_rule()
    {
        Assert.True(EngineSource.BuiltIn < FromFirst);
        Assert.True(FromFirst < FromSecond);
        Assert.True(FromSecond < FromPackage);
        Assert.True(EngineSource.FromPackage("A") < EngineSource.FromPackage("B"));
        Assert.Equal("plugin (Acme.Engines)", FromPackage.Label);
        Assert.Equal(EngineSourceKind.Package, FromPackage.Kind);
    }

    [Fact]
    public void Registering_after_a_lookup_is_seen_by_the_next_lookup()
    {
        var registry = BuiltIns();
        Assert.False(registry.TryGet("custom", out _));

        registry.Register(Marker("custom", "late"), FromFirst);

        Assert.Equal("late:x", Run(registry, "custom"));
        Assert.Contains("custom", registry.Ids);
    }

    [Fact]
    public void A_factory_that_throws_becomes_an_engine_exception_naming_the_id()
    {
        var registry = new EngineRegistry();
        registry.Register(
            new EngineDescriptor("broken", EngineKind.Compression, typeof(MarkerEngine), _ => throw new InvalidOperationException("boom")),
            FromFirst);

        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("broken"));

        Assert.Equal("Engine 'broken' (local (first)) could not be created: InvalidOperationException: boom", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void A_factory_that_returns_nothing_is_an_engine_exception()
    {
        var registry = new EngineRegistry();
        registry.Register(new EngineDescriptor("empty", EngineKind.Compression, typeof(MarkerEngine), _ => null!), FromPackage);

        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("empty"));

        Assert.Contains("'empty'", error.Message, StringComparison.Ordinal);
        Assert.Contains("returned nothing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_engine_cannot_be_created_as_a_compression_engine()
    {
        var registry = BuiltIns();
        registry.Register(new EngineDescriptor("ctx", EngineKind.Context, typeof(SomeContextEngine), _ => new SomeContextEngine()), FromFirst);

        var error = Assert.Throws<EngineException>(() => registry.CreateCompressionEngine("ctx"));

        Assert.Contains("'ctx' is a context engine", error.Message, StringComparison.Ordinal);
        Assert.IsType<SomeContextEngine>(registry.CreateContextEngine("ctx"));
        Assert.Equal(EngineKind.Context, Rows(registry, "ctx").Single().Kind);
    }

    [Fact]
    public void A_compression_engine_cannot_be_created_as_a_context_engine()
    {
        var error = Assert.Throws<EngineException>(() => BuiltIns().CreateContextEngine("none"));

        Assert.Contains("'none' is a compression engine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_rejects_a_type_that_is_not_of_the_declared_kind()
    {
        var registry = new EngineRegistry();

        Assert.Throws<ArgumentException>(() =>
            registry.Register(new EngineDescriptor("bad", EngineKind.Compression, typeof(string), _ => "x"), EngineSource.BuiltIn));
        Assert.Throws<ArgumentException>(() =>
            registry.Register(new EngineDescriptor("bad", EngineKind.Context, typeof(FirstLastEngine), _ => new FirstLastEngine()), EngineSource.BuiltIn));
        Assert.Empty(registry.Ids);
    }

    [Fact]
    public void A_pipeline_is_built_from_the_engines_in_its_config_extras()
    {
        var config = new EngineConfig();
        config.Extras["engines"] = JsonNode.Parse("""[{"engine_name": "first_last"}]""");

        var engine = BuiltIns().CreateCompressionEngine("pipeline", config);

        var pipeline = Assert.IsType<PipelineEngine>(engine);
        var stage = Assert.Single(pipeline.Stages);
        Assert.Equal("first_last", stage.EngineName);
        Assert.IsType<FirstLastEngine>(stage.Engine);
        Assert.False(pipeline.Config.Extras.ContainsKey("engines"));
        Assert.Equal("one two nine ten", pipeline.Compress("one two three four five six seven eight nine ten", 4).Text);
    }

    [Fact]
    public void A_pipeline_stage_resolves_through_the_registry_including_plugins()
    {
        var registry = BuiltIns();
        registry.Register(Marker("custom", "dir"), FromFirst);
        var config = new EngineConfig();
        config.Extras["engines"] = JsonNode.Parse("""[{"engine_name": "custom"}, {"engine_name": "none"}]""");

        Assert.Equal("dir:text", registry.CreateCompressionEngine("pipeline", config).Compress("text", 10).Text);
    }

    [Fact]
    public void A_pipeline_without_engines_is_empty()
    {
        var pipeline = Assert.IsType<PipelineEngine>(BuiltIns().CreateCompressionEngine("pipeline"));

        Assert.Empty(pipeline.Stages);
    }

    [Fact]
    public void A_pipeline_with_a_bad_stage_fails_with_the_stage_message()
    {
        var config = new EngineConfig();
        config.Extras["engines"] = JsonNode.Parse("""[{"engine_name": "frist_last"}]""");

        var error = Assert.Throws<PipelineConfigurationException>(() => BuiltIns().CreateCompressionEngine("pipeline", config));

        Assert.True(error.IsStageFailure);
        Assert.StartsWith("stage 0 ('frist_last'): Unknown engine 'frist_last'. Did you mean 'first_last'?", error.Message, StringComparison.Ordinal);
    }
}
