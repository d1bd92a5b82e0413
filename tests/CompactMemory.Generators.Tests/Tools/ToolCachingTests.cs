using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>Tool models are plain equatable data: an unrelated edit leaves an engine with tools cached.</summary>
public sealed class ToolCachingTests
{
    [Fact]
    public void An_unrelated_edit_leaves_engines_with_tools_cached()
    {
        var compilation = GeneratorHarness.Compilation("Caching", SchemaCorpus.Source, DispatchEngineSource.Source.Replace("namespace Dispatch;", "namespace Dispatch2;", System.StringComparison.Ordinal));
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public static class Unrelated { public static int Value => 1; }", GeneratorHarness.ParseOptions));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var engines = run.TrackedSteps[StepNames.Engines].SelectMany(step => step.Outputs).ToArray();
        Assert.Equal(2, engines.Length);
        Assert.All(engines, output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(run.TrackedSteps[StepNames.EngineOutputs].SelectMany(step => step.Outputs), output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }
}
