using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0013 (at the class name) and CM0017 (at the method name).</summary>
public sealed class EngineToolTests
{
    [Fact]
    public void CM0013_a_context_engine_with_tools_that_is_not_partial_is_reported()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.ContextEngine(modifiers: "public sealed")).Run();
        result.Single("CM0013", Snippets.Path, 10, 21, 36, DiagnosticSeverity.Error);
    }

    [Fact]
    public void CM0013_a_non_partial_containing_type_is_reported_too()
    {
        var source = Snippets.ContextEngine().Replace("[CompressionEngine", "public static class Outer\n{\n[CompressionEngine", System.StringComparison.Ordinal) + "}\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        result.Single("CM0013", Snippets.Path, 12, 29, 44);
    }

    [Fact]
    public void CM0013_an_engine_without_tools_need_not_be_partial()
    {
        var source = Snippets.ContextEngine(modifiers: "public sealed").Replace("    [EngineTool(\"ping\", Description = \"Answers pong.\")]\n", "", System.StringComparison.Ordinal);
        new AnalyzerRunner().Source(Snippets.Path, source).Run().NoneOfOurs();
    }

    [Theory]
    [InlineData("public static", 26, "it is static")]
    [InlineData("private", 20, "it is not public")]
    [InlineData("internal", 21, "it is not public")]
    public void CM0017_a_tool_method_that_is_static_or_not_public_is_reported_at_its_name(string modifiers, int column, string reason)
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.ContextEngine(toolModifiers: modifiers)).Run();
        var diagnostic = result.Single("CM0017", Snippets.Path, 15, column, column + 4, DiagnosticSeverity.Error);
        Assert.Contains(reason, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0017_a_tool_on_a_compression_engine_is_reported()
    {
        var source = Snippets.CompressionEngine().Replace("{\n", "{\n    [EngineTool(\"ping\")]\n    public string Ping() => \"pong\";\n", System.StringComparison.Ordinal);
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        var diagnostic = result.Single("CM0017", Snippets.Path, 13, 19, 23);
        Assert.Contains("not a context engine", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        result.None("CM0013");
    }
}
