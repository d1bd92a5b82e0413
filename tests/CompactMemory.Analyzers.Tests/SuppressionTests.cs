using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>Severity is configurable through .editorconfig, and #pragma and [SuppressMessage] silence code diagnostics.</summary>
public sealed class SuppressionTests
{
    [Fact]
    public void Editorconfig_none_silences_a_code_diagnostic()
    {
        var runner = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: "my_engine")).Manifest(Snippets.Manifest(id: "other_id"));
        runner.Run().Single("CM0001", Snippets.Path, 9, 20, 31);
        runner.EditorConfig("dotnet_diagnostic.CM0001.severity = none").Run().None("CM0001");
    }

    [Fact]
    public void Editorconfig_none_silences_a_manifest_diagnostic()
    {
        var runner = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(version: "\"0.9.0\""));
        runner.Run().Single("CM0018", Snippets.ManifestPath, 6, 10, 17);
        runner.EditorConfig("dotnet_diagnostic.CM0018.severity = none").Run().None("CM0018");
    }

    [Fact]
    public void Editorconfig_can_raise_a_warning_to_an_error()
    {
        var result = new AnalyzerRunner()
            .Source(Snippets.Path, Snippets.CompressionEngine())
            .Manifest(Snippets.Manifest(module: "Contoso.Other"))
            .EditorConfig("dotnet_diagnostic.CM0003.severity = error")
            .Run();
        result.Single("CM0003", Snippets.ManifestPath, 4, 16, 29, DiagnosticSeverity.Error);
    }

    [Fact]
    public void Editorconfig_governs_both_CM0006_severities()
    {
        var runner = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: "MyEngine")).EditorConfig("dotnet_diagnostic.CM0006.severity = error");
        runner.Run().Single("CM0006", Snippets.Path, 9, 20, 30, DiagnosticSeverity.Error);
        new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(id: "")).EditorConfig("dotnet_diagnostic.CM0006.severity = none").Run().None("CM0006");
    }

    [Fact]
    public void Pragma_warning_disable_silences_a_code_diagnostic()
    {
        var source = Snippets.CompressionEngine(modifiers: "public abstract").Replace("public abstract class", "#pragma warning disable CM0008\npublic abstract class", System.StringComparison.Ordinal);
        new AnalyzerRunner().Source(Snippets.Path, source).Run().None("CM0008");
    }

    [Fact]
    public void SuppressMessage_silences_a_code_diagnostic()
    {
        var source = Snippets.CompressionEngine(modifiers: "public abstract")
            .Replace("[CompressionEngine(", "[System.Diagnostics.CodeAnalysis.SuppressMessage(\"CompactMemory.Engines\", \"CM0008\", Justification = \"test\")]\n[CompressionEngine(", System.StringComparison.Ordinal);
        new AnalyzerRunner().Source(Snippets.Path, source).Run().None("CM0008");
    }
}
