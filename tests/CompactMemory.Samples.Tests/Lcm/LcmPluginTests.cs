using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CompactMemory.Context;
using CompactMemory.Registry;
using CompactMemory.Testing;
using Xunit;
using static CompactMemory.Samples.Tests.Lcm.LcmTestKit;

namespace CompactMemory.Samples.Tests.Lcm;

/// <summary>The built plugin folder (artifacts/engines/lcm) loads in its own load context, native SQLite included.</summary>
public sealed class LcmPluginTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_plugin_folder_loads_and_its_tools_work_through_the_contract_alone()
    {
        // tests/CompactMemory.Samples.Tests/bin/<configuration>/<tfm>/ → the repository root
        var root = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var engines = Path.Combine(root, "artifacts", "engines");
        Assert.True(File.Exists(Path.Combine(engines, "lcm", "engine_package.yaml")), "the plugin folder was not laid out: " + engines);
        Assert.True(File.Exists(Path.Combine(engines, "lcm", "Microsoft.Data.Sqlite.dll")), "the plugin folder lacks its SQLite dependency");

        var registry = new EngineRegistry();
        registry.AddPluginDirectories([new PluginDirectory(engines, "samples", 0)]);
        var previous = Environment.GetEnvironmentVariable("LCM_DATABASE_PATH");
        IContextEngine engine;
        try
        {
            Environment.SetEnvironmentVariable("LCM_DATABASE_PATH", _temp.Combine("plugin.db"));
            engine = registry.CreateContextEngine("lcm");
        }
        finally
        {
            Environment.SetEnvironmentVariable("LCM_DATABASE_PATH", previous);
        }

        // Nothing but the engine references the package now: finalizers must not unload its context while it runs
        // (its SQLite dependencies load lazily, at the first connection below).
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        // Another load context: the engine is not this test's LcmContextEngine type, only the contract is shared.
        Assert.NotEqual(typeof(CompactMemory.Samples.Lcm.LcmContextEngine), engine.GetType());
        Assert.Equal(["lcm_expand", "lcm_grep"], engine.GetToolSchemas().Select(t => t.Name).Order(StringComparer.Ordinal));
        engine.OnSessionStart("plugin", new SessionStartContext());
        var compacted = await engine.CompressAsync(Turns(1, 10));
        Assert.True(compacted.Count < 21);

        var hits = JsonNode.Parse(await engine.HandleToolCallAsync("lcm_grep", """{"query": "topic-2"}"""))!;
        Assert.Equal(2, hits["count"]!.GetValue<int>());
        engine.OnSessionEnd("plugin", compacted);
        (engine as IDisposable)?.Dispose();
        Assert.True(File.Exists(_temp.Combine("plugin.db")));
    }
}

/// <summary>The engine under the SDK's host loop with session rotation on compaction: the conversation's store follows the rotations.</summary>
public sealed class LcmHostedTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task After_two_rotating_compactions_grep_still_finds_the_first_messages()
    {
        using var engine = new CompactMemory.Samples.Lcm.LcmContextEngine(_temp.Combine("hosted.db")) { ProtectFirstN = 1, ProtectLastN = 2 };
        var ids = 0;
        var host = new ContextEngineHost(engine, new ContextEngineHostOptions
        {
            ContextLength = 64_000,
            RotateSessionOnCompression = true,
            SessionId = "first",
            SessionIdFactory = () => "rotated-" + ++ids,
        });

        System.Collections.Generic.List<Microsoft.Extensions.AI.ChatMessage> conversation = [.. Turns(1, 5), User("The vault code is heron.")];
        var once = await host.CompressManuallyAsync(conversation, null);
        Assert.True(once.Changed);
        var twice = await host.CompressManuallyAsync([.. once.Messages, Assistant("Noted."), .. Turns(10, 4, system: false)], null);
        Assert.True(twice.Changed);
        Assert.Equal("rotated-2", host.SessionId);
        Assert.Equal("rotated-2", engine.SessionId);

        var hits = JsonNode.Parse(await host.HandleToolCallAsync("lcm_grep", """{"query": "topic-1"}"""))!;
        Assert.Equal(2, hits["count"]!.GetValue<int>());
        var heron = JsonNode.Parse(await host.HandleToolCallAsync("lcm_grep", """{"query": "heron"}"""))!;
        Assert.Equal(1, heron["count"]!.GetValue<int>());
    }
}
