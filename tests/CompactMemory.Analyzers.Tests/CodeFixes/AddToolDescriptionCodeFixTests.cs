using System;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Tools;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

public sealed class AddToolDescriptionCodeFixTests
{
    private const string Path = "/project/MyContextEngine.cs";

    private const string Tool = "    [EngineTool(\"search\")]\n    public string Search(string query, int limit, CancellationToken cancellationToken) => \"\";\n";

    /// <summary>The header with <c>using System.ComponentModel;</c> where the import adder puts it, in order.</summary>
    private static string WithUsing(string source) =>
        source.Replace("using System.Collections.Generic;\n", "using System.Collections.Generic;\nusing System.ComponentModel;\n", StringComparison.Ordinal);

    private static string EngineWith(string members) => Snippets.ContextEngineWith(members);

    [Fact]
    public async Task Adds_the_attribute_to_the_tool_method_on_its_own_line_and_the_using()
    {
        var result = await new CodeFixRunner().Source(Path, EngineWith(Tool))
            .ApplyAsync(new AddToolDescriptionCodeFix(), "CM0016", AddToolDescriptionCodeFix.EquivalenceKey);

        var expected = WithUsing(EngineWith(
            "    [EngineTool(\"search\")]\n" +
            "    [Description(\"TODO: describe what Search does and when to call it.\")]\n" +
            "    public string Search(string query, int limit, CancellationToken cancellationToken) => \"\";\n"));
        Assert.Equal(expected, result.Source(Path));
        Assert.Equal(2, result.Diagnostics().Count(d => d.Id == "CM0016")); // the parameters are still undescribed
    }

    [Fact]
    public async Task Adds_the_attribute_before_a_parameter()
    {
        var result = await new CodeFixRunner().Source(Path, EngineWith(Tool))
            .ApplyAsync(new AddToolDescriptionCodeFix(), "CM0016", AddToolDescriptionCodeFix.EquivalenceKey, index: 2);

        var expected = WithUsing(EngineWith(Tool.Replace("int limit", "[Description(\"TODO: describe limit.\")] int limit", StringComparison.Ordinal)));
        Assert.Equal(expected, result.Source(Path));
    }

    [Fact]
    public async Task Keeps_existing_attributes_and_doc_comments_and_an_existing_using()
    {
        var tool =
            "    /// <remarks>Slow.</remarks>\n" +
            "    [EngineTool(\"search\")]\n" +
            "    [System.Obsolete]\n" +
            "    public string Search([System.Diagnostics.CodeAnalysis.NotNull] string query) => \"\";\n";
        var source = WithUsing(EngineWith(tool));
        var result = await new CodeFixRunner().Source(Path, source)
            .FixAllAsync(new AddToolDescriptionCodeFix(), "CM0016", AddToolDescriptionCodeFix.EquivalenceKey, FixAllScope.Document);

        var expected = WithUsing(EngineWith(
            "    /// <remarks>Slow.</remarks>\n" +
            "    [EngineTool(\"search\")]\n" +
            "    [System.Obsolete]\n" +
            "    [Description(\"TODO: describe what Search does and when to call it.\")]\n" +
            "    public string Search([System.Diagnostics.CodeAnalysis.NotNull, Description(\"TODO: describe query.\")] string query) => \"\";\n"));
        Assert.Equal(expected, result.Source(Path));
        result.AssertFixed("CM0016");
    }

    [Fact]
    public async Task Offers_one_action_per_diagnostic_naming_the_method_or_parameter()
    {
        var runner = new CodeFixRunner().Source(Path, EngineWith(Tool));
        var titles = new string[3];
        for (var index = 0; index < 3; index++)
        {
            var action = Assert.Single(await runner.ActionsAsync(new AddToolDescriptionCodeFix(), "CM0016", index));
            Assert.Equal(AddToolDescriptionCodeFix.EquivalenceKey, action.EquivalenceKey);
            titles[index] = action.Title;
        }

        Assert.Equal(["Add [Description] to tool method 'Search'", "Add [Description] to parameter 'query'", "Add [Description] to parameter 'limit'"], titles);
    }

    [Fact]
    public async Task Fix_all_in_the_document_describes_the_tool_and_its_parameters_with_one_using()
    {
        var result = await new CodeFixRunner().Source(Path, EngineWith(Tool))
            .FixAllAsync(new AddToolDescriptionCodeFix(), "CM0016", AddToolDescriptionCodeFix.EquivalenceKey, FixAllScope.Document);

        var expected = WithUsing(EngineWith(
            "    [EngineTool(\"search\")]\n" +
            "    [Description(\"TODO: describe what Search does and when to call it.\")]\n" +
            "    public string Search([Description(\"TODO: describe query.\")] string query, [Description(\"TODO: describe limit.\")] int limit, CancellationToken cancellationToken) => \"\";\n"));
        Assert.Equal(expected, result.Source(Path));
        result.AssertFixed("CM0016");
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_every_document()
    {
        const string Other = "/project/OtherContextEngine.cs";
        var second = Snippets.ContextEngineWith("    [EngineTool(\"find\")]\n    public string Find(string text) => text;\n", id: "other_context", name: "\"other_context\"")
            .Replace("MyContextEngine", "OtherContextEngine", StringComparison.Ordinal);
        var result = await new CodeFixRunner()
            .Source(Path, EngineWith(Tool))
            .Source(Other, second)
            .FixAllAsync(new AddToolDescriptionCodeFix(), "CM0016", AddToolDescriptionCodeFix.EquivalenceKey, FixAllScope.Project);

        Assert.Equal(
            WithUsing(second.Replace(
                "    public string Find(string text)",
                "    [Description(\"TODO: describe what Find does and when to call it.\")]\n    public string Find([Description(\"TODO: describe text.\")] string text)",
                StringComparison.Ordinal)),
            result.Source(Other));
        Assert.Contains("using System.ComponentModel;\n", result.Source(Path), StringComparison.Ordinal);
        result.AssertFixed("CM0016");
    }

    [Fact]
    public async Task Stays_qualified_when_another_Description_is_in_scope()
    {
        var source = EngineWith(Tool) + "internal sealed class Description : System.Attribute\n{\n}\n";
        var result = await new CodeFixRunner().Source(Path, source)
            .ApplyAsync(new AddToolDescriptionCodeFix(), "CM0016", AddToolDescriptionCodeFix.EquivalenceKey);

        Assert.Contains("    [System.ComponentModel.Description(\"TODO: describe what Search does and when to call it.\")]\n", result.Source(Path), StringComparison.Ordinal);
        Assert.DoesNotContain("using System.ComponentModel;", result.Source(Path), StringComparison.Ordinal);
        Assert.Equal(2, result.Diagnostics().Count(d => d.Id == "CM0016"));
    }
}
