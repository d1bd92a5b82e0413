using System;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Engines;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

public sealed class AddTokenCountersCodeFixTests
{
    private const string Path = "/project/DirectEngine.cs";

    /// <summary>Only LastPromptTokens and ContextLength, the second implemented explicitly.</summary>
    private const string TwoCounters =
        "    public int LastPromptTokens { get; set; }\n" +
        "    int IContextEngine.ContextLength { get; set; }\n";

    [Fact]
    public async Task Adds_the_missing_counters_after_the_last_property_and_makes_the_explicit_one_public()
    {
        var source = DirectEngine.Source(counters: TwoCounters);
        var result = await new CodeFixRunner().Source(Path, source)
            .ApplyAsync(new AddTokenCountersCodeFix(), "CM0010", AddTokenCountersCodeFix.EquivalenceKey);

        var expected = source
            .Replace("    int IContextEngine.ContextLength { get; set; }\n", "    public int ContextLength { get; set; }\n", StringComparison.Ordinal)
            .Replace(
                "    public bool EmitAutomaticCompactionStatus { get; set; } = true;\n",
                "    public bool EmitAutomaticCompactionStatus { get; set; } = true;\n" +
                "    public int LastCompletionTokens { get; set; }\n" +
                "    public int LastTotalTokens { get; set; }\n" +
                "    public int ThresholdTokens { get; set; }\n" +
                "    public int CompressionCount { get; set; }\n",
                StringComparison.Ordinal);
        Assert.Equal(expected, result.Source(Path));
        result.AssertFixed("CM0010");
    }

    [Fact]
    public async Task Any_of_the_class_diagnostics_offers_one_action_naming_the_class()
    {
        var runner = new CodeFixRunner().Source(Path, DirectEngine.Source(counters: TwoCounters));
        foreach (var index in new[] { 0, 3 })
        {
            var action = Assert.Single(await runner.ActionsAsync(new AddTokenCountersCodeFix(), "CM0010", index));
            Assert.Equal("Add the 5 missing token counters to 'DirectEngine'", action.Title);
            Assert.Equal(AddTokenCountersCodeFix.EquivalenceKey, action.EquivalenceKey);
        }
    }

    [Fact]
    public async Task One_missing_counter_is_named_in_the_title()
    {
        var counters = DirectEngine.Counters.Replace("    public int ThresholdTokens { get; set; }\n", string.Empty, StringComparison.Ordinal);
        var runner = new CodeFixRunner().Source(Path, DirectEngine.Source(counters: counters));

        var action = Assert.Single(await runner.ActionsAsync(new AddTokenCountersCodeFix(), "CM0010"));
        Assert.Equal("Add the token counter 'ThresholdTokens' to 'DirectEngine'", action.Title);
        var result = await runner.ApplyAsync(new AddTokenCountersCodeFix(), "CM0010", AddTokenCountersCodeFix.EquivalenceKey);
        Assert.Contains("    public bool EmitAutomaticCompactionStatus { get; set; } = true;\n    public int ThresholdTokens { get; set; }\n", result.Source(Path), StringComparison.Ordinal);
        result.AssertFixed("CM0010");
    }

    [Fact]
    public async Task A_counter_name_taken_by_a_member_of_another_type_is_not_offered()
    {
        var counters = DirectEngine.Counters.Replace("public int ThresholdTokens", "public long ThresholdTokens", StringComparison.Ordinal);
        var actions = await new CodeFixRunner().Source(Path, DirectEngine.Source(counters: counters))
            .ActionsAsync(new AddTokenCountersCodeFix(), "CM0010");

        Assert.Empty(actions);
    }

    [Fact]
    public async Task Fix_all_in_the_document_fixes_each_class_once()
    {
        var source = Snippets.Header
            + DirectEngine.Class(counters: TwoCounters)
            + DirectEngine.Class(counters: string.Empty, className: "BareEngine", id: "bare");
        var result = await new CodeFixRunner().Source(Path, source)
            .FixAllAsync(new AddTokenCountersCodeFix(), "CM0010", AddTokenCountersCodeFix.EquivalenceKey, FixAllScope.Document);

        var text = result.Source(Path);
        foreach (var counter in new[] { "LastPromptTokens", "LastCompletionTokens", "LastTotalTokens", "ThresholdTokens", "ContextLength", "CompressionCount" })
        {
            Assert.Equal(2, Occurrences(text, $"    public int {counter} {{ get; set; }}\n"));
        }

        result.AssertFixed("CM0010");
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_engines_in_every_document()
    {
        const string Other = "/project/BareEngine.cs";
        var result = await new CodeFixRunner()
            .Source(Path, DirectEngine.Source(counters: TwoCounters))
            .Source(Other, DirectEngine.Source(counters: string.Empty, className: "BareEngine", id: "bare"))
            .FixAllAsync(new AddTokenCountersCodeFix(), "CM0010", AddTokenCountersCodeFix.EquivalenceKey, FixAllScope.Project);

        Assert.Equal(
            DirectEngine.Source(counters: string.Empty, className: "BareEngine", id: "bare").Replace(
                "    public bool EmitAutomaticCompactionStatus { get; set; } = true;\n",
                "    public bool EmitAutomaticCompactionStatus { get; set; } = true;\n" + DirectEngine.Counters,
                StringComparison.Ordinal),
            result.Source(Other));
        Assert.Contains("    public int ContextLength { get; set; }\n", result.Source(Path), StringComparison.Ordinal);
        result.AssertFixed("CM0010");
        Assert.Empty(result.Diagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
