using System.Linq;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0001 (in code), CM0002, CM0003 and CM0018 (in the manifest): the manifest and the project must agree.</summary>
public sealed class ManifestConsistencyTests
{
    [Fact]
    public void CM0001_is_reported_at_the_attribute_id_with_the_manifest_line_as_additional_location()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: "my_engine")).Manifest(Snippets.Manifest(id: "other_id")).Run();
        var diagnostic = result.Single("CM0001", Snippets.Path, 9, 20, 31, DiagnosticSeverity.Error);
        Assert.Contains("'other_id'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        var manifestLine = Assert.Single(diagnostic.AdditionalLocations);
        Assert.Equal((Snippets.ManifestPath, 1), (manifestLine.GetLineSpan().Path, manifestLine.GetLineSpan().StartLinePosition.Line));
    }

    [Fact]
    public void CM0001_only_checks_the_engine_the_manifest_names()
    {
        var result = new AnalyzerRunner()
            .Source(Snippets.Path, Snippets.CompressionEngine())
            .Source("/project/Second.cs", Snippets.CompressionEngine(id: "second_engine", className: "SecondEngine"))
            .Manifest(Snippets.Manifest())
            .Run();
        result.None("CM0001");
    }

    [Fact]
    public void CM0001_is_silent_without_a_manifest()
    {
        new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: "anything")).Run().None("CM0001");
    }

    [Fact]
    public void CM0002_is_reported_at_engine_class_name_and_suggests_the_engine_class()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(className: "Contoso.Engines.Missing")).Run();
        var diagnostic = result.Single("CM0002", Snippets.ManifestPath, 3, 20, 43, DiagnosticSeverity.Error);
        Assert.Contains("'Contoso.Engines.MyEngine'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0002_a_class_without_the_attribute_is_not_an_engine()
    {
        var source = Snippets.CompressionEngine() + "public sealed class Helper { }\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Manifest(Snippets.Manifest(className: "Contoso.Engines.Helper")).Run();
        result.Single("CM0002", Snippets.ManifestPath, 3, 20, 42);
    }

    [Fact]
    public void CM0002_accepts_nested_engine_classes_in_runtime_spelling()
    {
        var source = Snippets.Header + "public static partial class Outer\n{\n    [CompressionEngine(\"my_engine\")]\n    public sealed class Inner : CompressionEngine\n    {\n        public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => throw new System.NotSupportedException();\n    }\n}\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Manifest(Snippets.Manifest(className: "Contoso.Engines.Outer+Inner")).Run();
        result.NoneOfOurs();
    }

    [Fact]
    public void CM0003_is_reported_at_engine_module_as_a_warning()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(module: "Contoso.Other")).Run();
        var diagnostic = result.Single("CM0003", Snippets.ManifestPath, 4, 16, 29, DiagnosticSeverity.Warning);
        Assert.Contains("'" + AnalyzerRunner.AssemblyName + "'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0018_is_reported_at_version_as_a_warning()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(version: "\"0.9.0\"")).Run();
        var diagnostic = result.Single("CM0018", Snippets.ManifestPath, 6, 10, 17, DiagnosticSeverity.Warning);
        Assert.Contains("'1.0.0'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0018_is_silent_when_the_project_has_no_version()
    {
        var result = new AnalyzerRunner().BuildProperty("Version", null).Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(version: "\"0.9.0\"")).Run();
        result.None("CM0018");
    }

    [Fact]
    public void A_consistent_manifest_and_engine_report_nothing_and_compile()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest()).Run();
        result.NoneOfOurs();
        Assert.Empty(result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
