using System;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Engines;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

public sealed class ReturnEngineIdFromNameCodeFixTests
{
    private const string Path = "/project/MyContextEngine.cs";

    [Fact]
    public async Task Replaces_the_literal_with_the_id()
    {
        var result = await new CodeFixRunner().Source(Path, Snippets.ContextEngine(name: "\"other\" /* old */"))
            .ApplyAsync(new ReturnEngineIdFromNameCodeFix(), "CM0012", ReturnEngineIdFromNameCodeFix.EquivalenceKey);

        Assert.Equal(Snippets.ContextEngine(name: "\"my_context\" /* old */"), result.Source(Path));
        result.AssertFixed("CM0012");
    }

    [Fact]
    public async Task Replaces_a_const_reference_and_leaves_the_const_alone()
    {
        const string Const = "{\n    private const string Id = \"elsewhere\";\n";
        var source = Snippets.ContextEngine(name: "Id").Replace("{\n", Const, StringComparison.Ordinal);
        var result = await new CodeFixRunner().Source(Path, source)
            .ApplyAsync(new ReturnEngineIdFromNameCodeFix(), "CM0012", ReturnEngineIdFromNameCodeFix.EquivalenceKey);

        Assert.Equal(Snippets.ContextEngine(name: "\"my_context\"").Replace("{\n", Const, StringComparison.Ordinal), result.Source(Path));
        result.AssertFixed("CM0012");
    }

    [Fact]
    public async Task Replaces_the_value_a_getter_block_returns()
    {
        var source = Snippets.ContextEngine().Replace("public override string Name => \"my_context\";", "public override string Name { get { return \"x\"; } }", StringComparison.Ordinal);
        var result = await new CodeFixRunner().Source(Path, source)
            .ApplyAsync(new ReturnEngineIdFromNameCodeFix(), "CM0012", ReturnEngineIdFromNameCodeFix.EquivalenceKey);

        Assert.Equal(source.Replace("return \"x\";", "return \"my_context\";", StringComparison.Ordinal), result.Source(Path));
        result.AssertFixed("CM0012");
    }

    [Fact]
    public async Task Offers_one_action_naming_the_id()
    {
        var actions = await new CodeFixRunner().Source(Path, Snippets.ContextEngine(name: "\"other\""))
            .ActionsAsync(new ReturnEngineIdFromNameCodeFix(), "CM0012");

        var action = Assert.Single(actions);
        Assert.Equal("Return the engine id \"my_context\" from Name", action.Title);
        Assert.Equal(ReturnEngineIdFromNameCodeFix.EquivalenceKey, action.EquivalenceKey);
    }

    [Fact]
    public async Task An_id_with_quotes_and_backslashes_is_escaped()
    {
        // Not a valid engine id (CM0001 says so), but the literal must still compile and match.
        var result = await new CodeFixRunner().Source(Path, Snippets.ContextEngine(id: "a\\\\b\\\"c", name: "\"other\""))
            .ApplyAsync(new ReturnEngineIdFromNameCodeFix(), "CM0012", ReturnEngineIdFromNameCodeFix.EquivalenceKey);

        Assert.Contains("public override string Name => \"a\\\\b\\\"c\";", result.Source(Path), StringComparison.Ordinal);
        result.AssertFixed("CM0012");
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_every_engine()
    {
        const string Other = "/project/OtherContextEngine.cs";
        var second = Snippets.ContextEngine(id: "other_context", name: "\"nope\"").Replace("MyContextEngine", "OtherContextEngine", StringComparison.Ordinal);
        var result = await new CodeFixRunner()
            .Source(Path, Snippets.ContextEngine(name: "\"wrong\""))
            .Source(Other, second)
            .FixAllAsync(new ReturnEngineIdFromNameCodeFix(), "CM0012", ReturnEngineIdFromNameCodeFix.EquivalenceKey, FixAllScope.Project);

        Assert.Equal(Snippets.ContextEngine(), result.Source(Path));
        Assert.Equal(second.Replace("\"nope\"", "\"other_context\"", StringComparison.Ordinal), result.Source(Other));
        result.AssertFixed("CM0012");
    }
}
