using System;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Manifest;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

/// <summary>CM0005: a missing, empty or mistyped field gets a real value where the project has one, else a TODO placeholder.</summary>
public sealed class ManifestFieldCodeFixTests
{
    private const string Path = Snippets.Path;

    private static readonly string Full = Snippets.Manifest();

    private static string Without(string field) =>
        string.Concat(Full.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(field + ":", StringComparison.Ordinal)).Select(l => l + "\n"));

    private static CodeFixRunner Runner(string manifest) => new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(manifest);

    [Fact]
    public async Task A_missing_derivable_field_is_added_in_schema_order_with_the_real_value()
    {
        var result = await Runner(Without("engine_id")).ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);

        Assert.Equal(Full, result.Additional());
        result.AssertFixed("CM0005");
    }

    [Fact]
    public async Task A_missing_field_offers_one_action_titled_with_the_field()
    {
        var action = Assert.Single(await Runner(Without("engine_module")).ActionsAsync(new ManifestFieldCodeFix(), "CM0005"));
        Assert.Equal((ManifestFieldCodeFix.FixFieldKey, "Add 'engine_module' to engine_package.yaml"), (action.EquivalenceKey, action.Title));
    }

    [Fact]
    public async Task A_missing_description_gets_a_todo_placeholder_at_the_end()
    {
        var result = await Runner(Without("description")).ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);

        Assert.Equal(Without("description") + "description: \"TODO: describe what the engine does\"\n", result.Additional());
        result.AssertFixed("CM0005");
    }

    [Fact]
    public async Task A_version_yaml_reads_as_a_number_becomes_the_project_version_quoted()
    {
        var runner = new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(version: "1.0   # CM0005")).BuildProperty("Version", "2.1.0");
        var action = Assert.Single(await runner.ActionsAsync(new ManifestFieldCodeFix(), "CM0005"));
        Assert.Equal("Set 'version' in engine_package.yaml", action.Title);

        var result = await runner.ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);
        Assert.Equal(Snippets.Manifest(version: "\"2.1.0\"   # CM0005"), result.Additional());
        result.AssertFixed("CM0005");
        Assert.Empty(result.Diagnostics().Where(d => d.Id == "CM0018"));
    }

    [Fact]
    public async Task An_empty_display_name_takes_the_project_title_or_a_placeholder()
    {
        var empty = Full.Replace("display_name: My Engine", "display_name:", StringComparison.Ordinal);
        var titled = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(empty).BuildProperty("Title", "Contoso Engine")
            .ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);
        Assert.Equal(Full.Replace("My Engine", "Contoso Engine", StringComparison.Ordinal), titled.Additional());
        titled.AssertFixed("CM0005");

        var untitled = await Runner(empty).ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);
        Assert.Equal(Full.Replace("My Engine", "\"TODO: display name\"", StringComparison.Ordinal), untitled.Additional());
        untitled.AssertFixed("CM0005");
    }

    [Fact]
    public async Task A_display_name_yaml_reads_as_a_number_is_quoted_as_written()
    {
        var result = await Runner(Full.Replace("display_name: My Engine", "display_name: 2048", StringComparison.Ordinal))
            .ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);

        Assert.Equal(Full.Replace("display_name: My Engine", "display_name: \"2048\"", StringComparison.Ordinal), result.Additional());
        result.AssertFixed("CM0005");
    }

    [Fact]
    public async Task Missing_authors_come_from_the_project_authors()
    {
        var result = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Without("authors").Replace("  - Jane Doe\n", string.Empty, StringComparison.Ordinal))
            .BuildProperty("Authors", "Jane Doe, Bob")
            .ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);

        Assert.Equal(Full.Replace("  - Jane Doe\n", "  - \"Jane Doe\"\n  - \"Bob\"\n", StringComparison.Ordinal), result.Additional());
        result.AssertFixed("CM0005");
    }

    [Fact]
    public async Task An_empty_author_list_gets_a_placeholder_author()
    {
        var result = await Runner(Full.Replace("authors:\n  - Jane Doe\n", "authors: []   # who?\n", StringComparison.Ordinal))
            .ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixFieldKey);

        Assert.Equal(Full.Replace("authors:\n  - Jane Doe\n", "authors:   # who?\n  - \"TODO: author name\"\n", StringComparison.Ordinal), result.Additional());
        result.AssertFixed("CM0005");
    }

    [Fact]
    public async Task Several_problems_offer_fix_every_field_which_fixes_them_in_one_edit()
    {
        var manifest = "# my manifest\nengine_id: my_engine\nversion: 1.0\n";
        var actions = await Runner(manifest).ActionsAsync(new ManifestFieldCodeFix(), "CM0005");
        Assert.Equal(
            new[] { (ManifestFieldCodeFix.FixFieldKey, "Add 'package_format_version' to engine_package.yaml"), (ManifestFieldCodeFix.FixAllFieldsKey, "Fix every field of engine_package.yaml") },
            actions.Select(a => (a.EquivalenceKey!, a.Title)));

        var result = await Runner(manifest).ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixAllFieldsKey);
        Assert.Equal(
            "# my manifest\n" +
            "package_format_version: \"1.0\"\n" +
            "engine_id: my_engine\n" +
            "engine_class_name: Contoso.Engines.MyEngine\n" +
            "engine_module: Contoso.Engines\n" +
            "display_name: \"TODO: display name\"\n" +
            "version: \"1.0.0\"\n" +
            "authors:\n" +
            "  - \"TODO: author name\"\n" +
            "description: \"TODO: describe what the engine does\"\n",
            result.Additional());
        result.AssertFixed("CM0005");
        Assert.Empty(result.Diagnostics().Where(d => d.Id is "CM0001" or "CM0002" or "CM0003" or "CM0004" or "CM0018"));
    }

    [Fact]
    public async Task Fix_every_field_turns_an_empty_file_into_a_manifest_that_reads()
    {
        var result = await Runner(string.Empty).ApplyAsync(new ManifestFieldCodeFix(), "CM0005", ManifestFieldCodeFix.FixAllFieldsKey, index: 3);

        Assert.Equal(
            "package_format_version: \"1.0\"\n" +
            "engine_id: my_engine\n" +
            "engine_class_name: Contoso.Engines.MyEngine\n" +
            "engine_module: Contoso.Engines\n" +
            "display_name: \"TODO: display name\"\n" +
            "version: \"1.0.0\"\n" +
            "authors:\n" +
            "  - \"TODO: author name\"\n" +
            "description: \"TODO: describe what the engine does\"\n",
            result.Additional());
        result.AssertFixed("CM0005");
        Assert.Empty(result.Diagnostics().Where(d => d.Id is "CM0001" or "CM0002" or "CM0003" or "CM0004" or "CM0006"));
    }

    [Fact]
    public async Task A_duplicated_field_is_left_to_the_author()
    {
        var actions = await Runner(Full + "engine_module: Contoso.Engines\n").ActionsAsync(new ManifestFieldCodeFix(), "CM0005");
        Assert.Empty(actions);
    }

    [Fact]
    public async Task A_wrong_item_inside_authors_is_left_to_the_author()
    {
        var actions = await Runner(Full.Replace("  - Jane Doe\n", "  - Jane Doe\n  - 42\n", StringComparison.Ordinal)).ActionsAsync(new ManifestFieldCodeFix(), "CM0005");
        Assert.Empty(actions);
    }

    [Fact]
    public void There_is_no_fix_all_provider_fix_every_field_takes_its_place()
    {
        Assert.Null(new ManifestFieldCodeFix().GetFixAllProvider());
    }
}
