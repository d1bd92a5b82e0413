using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0008 and CM0009: reported at the engine class's identifier.</summary>
public sealed class EngineShapeTests
{
    [Theory]
    [InlineData("public abstract", "is abstract")]
    [InlineData("internal static", "is static")]
    public void CM0008_a_class_the_catalog_cannot_create_is_reported_at_its_name(string modifiers, string reason)
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(modifiers: modifiers)).Run();
        var diagnostic = result.Single("CM0008", Snippets.Path, 10, modifiers.Length + 8, modifiers.Length + 16, DiagnosticSeverity.Error);
        Assert.Contains(reason, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0008_a_generic_engine_is_reported()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine(className: "MyEngine<T>")).Run();
        var diagnostic = result.Single("CM0008", Snippets.Path, 10, 21, 29);
        Assert.Contains("is generic", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0008_an_engine_without_a_usable_constructor_is_reported()
    {
        var source = Snippets.CompressionEngine().Replace("{\n", "{\n    private MyEngine(int size) { }\n", System.StringComparison.Ordinal);
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        var diagnostic = result.Single("CM0008", Snippets.Path, 10, 21, 29);
        Assert.Contains("constructor", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public MyEngine(EngineConfig? config = null) { }")]
    [InlineData("public MyEngine(EngineConfig config, int extra = 2) { }")]
    [InlineData("internal MyEngine(int size = 3) { }")]
    public void CM0008_parameterless_or_config_constructors_are_fine(string constructor)
    {
        var source = Snippets.CompressionEngine().Replace("{\n", "{\n    " + constructor + "\n", System.StringComparison.Ordinal);
        new AnalyzerRunner().Source(Snippets.Path, source).Run().NoneOfOurs();
    }

    [Fact]
    public void CM0009_an_attributed_class_that_is_no_engine_is_reported_at_its_name()
    {
        var source = Snippets.Header + "[CompressionEngine(\"not_engine\")]\npublic sealed class NotAnEngine\n{\n}\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        result.Single("CM0009", Snippets.Path, 10, 21, 32, DiagnosticSeverity.Error);
        result.None("CM0008");
    }

    [Fact]
    public void CM0009_compression_and_context_engines_are_engines()
    {
        new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Source("/project/Context.cs", Snippets.ContextEngine()).Run().NoneOfOurs();
    }
}
