using System.IO;
using System.Linq;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>
/// The repository's samples are correct engines: no rule fires on them. They have no hand-written
/// engine_package.yaml (the generator writes it), so the manifest rules have nothing to read and stay silent.
/// </summary>
public sealed class SampleTests
{
    public static TheoryData<string> SampleProjects => new() { "ExtractiveSummarizer", "SearchableHistory" };

    [Theory]
    [MemberData(nameof(SampleProjects))]
    public void Samples_report_nothing(string project)
    {
        var runner = new AnalyzerRunner();
        foreach (var file in SampleFiles(project))
        {
            runner.Source(file, File.ReadAllText(file));
        }

        var result = runner.Run();
        result.NoneOfOurs();
        result.NoExceptions();
    }

    [Fact]
    public void Samples_together_have_distinct_ids()
    {
        var runner = new AnalyzerRunner();
        foreach (var file in SampleFiles("ExtractiveSummarizer").Concat(SampleFiles("SearchableHistory")))
        {
            runner.Source(file, File.ReadAllText(file));
        }

        runner.Run().NoneOfOurs();
    }

    [Theory]
    [MemberData(nameof(SampleProjects))]
    public void Samples_with_the_manifest_the_generator_would_write_report_nothing(string project)
    {
        var (id, className) = project == "ExtractiveSummarizer"
            ? ("extractive_summary", "CompactMemory.Samples.ExtractiveSummarizer.ExtractiveSummarizerEngine")
            : ("searchable_history", "CompactMemory.Samples.SearchableHistory.SearchableHistoryEngine");
        var runner = new AnalyzerRunner().Manifest(Snippets.Manifest(id: id, className: className, module: AnalyzerRunner.AssemblyName));
        foreach (var file in SampleFiles(project))
        {
            runner.Source(file, File.ReadAllText(file));
        }

        runner.Run().NoneOfOurs();
    }

    internal static string[] SampleFiles(string project) =>
        Directory.GetFiles(Path.Combine(AnalyzerRunner.RepoRoot, "samples", project), "*.cs", SearchOption.TopDirectoryOnly).OrderBy(f => f, System.StringComparer.Ordinal).ToArray();
}
