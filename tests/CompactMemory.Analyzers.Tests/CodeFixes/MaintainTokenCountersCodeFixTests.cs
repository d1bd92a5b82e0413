using System;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Engines;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

public sealed class MaintainTokenCountersCodeFixTests
{
    private const string Path = "/project/MyContextEngine.cs";

    private const string CompressOverride =
        "    public override Task<IReadOnlyList<ChatMessage>> CompressAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens = null, string? focusTopic = null, bool force = false, string memoryContext = \"\", CancellationToken cancellationToken = default)";

    private static string EngineWith(string members) => Snippets.ContextEngineWith(members, modifiers: "public sealed");

    private static async Task<FixResult> FixAsync(string source, string key) =>
        await new CodeFixRunner().Source(Path, source).ApplyAsync(new MaintainTokenCountersCodeFix(), "CM0011", key);

    [Fact]
    public async Task An_UpdateFromResponse_override_calls_the_base_first_with_its_own_parameter()
    {
        var source = EngineWith("    public override void UpdateFromResponse(TokenUsage response)\n    {\n        System.Console.WriteLine(response);\n    }\n");
        var result = await FixAsync(source, MaintainTokenCountersCodeFix.CallBaseKey);

        Assert.Equal(
            EngineWith("    public override void UpdateFromResponse(TokenUsage response)\n    {\n        base.UpdateFromResponse(response);\n        System.Console.WriteLine(response);\n    }\n"),
            result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Fact]
    public async Task An_expression_bodied_UpdateFromResponse_override_becomes_a_block()
    {
        var source = EngineWith("    public override void UpdateFromResponse(TokenUsage usage) => System.Console.WriteLine(usage);\n");
        var result = await FixAsync(source, MaintainTokenCountersCodeFix.CallBaseKey);

        Assert.Equal(
            EngineWith("    public override void UpdateFromResponse(TokenUsage usage)\n    {\n        base.UpdateFromResponse(usage);\n        System.Console.WriteLine(usage);\n    }\n"),
            result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Fact]
    public async Task The_base_call_is_offered_with_a_title_naming_the_parameter()
    {
        var actions = await new CodeFixRunner().Source(Path, EngineWith("    public override void UpdateFromResponse(TokenUsage usage) { }\n"))
            .ActionsAsync(new MaintainTokenCountersCodeFix(), "CM0011");

        var action = Assert.Single(actions);
        Assert.Equal("Call base.UpdateFromResponse(usage)", action.Title);
        Assert.Equal(MaintainTokenCountersCodeFix.CallBaseKey, action.EquivalenceKey);
    }

    [Fact]
    public async Task A_direct_implementation_assigns_the_counters_it_leaves_alone()
    {
        var source = DirectEngine.Source(update: "    public void UpdateFromResponse(TokenUsage usage)\n    {\n        LastPromptTokens = usage.PromptTokens;\n    }\n");
        var runner = new CodeFixRunner().Source(Path, source);
        var action = Assert.Single(await runner.ActionsAsync(new MaintainTokenCountersCodeFix(), "CM0011"));
        Assert.Equal("Assign LastCompletionTokens, LastTotalTokens from 'usage'", action.Title);

        var result = await runner.ApplyAsync(new MaintainTokenCountersCodeFix(), "CM0011", MaintainTokenCountersCodeFix.AssignCountersKey);

        Assert.Equal(
            DirectEngine.Source(update: "    public void UpdateFromResponse(TokenUsage usage)\n    {\n        LastCompletionTokens = usage.CompletionTokens;\n        LastTotalTokens = usage.TotalTokens;\n        LastPromptTokens = usage.PromptTokens;\n    }\n"),
            result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Fact]
    public async Task A_CompressAsync_override_counts_before_each_of_its_returns()
    {
        var source = EngineWith(CompressOverride + "\n    {\n        if (force)\n        {\n            return Task.FromResult(messages);\n        }\n\n        // Nothing to do.\n        return Task.FromResult(messages);\n    }\n");
        var runner = new CodeFixRunner().Source(Path, source);
        var action = Assert.Single(await runner.ActionsAsync(new MaintainTokenCountersCodeFix(), "CM0011"));
        Assert.Equal("Count the compaction: CompressionCount++ before returning", action.Title);
        Assert.Equal(MaintainTokenCountersCodeFix.CountCompressionKey, action.EquivalenceKey);

        var result = await runner.ApplyAsync(new MaintainTokenCountersCodeFix(), "CM0011", MaintainTokenCountersCodeFix.CountCompressionKey);

        Assert.Equal(
            EngineWith(CompressOverride + "\n    {\n        if (force)\n        {\n            CompressionCount++;\n            return Task.FromResult(messages);\n        }\n\n        // Nothing to do.\n        CompressionCount++;\n        return Task.FromResult(messages);\n    }\n"),
            result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Fact]
    public async Task A_one_line_CompressAsync_keeps_its_line()
    {
        var source = DirectEngine.Source(compress: DirectEngine.CompressSignature + " { return Task.FromResult(messages); }\n");
        var result = await FixAsync(source, MaintainTokenCountersCodeFix.CountCompressionKey);

        Assert.Equal(DirectEngine.Source(compress: DirectEngine.CompressSignature + " { CompressionCount++; return Task.FromResult(messages); }\n"), result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Fact]
    public async Task An_expression_bodied_CompressAsync_becomes_a_block()
    {
        var source = EngineWith(CompressOverride + " => Task.FromResult(messages);\n");
        var result = await FixAsync(source, MaintainTokenCountersCodeFix.CountCompressionKey);

        Assert.Equal(
            EngineWith(CompressOverride + "\n    {\n        CompressionCount++;\n        return Task.FromResult(messages);\n    }\n"),
            result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Theory]
    [InlineData(CompressOverride + "\n    {\n        if (force) return Task.FromResult(messages);\n        return Task.FromResult(messages);\n    }\n")]
    [InlineData(CompressOverride + " => throw new System.NotSupportedException();\n")]
    public async Task No_count_is_offered_where_it_cannot_go_before_a_return(string members)
    {
        // An embedded return has no block to insert into; a throw expression body has nothing to return after counting.
        var actions = await new CodeFixRunner().Source(Path, EngineWith(members)).ActionsAsync(new MaintainTokenCountersCodeFix(), "CM0011");

        Assert.Empty(actions);
    }

    [Theory]
    [InlineData("    public int LastPromptTokens { get => 0; set { } }\n", "    public int LastPromptTokens { get; set; }\n")]
    [InlineData("    public int LastPromptTokens\n    {\n        get { return 0; }\n        set { }\n    }\n", "    public int LastPromptTokens\n    {\n        get;\n        set;\n    }\n")]
    [InlineData("    public int LastPromptTokens { get => 0; set; }\n", "    public int LastPromptTokens { get; set; }\n")]
    public async Task A_counter_that_cannot_hold_a_value_becomes_an_auto_property(string counter, string expected)
    {
        var counters = DirectEngine.Counters.Replace("    public int LastPromptTokens { get; set; }\n", counter, StringComparison.Ordinal);
        var runner = new CodeFixRunner().Source(Path, DirectEngine.Source(counters: counters));
        var action = Assert.Single(await runner.ActionsAsync(new MaintainTokenCountersCodeFix(), "CM0011"));
        Assert.Equal("Make 'LastPromptTokens' an auto-property { get; set; }", action.Title);
        Assert.Equal(MaintainTokenCountersCodeFix.MakeAutoPropertyKey, action.EquivalenceKey);

        var result = await runner.ApplyAsync(new MaintainTokenCountersCodeFix(), "CM0011", MaintainTokenCountersCodeFix.MakeAutoPropertyKey);

        Assert.Equal(DirectEngine.Source(counters: DirectEngine.Counters.Replace("    public int LastPromptTokens { get; set; }\n", expected, StringComparison.Ordinal)), result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Fact]
    public async Task A_constant_expression_bodied_counter_gets_a_setter_too()
    {
        var counters = DirectEngine.Counters.Replace("    public int ContextLength { get; set; }\n", "    public int ContextLength => 128000; // fixed window\n", StringComparison.Ordinal);
        var result = await FixAsync(DirectEngine.Source(counters: counters), MaintainTokenCountersCodeFix.MakeAutoPropertyKey);

        Assert.Equal(
            DirectEngine.Source(counters: DirectEngine.Counters.Replace("    public int ContextLength { get; set; }\n", "    public int ContextLength { get; set; } // fixed window\n", StringComparison.Ordinal)),
            result.Source(Path));
        result.AssertFixed("CM0011");
    }

    [Theory]
    [InlineData("    public int LastPromptTokens { get => 0; set { System.Console.WriteLine(); } }\n")]
    [InlineData("    public int LastPromptTokens { get => 0; set { /* kept on purpose */ } }\n")]
    public async Task No_auto_property_is_offered_when_an_accessor_does_something(string counter)
    {
        var counters = DirectEngine.Counters.Replace("    public int LastPromptTokens { get; set; }\n", counter, StringComparison.Ordinal);
        var actions = await new CodeFixRunner().Source(Path, DirectEngine.Source(counters: counters))
            .ActionsAsync(new MaintainTokenCountersCodeFix(), "CM0011");

        Assert.Empty(actions);
    }

    [Fact]
    public async Task No_auto_property_is_offered_for_a_counter_that_hides_the_base_one()
    {
        var actions = await new CodeFixRunner().Source(Path, EngineWith("    public new int LastPromptTokens => 0;\n"))
            .ActionsAsync(new MaintainTokenCountersCodeFix(), "CM0011");

        Assert.Empty(actions);
    }

    [Fact]
    public async Task Fix_all_in_the_document_fixes_methods_and_properties()
    {
        var counters = DirectEngine.Counters.Replace("    public int LastPromptTokens { get; set; }\n", "    public int LastPromptTokens { get => 0; set { } }\n", StringComparison.Ordinal);
        var source = DirectEngine.Source(counters: counters, update: "    public void UpdateFromResponse(TokenUsage usage) { }\n", compress: DirectEngine.CompressSignature + " { return Task.FromResult(messages); }\n");
        var result = await new CodeFixRunner().Source(Path, source)
            .FixAllAsync(new MaintainTokenCountersCodeFix(), "CM0011", MaintainTokenCountersCodeFix.MakeAutoPropertyKey, FixAllScope.Document);

        // Fix All applies the one kind of fix it was started with.
        Assert.Contains("    public int LastPromptTokens { get; set; }\n", result.Source(Path), StringComparison.Ordinal);
        Assert.Equal(2, result.Diagnostics().Count(d => d.Id == "CM0011"));
    }
}
