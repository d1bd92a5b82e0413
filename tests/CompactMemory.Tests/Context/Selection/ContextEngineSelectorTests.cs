using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.BuiltIn;
using CompactMemory.Context;
using CompactMemory.Registry;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Selection;

public sealed class ContextEngineSelectorTests
{
    /// <summary>A context engine that counts its UpdateModel calls.</summary>
    private sealed class CountingEngine : ContextEngine
    {
        private readonly string _name;

        public CountingEngine(string name)
        {
            _name = name;
        }

        public override string Name => _name;

        public List<(string Model, int ContextLength)> UpdateModelCalls { get; } = new();

        public override void UpdateModel(string model, int contextLength, string baseUrl = "", string apiKey = "", string provider = "", string apiMode = "")
        {
            UpdateModelCalls.Add((model, contextLength));
            base.UpdateModel(model, contextLength, baseUrl, apiKey, provider, apiMode);
        }

        protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken) =>
            Task.FromResult(messages);
    }

    private static readonly EngineSource Package = EngineSource.FromPackage("Acme.Engines");

    private static EngineRegistry Registry(params EngineDescriptor[] descriptors)
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        foreach (var descriptor in descriptors)
        {
            registry.Register(descriptor, Package);
        }

        return registry;
    }

    private static ContextConfig Engine(string name) => ContextConfig.Parse("context:\n  engine: " + name + "\n");

    [Theory]
    [InlineData("")]
    [InlineData("compressor")]
    public void Empty_or_compressor_selects_the_built_in_configured_by_the_compression_keys(string name)
    {
        var config = ContextConfig.Parse("compression:\n  protect_last_n: 7\n  enabled: no\ncontext:\n  engine: " + name + "\n");

        var selection = ContextEngineSelector.Select(config, Registry(), new ContextEngineSelectionOptions { ContextLength = 200_000 });

        var compressor = Assert.IsType<ContextCompressor>(selection.Engine);
        Assert.Equal(ContextEngineSource.BuiltIn, selection.Source);
        Assert.Equal(7, compressor.ProtectLastN);
        Assert.Equal(200_000, compressor.ContextLength);
        Assert.False(selection.CompressionEnabled);
        Assert.False(selection.FallbackUsed);
        Assert.Empty(selection.Warnings);
    }

    [Fact]
    public void The_built_in_gets_the_model_thresholds_and_the_model_of_the_selection()
    {
        var config = ContextConfig.Parse("model_thresholds:\n  gpt-4: 0.6\n  gpt-4o: 0.8\n");

        var selection = ContextEngineSelector.Select(config, Registry(), new ContextEngineSelectionOptions { Model = "gpt-4o-mini", ContextLength = 200_000 });

        Assert.Equal(160_000, selection.Engine.ThresholdTokens);
    }

    [Fact]
    public void A_registry_context_engine_is_created_and_gets_UpdateModel_exactly_once()
    {
        CountingEngine? created = null;
        var registry = Registry(new EngineDescriptor("lcm", EngineKind.Context, typeof(CountingEngine), _ => created = new CountingEngine("lcm")));

        var selection = ContextEngineSelector.Select(Engine("lcm"), registry, new ContextEngineSelectionOptions { Model = "gpt-4o", ContextLength = 128_000 });

        Assert.Same(created, selection.Engine);
        Assert.Equal(ContextEngineSource.Registry, selection.Source);
        Assert.Equal(new[] { ("gpt-4o", 128_000) }, created!.UpdateModelCalls);
        Assert.Equal(128_000, created.ContextLength);
        Assert.Empty(selection.Warnings);
    }

    [Fact]
    public void A_non_built_in_engine_without_a_configured_window_gets_the_default_window()
    {
        var registry = Registry(new EngineDescriptor("lcm", EngineKind.Context, typeof(CountingEngine), _ => new CountingEngine("lcm")));

        var engine = (CountingEngine)ContextEngineSelector.Select(Engine("lcm"), registry).Engine;

        Assert.Equal(128_000, Assert.Single(engine.UpdateModelCalls).ContextLength);
    }

    [Fact]
    public void An_override_name_wins_over_the_config()
    {
        var registry = Registry(new EngineDescriptor("lcm", EngineKind.Context, typeof(CountingEngine), _ => new CountingEngine("lcm")));

        var selection = ContextEngineSelector.Select(Engine("lcm"), registry, new ContextEngineSelectionOptions { EngineName = "compressor" });

        Assert.IsType<ContextCompressor>(selection.Engine);
    }

    [Fact]
    public void An_unknown_name_falls_back_to_the_built_in_with_the_exact_warning()
    {
        var selection = ContextEngineSelector.Select(Engine("nope"), Registry());

        Assert.IsType<ContextCompressor>(selection.Engine);
        Assert.True(selection.FallbackUsed);
        Assert.Equal("nope", selection.RequestedName);
        Assert.Equal(new[] { "Context engine 'nope' not found — falling back to built-in compressor" }, selection.Warnings);
    }

    [Fact]
    public void A_compression_engine_name_falls_back_saying_it_is_a_compression_engine()
    {
        var selection = ContextEngineSelector.Select(Engine(FirstLastEngine.EngineId), Registry());

        Assert.IsType<ContextCompressor>(selection.Engine);
        Assert.Equal(2, selection.Warnings.Count);
        Assert.StartsWith("'first_last' is a compression engine (built-in): it compresses text and cannot manage a conversation's context", selection.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("Context engine 'first_last' not found — falling back to built-in compressor", selection.Warnings[1]);
    }

    [Fact]
    public void An_engine_whose_construction_throws_is_named_and_the_built_in_is_used()
    {
        var registry = Registry(new EngineDescriptor("boom", EngineKind.Context, typeof(CountingEngine), _ => throw new InvalidOperationException("no database")));

        var selection = ContextEngineSelector.Select(Engine("boom"), registry);

        Assert.IsType<ContextCompressor>(selection.Engine);
        Assert.True(selection.FallbackUsed);
        Assert.Contains("Failed to load context engine 'boom'", selection.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("no database", selection.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("Context engine 'boom' not found — falling back to built-in compressor", selection.Warnings[^1]);
    }

    [Fact]
    public void The_plugin_slot_is_used_only_when_its_engine_is_named()
    {
        var slot = new ContextEnginePluginSlot();
        var plugin = new CountingEngine("lcm");
        Assert.True(slot.Register(plugin, "lcm-plugin"));

        var unnamed = ContextEngineSelector.Select(ContextConfig.Default, Registry(), new ContextEngineSelectionOptions { PluginSlot = slot });
        var other = ContextEngineSelector.Select(Engine("other"), Registry(), new ContextEngineSelectionOptions { PluginSlot = slot });
        var named = ContextEngineSelector.Select(Engine("lcm"), Registry(), new ContextEngineSelectionOptions { PluginSlot = slot, ContextLength = 100_000 });

        Assert.IsType<ContextCompressor>(unnamed.Engine);
        Assert.IsType<ContextCompressor>(other.Engine);
        Assert.Same(plugin, named.Engine);
        Assert.Equal(ContextEngineSource.PluginSlot, named.Source);
        Assert.Equal(new[] { (string.Empty, 100_000) }, plugin.UpdateModelCalls);
    }

    [Fact]
    public void A_registry_engine_wins_over_the_plugin_slot()
    {
        var slot = new ContextEnginePluginSlot();
        slot.Register(new CountingEngine("lcm"), "p");
        var registry = Registry(new EngineDescriptor("lcm", EngineKind.Context, typeof(CountingEngine), _ => new CountingEngine("lcm")));

        var selection = ContextEngineSelector.Select(Engine("lcm"), registry, new ContextEngineSelectionOptions { PluginSlot = slot });

        Assert.Equal(ContextEngineSource.Registry, selection.Source);
        Assert.NotSame(slot.Engine, selection.Engine);
    }

    [Theory]
    [InlineData(63_999)]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_context_length_under_the_minimum_is_a_configuration_error(int contextLength)
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            ContextEngineSelector.Select(ContextConfig.Default, Registry(), new ContextEngineSelectionOptions { ContextLength = contextLength }));

        Assert.Contains("under the minimum of 64,000 tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_slot_keeps_the_first_engine_and_refuses_a_second_and_non_engines()
    {
        var slot = new ContextEnginePluginSlot();
        var first = new CountingEngine("a");

        Assert.True(slot.Register(first, "one"));
        Assert.False(slot.Register(new CountingEngine("b"), "two"));
        Assert.False(slot.Register("not an engine", "three"));
        Assert.False(slot.Register(null, "four"));

        Assert.Same(first, slot.Engine);
        Assert.Equal("one", slot.PluginName);
        Assert.Equal("Plugin 'two' tried to register a context engine, but one is already registered. Only one context engine plugin is allowed.", slot.Warnings[0]);
        Assert.Equal("Plugin 'three' tried to register 'System.String' as a context engine, but it does not inherit from ContextEngine. Ignoring.", slot.Warnings[1]);
        Assert.EndsWith("does not inherit from ContextEngine. Ignoring.", slot.Warnings[2], StringComparison.Ordinal);

        slot.Clear();
        Assert.Null(slot.Engine);
        Assert.True(slot.Register(new CountingEngine("b"), "two"));
    }

    [Fact]
    public void The_picker_lists_the_built_in_first_then_registry_context_engines_then_the_plugin()
    {
        var registry = Registry(
            new EngineDescriptor("zeta", EngineKind.Context, typeof(CountingEngine), _ => new CountingEngine("zeta")) { Description = "Z engine" },
            new EngineDescriptor("alpha", EngineKind.Context, typeof(CountingEngine), _ => new CountingEngine("alpha")) { DisplayName = "Alpha" });
        var slot = new ContextEnginePluginSlot();
        slot.Register(new CountingEngine("plug"), "my-plugin");

        var rows = ContextEngineSelector.ListEngines(registry, slot);

        Assert.Equal(new[] { "compressor", "alpha", "zeta", "plug" }, rows.Select(r => r.Name));
        Assert.Equal(new[] { "built-in compressor", "Alpha", "Z engine", "installed plugin" }, rows.Select(r => r.Description));
        Assert.DoesNotContain(rows, r => r.Name == FirstLastEngine.EngineId);
    }

    [Fact]
    public void The_picker_lists_a_name_once()
    {
        var slot = new ContextEnginePluginSlot();
        slot.Register(new CountingEngine("compressor"), "impostor");

        var rows = ContextEngineSelector.ListEngines(Registry(), slot);

        Assert.Equal(ContextEngineSelector.BuiltInDescription, Assert.Single(rows).Description);
    }
}
