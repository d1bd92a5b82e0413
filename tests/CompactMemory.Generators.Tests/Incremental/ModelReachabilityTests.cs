using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Incremental;

/// <summary>No step of the pipeline holds a symbol, syntax, location, compilation or semantic model (architecture decision 1).</summary>
public sealed class ModelReachabilityTests
{
    [Fact]
    public void No_Roslyn_object_is_reachable_from_any_tracked_step_output()
    {
        var compilation = CacheabilityTests.Compilation();
        var driver = CacheabilityTests.Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.ToString() == CacheabilityTests.Beta),
            CSharpSyntaxTree.ParseText(CacheabilityTests.Beta.Replace("\"Beta\"", "\"Beta 2\""), GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];

        var values = TrackedSteps.AllValues(result).ToArray();

        Assert.All(TrackedSteps.AllNames, step => Assert.NotEmpty(TrackedSteps.Outputs(result, step)));
        Assert.NotEmpty(values);
        Assert.Empty(ObjectGraph.ForbiddenPaths(values));
    }

    [Fact]
    public void The_walk_finds_a_Roslyn_object_hidden_in_a_tuple_inside_an_array()
    {
        var compilation = GeneratorHarness.Compilation("Walk", "class C { }");
        var hidden = new object[] { ("fine", new[] { (object)compilation.SyntaxTrees[0] }) };

        var paths = ObjectGraph.ForbiddenPaths([hidden, compilation.GetTypeByMetadataName("C")!]);

        Assert.Equal(2, paths.Count);
        Assert.Contains("SyntaxTree", paths[0], System.StringComparison.Ordinal);
        Assert.Contains("Symbol", paths[1], System.StringComparison.Ordinal);
    }
}
