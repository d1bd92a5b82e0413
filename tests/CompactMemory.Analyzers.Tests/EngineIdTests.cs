using System.Linq;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0006 on the attribute and CM0007: reported at the attribute's id argument.</summary>
public sealed class EngineIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData("my engine")]
    [InlineData(" ")]
    public void CM0006_an_empty_or_whitespace_id_is_an_error(string id)
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: id)).Run();
        result.Single("CM0006", Snippets.Path, 9, 20, 22 + id.Length, DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("MyEngine", "my_engine")]
    [InlineData("my__engine", "my_engine")]
    [InlineData("engine-", "engine")]
    public void CM0006_an_unconventional_id_is_a_warning_that_suggests_a_conventional_one(string id, string suggestion)
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: id)).Run();
        var diagnostic = result.Single("CM0006", Snippets.Path, 9, 20, 22 + id.Length, DiagnosticSeverity.Warning);
        Assert.Contains("[CompressionEngine] id", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("'" + suggestion + "'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my_engine")]
    [InlineData("my-engine2")]
    [InlineData("a")]
    public void CM0006_conventional_ids_are_fine(string id)
    {
        new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: id)).Run().NoneOfOurs();
    }

    [Fact]
    public void CM0007_every_engine_sharing_an_id_is_reported_and_names_the_others()
    {
        var result = new AnalyzerRunner()
            .Source(Snippets.Path, Snippets.CompressionEngine())
            .Source("/project/Second.cs", Snippets.CompressionEngine(className: "SecondEngine"))
            .Run();
        var duplicates = result.Diagnostics.Where(d => d.Id == "CM0007").ToArray();
        Assert.Equal(2, duplicates.Length);
        AnalyzerResult.AssertAt(duplicates[0], Snippets.Path, 9, 20, 31);
        AnalyzerResult.AssertAt(duplicates[1], "/project/Second.cs", 9, 20, 31);
        Assert.Contains("'Contoso.Engines.SecondEngine'", duplicates[0].GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("'Contoso.Engines.MyEngine'", duplicates[1].GetMessage(), System.StringComparison.Ordinal);
        Assert.All(duplicates, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void CM0007_ids_differing_only_in_case_are_distinct()
    {
        var result = new AnalyzerRunner()
            .Source(Snippets.Path, Snippets.CompressionEngine())
            .Source("/project/Second.cs", Snippets.CompressionEngine(id: "My_engine", className: "SecondEngine"))
            .Run();
        result.None("CM0007");
    }
}
