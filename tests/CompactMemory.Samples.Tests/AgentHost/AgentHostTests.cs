using System;
using System.Collections.Generic;
using System.IO;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Samples.Tests.AgentHost;

/// <summary>The offline sample host, run as a user runs it: it compacts, the stand-in model's lcm_grep goes through the pipeline, and it prints the status.</summary>
public sealed class AgentHostTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_offline_agent_host_compacts_greps_through_the_pipeline_and_passes_its_checks()
    {
        // tests/CompactMemory.Samples.Tests/bin/<configuration>/<tfm>/ → samples/AgentHost/bin/<configuration>/<tfm>/AgentHost.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var host = Path.Combine(root, "samples", "AgentHost", "bin", configuration, tfm, "AgentHost.dll");
        Assert.True(File.Exists(host), "not built: " + host);

        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = null,
            ["LCM_DATABASE_PATH"] = _temp.Combine("agent.db"),
        };
        var result = ChildProcess.Run("dotnet", _temp.Path, environment, TimeSpan.FromMinutes(2), host);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("ScriptedChatClient — a STAND-IN for a real model", result.Output, StringComparison.Ordinal);
        Assert.Contains("📦 Preflight compression", result.Output, StringComparison.Ordinal);
        Assert.Contains("→ tool call lcm_grep(", result.Output, StringComparison.Ordinal);
        Assert.Contains("→ tool call lcm_expand(", result.Output, StringComparison.Ordinal);
        Assert.Contains("ticket OPS-4471", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"compression_count\": 1", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("All checks passed.", result.Output.TrimEnd(), StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.Combine("agent.db")), "LCM_DATABASE_PATH was not used");
    }
}
