using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Engines;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

public sealed class MakeEnginePartialCodeFixTests
{
    private const string Path = "/project/MyContextEngine.cs";

    [Fact]
    public async Task Adds_partial_after_the_other_modifiers()
    {
        var source = Snippets.ContextEngine(modifiers: "public sealed");
        var result = await new CodeFixRunner().Source(Path, source)
            .ApplyAsync(new MakeEnginePartialCodeFix(), "CM0013", MakeEnginePartialCodeFix.EquivalenceKey);

        Assert.Equal(source.Replace("public sealed class MyContextEngine", "public sealed partial class MyContextEngine", System.StringComparison.Ordinal), result.Source(Path));
        result.AssertFixed("CM0013");
    }

    [Fact]
    public async Task Offers_one_action_with_a_title_naming_the_class()
    {
        var actions = await new CodeFixRunner().Source(Path, Snippets.ContextEngine(modifiers: "public sealed"))
            .ActionsAsync(new MakeEnginePartialCodeFix(), "CM0013");

        var action = Assert.Single(actions);
        Assert.Equal("Make 'MyContextEngine' partial", action.Title);
        Assert.Equal(MakeEnginePartialCodeFix.EquivalenceKey, action.EquivalenceKey);
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_engines_in_every_document()
    {
        var second = Snippets.ContextEngine(id: "other_context", name: "\"other_context\"", modifiers: "public sealed")
            .Replace("MyContextEngine", "OtherContextEngine", System.StringComparison.Ordinal);
        var result = await new CodeFixRunner()
            .Source(Path, Snippets.ContextEngine(modifiers: "public sealed"))
            .Source("/project/OtherContextEngine.cs", second)
            .FixAllAsync(new MakeEnginePartialCodeFix(), "CM0013", MakeEnginePartialCodeFix.EquivalenceKey, FixAllScope.Project);

        Assert.Contains("public sealed partial class MyContextEngine", result.Source(Path), System.StringComparison.Ordinal);
        Assert.Contains("public sealed partial class OtherContextEngine", result.Source("/project/OtherContextEngine.cs"), System.StringComparison.Ordinal);
        result.AssertFixed("CM0013");
        Assert.Empty(result.Diagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
    }
}
