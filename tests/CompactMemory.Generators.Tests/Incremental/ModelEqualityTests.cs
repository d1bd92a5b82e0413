using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Generators.Tests.Incremental;

/// <summary>Models compare by value: what caching rests on. Two independent parses of the same text give equal models.</summary>
public sealed class ModelEqualityTests
{
    [Fact]
    public void Parsing_the_same_source_twice_gives_equal_values_with_equal_hashes_at_every_step()
    {
        var first = Run(CacheabilityTests.Compilation());
        var second = Run(CacheabilityTests.Compilation());

        foreach (var step in TrackedSteps.AllNames)
        {
            var a = TrackedSteps.Outputs(first, step).Select(o => o.Value).ToArray();
            var b = TrackedSteps.Outputs(second, step).Select(o => o.Value).ToArray();
            Assert.NotEmpty(a);
            Assert.Equal(a.Length, b.Length);
            for (var i = 0; i < a.Length; i++)
            {
                Assert.NotSame(a[i], b[i]);
                Assert.True(a[i].Equals(b[i]), $"{step}[{i}]: {a[i]} differs from {b[i]}");
                Assert.Equal(a[i].GetHashCode(), b[i].GetHashCode());
            }
        }
    }

    [Fact]
    public void A_changed_id_gives_an_unequal_engine_model()
    {
        var original = EngineModelOf(CacheabilityTests.Alpha);
        var same = EngineModelOf(CacheabilityTests.Alpha);
        var renamed = EngineModelOf(CacheabilityTests.Alpha.Replace("(\"alpha\"", "(\"alpha2\""));

        Assert.Equal(original, same);
        Assert.Equal(original.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(original, renamed);
        Assert.Equal("alpha2", TrackedSteps.EngineIdOf(renamed));
    }

    private static GeneratorRunResult Run(Compilation compilation) =>
        CacheabilityTests.Driver().RunGenerators(compilation).GetRunResult().Results[0];

    private static object EngineModelOf(string source) =>
        Assert.Single(TrackedSteps.Outputs(Run(GeneratorHarness.Compilation("Acme.Incremental", source)), StepNames.Engines)).Value;
}
