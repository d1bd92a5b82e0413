using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0011 (at the method name): counters a context engine's own UpdateFromResponse or CompressAsync never maintains.</summary>
public sealed class CounterMaintenanceTests
{
    private static string EngineWith(string members) => Snippets.ContextEngineWith(members, modifiers: "public sealed");

    private const string CompressSignature =
        "    public override Task<IReadOnlyList<ChatMessage>> CompressAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens = null, string? focusTopic = null, bool force = false, string memoryContext = \"\", CancellationToken cancellationToken = default)\n";

    [Fact]
    public void CM0011_an_UpdateFromResponse_override_that_maintains_nothing_is_reported_at_its_name()
    {
        var source = EngineWith("    public override void UpdateFromResponse(TokenUsage usage)\n    {\n        System.Console.WriteLine(usage);\n    }\n");

        var diagnostic = new AnalyzerRunner().Source(Snippets.Path, source).Run().Single("CM0011", Snippets.Path, 14, 26, 44, DiagnosticSeverity.Warning);

        Assert.Equal("Context engine 'MyContextEngine' never maintains 'LastPromptTokens, LastCompletionTokens, LastTotalTokens'; call the base method or assign the counter", diagnostic.GetMessage());
    }

    [Fact]
    public void CM0011_names_only_the_counters_that_are_not_assigned()
    {
        var source = EngineWith("    public override void UpdateFromResponse(TokenUsage usage)\n    {\n        LastPromptTokens = usage.PromptTokens;\n        this.LastTotalTokens = usage.TotalTokens;\n    }\n");

        var diagnostic = new AnalyzerRunner().Source(Snippets.Path, source).Run().Single("CM0011", Snippets.Path, 14, 26, 44);

        Assert.Contains("'LastCompletionTokens'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    public override void UpdateFromResponse(TokenUsage usage)\n    {\n        base.UpdateFromResponse(usage);\n    }\n")]
    [InlineData("    public override void UpdateFromResponse(TokenUsage usage) => base.UpdateFromResponse(usage);\n")]
    [InlineData("    public override void UpdateFromResponse(TokenUsage usage)\n    {\n        LastPromptTokens = usage.PromptTokens;\n        LastCompletionTokens = usage.CompletionTokens;\n        LastTotalTokens = usage.TotalTokens;\n    }\n")]
    [InlineData(CompressSignature + "    {\n        return base.CompressAsync(messages, currentTokens, focusTopic, force, memoryContext, cancellationToken);\n    }\n")]
    [InlineData(CompressSignature + "    {\n        CompressionCount++;\n        return Task.FromResult(messages);\n    }\n")]
    [InlineData(CompressSignature + "    {\n        CompressionCount += 1;\n        return Task.FromResult(messages);\n    }\n")]
    [InlineData("    public void UpdateFromResponse(string unrelated) { }\n")]
    public void CM0011_is_not_reported_when_the_counters_are_maintained_or_the_method_is_not_the_contracts(string members)
    {
        new AnalyzerRunner().Source(Snippets.Path, EngineWith(members)).Run().None("CM0011");
    }

    [Fact]
    public void CM0011_a_CompressAsync_override_that_never_counts_is_reported()
    {
        var source = EngineWith(CompressSignature + "    {\n        return Task.FromResult(messages);\n    }\n");

        var diagnostic = new AnalyzerRunner().Source(Snippets.Path, source).Run().Single("CM0011", Snippets.Path, 14, 54, 67);

        Assert.Contains("'CompressionCount'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0011_the_sample_context_engine_maintains_its_counters()
    {
        var runner = new AnalyzerRunner();
        foreach (var file in System.IO.Directory.GetFiles(System.IO.Path.Combine(AnalyzerRunner.RepoRoot, "samples", "SearchableHistory"), "*.cs"))
        {
            runner.Source(file, System.IO.File.ReadAllText(file));
        }

        runner.Run().None("CM0011");
    }
}
