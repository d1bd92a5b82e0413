using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Xunit;

namespace CompactMemory.Generators.Tests.Snapshots;

/// <summary>
/// Every generated file of every representative engine project, compared with its checked-in baseline. Run with
/// <c>COMPACTMEMORY_UPDATE_BASELINES=1</c> to rewrite the baselines, then review the diff.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [MemberData(nameof(SnapshotCases.Names), MemberType = typeof(SnapshotCases))]
    public void Every_generated_file_matches_its_baseline(string name)
    {
        var snapshot = SnapshotCases.Get(name);
        var (run, output) = snapshot.Generate();

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        var generated = run.Results[0].GeneratedSources;
        Assert.NotEmpty(generated);
        foreach (var source in generated)
        {
            Baseline.Match(snapshot.BaselineName(source.HintName), source.SourceText.ToString());
        }
    }

    [Fact]
    public void No_baseline_exists_that_no_case_produces()
    {
        var expected = SnapshotCases.All
            .SelectMany(snapshot => snapshot.Generate().Run.Results[0].GeneratedSources.Select(source => snapshot.BaselineName(source.HintName)))
            .ToArray();

        Baseline.NoStaleFiles("Snapshots", expected);
    }
}
