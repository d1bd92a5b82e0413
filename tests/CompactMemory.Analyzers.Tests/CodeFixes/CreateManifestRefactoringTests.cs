using System;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Manifest;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

/// <summary>Create engine_package.yaml: offered on [CompressionEngine] where the project has no manifest.</summary>
public sealed class CreateManifestRefactoringTests
{
    private const string Path = Snippets.Path;

    private const string Expected =
        "package_format_version: \"1.0\"\n" +
        "engine_id: \"my_engine\"\n" +
        "engine_class_name: \"Contoso.Engines.MyEngine\"\n" +
        "engine_module: \"Contoso.Engines\"\n" +
        "display_name: \"my_engine\"\n" +
        "version: \"1.0.0\"\n" +
        "authors:\n" +
        "  - \"Contoso.Engines\"\n" +
        "description: \"my_engine engine.\"\n";

    [Fact]
    public async Task Offers_one_refactoring_on_the_attribute_titled_with_the_id()
    {
        var action = Assert.Single(await new CodeFixRunner().Source(Path, Snippets.CompressionEngine())
            .RefactoringsAsync(new CreateManifestRefactoring(), Path, "CompressionEngine(\"my_engine\")"));
        Assert.Equal((CreateManifestRefactoring.EquivalenceKey, "Create engine_package.yaml for 'my_engine'"), (action.EquivalenceKey, action.Title));
    }

    [Fact]
    public async Task Creates_the_manifest_the_generator_would_write_next_to_the_project()
    {
        var result = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).ProjectFile("/project/Contoso.Engines.csproj")
            .ApplyRefactoringAsync(new CreateManifestRefactoring(), Path, "my_engine", CreateManifestRefactoring.EquivalenceKey);

        Assert.Equal(Expected, result.Additional("/project/engine_package.yaml"));
        result.AssertFixed("CM0005");
        Assert.Empty(result.Diagnostics().Where(d => d.Id.StartsWith("CM", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Takes_names_and_versions_from_the_attribute_and_the_project()
    {
        var source = Snippets.CompressionEngine().Replace("[CompressionEngine(\"my_engine\")]", "[CompressionEngine(\"my_engine\", DisplayName = \"My Engine\", Description = \"Keeps what matters.\")]", StringComparison.Ordinal);
        var result = await new CodeFixRunner().Source("/src/engines/Engine.cs", source).BuildProperty("Version", "2.0.0").BuildProperty("Authors", "Jane Doe, Bob")
            .ApplyRefactoringAsync(new CreateManifestRefactoring(), "/src/engines/Engine.cs", "MyEngine", CreateManifestRefactoring.EquivalenceKey);

        Assert.Equal(
            Expected.Replace("display_name: \"my_engine\"", "display_name: \"My Engine\"", StringComparison.Ordinal)
                .Replace("1.0.0", "2.0.0", StringComparison.Ordinal)
                .Replace("  - \"Contoso.Engines\"\n", "  - \"Jane Doe\"\n  - \"Bob\"\n", StringComparison.Ordinal)
                .Replace("my_engine engine.", "Keeps what matters.", StringComparison.Ordinal),
            result.Additional("/src/engines/engine_package.yaml"));
        Assert.Empty(result.Diagnostics().Where(d => d.Id.StartsWith("CM", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Is_not_offered_when_the_project_has_a_manifest()
    {
        Assert.Empty(await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest())
            .RefactoringsAsync(new CreateManifestRefactoring(), Path, "my_engine"));
    }

    [Fact]
    public async Task Is_not_offered_away_from_an_engine_or_on_another_attribute()
    {
        var source = Snippets.CompressionEngine() + "[System.Obsolete]\npublic sealed class Helper { }\n";
        var runner = new CodeFixRunner().Source(Path, source);
        Assert.Empty(await runner.RefactoringsAsync(new CreateManifestRefactoring(), Path, "Obsolete"));
        Assert.Empty(await runner.RefactoringsAsync(new CreateManifestRefactoring(), Path, "Compress("));
    }

    [Fact]
    public async Task Is_not_offered_while_the_id_is_not_a_string()
    {
        var source = Snippets.CompressionEngine().Replace("[CompressionEngine(\"my_engine\")]", "[CompressionEngine(null!)]", StringComparison.Ordinal);
        Assert.Empty(await new CodeFixRunner().Source(Path, source).RefactoringsAsync(new CreateManifestRefactoring(), Path, "CompressionEngine"));
    }
}
