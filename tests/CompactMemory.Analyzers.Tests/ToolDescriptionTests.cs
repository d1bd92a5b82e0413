using System.Linq;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0015 (at the tool-name argument) and CM0016 (at the method or parameter name).</summary>
public sealed class ToolDescriptionTests
{
    private static string EngineWith(string body) => Snippets.ContextEngineWith(body);

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("this_name_is_much_too_long_for_any_model_provider_to_accept_it_at_all")]
    public void CM0015_an_invalid_tool_name_is_reported_at_the_name(string name)
    {
        var source = EngineWith($"    [EngineTool(\"{name}\", Description = \"d\")]\n    public string Tool() => \"\";\n");

        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();

        var diagnostic = result.Single("CM0015", Snippets.Path, 14, 17, 19 + name.Length, DiagnosticSeverity.Error);
        Assert.Contains("is not a valid tool name", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0015_a_name_used_twice_is_reported_on_the_later_method_and_names_the_first()
    {
        var source = EngineWith(
            "    [EngineTool(\"lookup\", Description = \"d\")]\n    public string First() => \"\";\n" +
            "    [EngineTool(\"lookup\", Description = \"d\")]\n    public string Second() => \"\";\n");

        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();

        var diagnostic = result.Single("CM0015", Snippets.Path, 16, 17, 25);
        Assert.Equal("Tool name 'lookup' is already used by method 'First'; use a unique name matching ^[a-zA-Z0-9_-]{1,64}$", diagnostic.GetMessage());
    }

    [Fact]
    public void CM0016_a_tool_without_any_description_is_reported_at_the_method_and_each_parameter()
    {
        var source = EngineWith("    [EngineTool(\"search\")]\n    public string Search(string query, int limit, CancellationToken cancellationToken) => \"\";\n");

        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        var found = result.Ours.Where(d => d.Id == "CM0016").OrderBy(d => d.Location.SourceSpan.Start).ToArray();

        Assert.Equal(3, found.Length);
        AnalyzerResult.AssertAt(found[0], Snippets.Path, 15, 19, 25);
        AnalyzerResult.AssertAt(found[1], Snippets.Path, 15, 33, 38);
        AnalyzerResult.AssertAt(found[2], Snippets.Path, 15, 44, 49);
        Assert.Equal(DiagnosticSeverity.Info, found[0].Severity);
        Assert.Equal("Tool 'search' has no description; add [Description(\"...\")] or an XML doc comment", found[0].GetMessage());
        Assert.Equal("Parameter 'limit' of tool 'search' has no description; add [Description(\"...\")] or an XML doc comment", found[2].GetMessage());
    }

    [Theory]
    [InlineData("    [EngineTool(\"search\"), System.ComponentModel.Description(\"Searches.\")]\n    public string Search([System.ComponentModel.Description(\"Words.\")] string query) => \"\";\n")]
    [InlineData("    [EngineTool(\"search\", Description = \"Searches.\")]\n    public string Search([System.ComponentModel.Description(\"Words.\")] string query) => \"\";\n")]
    [InlineData("    /// <summary>Searches.</summary>\n    /// <param name=\"query\">Words.</param>\n    [EngineTool(\"search\")]\n    public string Search(string query) => \"\";\n")]
    public void CM0016_descriptions_from_attributes_or_doc_comments_are_enough(string body)
    {
        new AnalyzerRunner().Source(Snippets.Path, EngineWith(body)).Run().None("CM0016");
    }

    [Fact]
    public void The_sample_context_engine_is_fully_described()
    {
        var runner = new AnalyzerRunner();
        foreach (var file in System.IO.Directory.GetFiles(System.IO.Path.Combine(AnalyzerRunner.RepoRoot, "samples", "SearchableHistory"), "*.cs"))
        {
            runner.Source(file, System.IO.File.ReadAllText(file));
        }

        var result = runner.Run();

        result.None("CM0015");
        result.None("CM0016");
    }
}
