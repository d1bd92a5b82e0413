using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0004, CM0005 and the manifest side of CM0006: reported in engine_package.yaml at the offending line.</summary>
public sealed class ManifestContentTests
{
    private static AnalyzerResult Run(string manifest) =>
        new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(manifest).Run();

    [Fact]
    public void A_correct_manifest_reports_nothing()
    {
        var result = Run(Snippets.Manifest());
        result.NoneOfOurs();
        result.NoExceptions();
    }

    [Fact]
    public void CM0004_invalid_yaml_is_reported_at_the_broken_line()
    {
        var result = Run("package_format_version: \"1.0\"\nengine_id: [unclosed\n");
        var diagnostic = result.Single("CM0004", Snippets.ManifestPath, 3, 1, 1, DiagnosticSeverity.Error);
        Assert.Contains("engine_package.yaml cannot be read", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        result.None("CM0005");
    }

    [Fact]
    public void CM0004_a_root_that_is_not_a_mapping_is_reported_at_the_root()
    {
        var result = Run("- engine_id\n- my_engine\n");
        result.Single("CM0004", Snippets.ManifestPath, 1, 1, 12);
        Assert.Contains("a list", result.Diagnostics[0].GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0005_a_missing_field_is_reported_once_at_the_first_line()
    {
        var manifest = Snippets.Manifest().Replace("display_name: My Engine\n", "", System.StringComparison.Ordinal);
        var result = Run(manifest);
        var diagnostic = result.Single("CM0005", Snippets.ManifestPath, 1, 1, 30, DiagnosticSeverity.Error);
        Assert.Contains("'display_name'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0005_a_field_of_the_wrong_type_is_reported_at_its_value()
    {
        // YAML reads an unquoted 1.0 as a number.
        var result = Run(Snippets.Manifest(version: "1.0"));
        result.Single("CM0005", Snippets.ManifestPath, 6, 10, 13);
        Assert.Contains("quote it", System.Linq.Enumerable.Single(result.Diagnostics, d => d.Id == "CM0005").GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0005_each_bad_field_gets_its_own_diagnostic()
    {
        var result = Run("package_format_version: \"1.0\"\nengine_id: my_engine\n");
        Assert.Equal(6, System.Linq.Enumerable.Count(result.Diagnostics, d => d.Id == "CM0005"));
    }

    [Fact]
    public void CM0006_an_id_with_whitespace_in_the_manifest_is_an_error_at_its_value()
    {
        var result = Run(Snippets.Manifest(id: "\"my engine\""));
        result.Single("CM0006", Snippets.ManifestPath, 2, 12, 23, DiagnosticSeverity.Error);
    }

    [Fact]
    public void CM0006_an_unconventional_id_in_the_manifest_is_a_warning_at_its_value()
    {
        var result = new AnalyzerRunner()
            .Source(Snippets.Path, Snippets.CompressionEngine(id: "MyEngine"))
            .Manifest(Snippets.Manifest(id: "MyEngine"))
            .Run();
        var inManifest = Assert.Single(result.Diagnostics, d => d.Id == "CM0006" && d.Location.GetLineSpan().Path == Snippets.ManifestPath);
        AnalyzerResult.AssertAt(inManifest, Snippets.ManifestPath, 2, 12, 20);
        Assert.Equal(DiagnosticSeverity.Warning, inManifest.Severity);
        Assert.Contains("my_engine", inManifest.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void No_manifest_means_no_manifest_diagnostics()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Run();
        result.NoneOfOurs();
    }

    [Fact]
    public void Other_yaml_files_are_not_manifests()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest("- not: [valid", "/project/other.yaml").Run();
        result.NoneOfOurs();
    }
}
