using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Manifest;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

/// <summary>CM0001, CM0002, CM0003, CM0018: the manifest, the code and the project agree again, by one minimal edit.</summary>
public sealed class ManifestCodeFixTests
{
    private const string Path = Snippets.Path;

    [Fact]
    public async Task CM0001_offers_both_directions_with_titles_naming_the_ids()
    {
        var actions = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(id: "other_id"))
            .ActionsAsync(new EngineIdMatchesManifestCodeFix(), "CM0001");

        Assert.Equal(
            new[]
            {
                (EngineIdMatchesManifestCodeFix.UseManifestIdKey, "Use the manifest's engine id 'other_id' in [CompressionEngine]"),
                (EngineIdMatchesManifestCodeFix.UpdateManifestKey, "Set engine_id in engine_package.yaml to 'my_engine'"),
            },
            actions.Select(a => (a.EquivalenceKey!, a.Title)));
    }

    [Fact]
    public async Task CM0001_use_manifest_id_rewrites_the_attribute_literal()
    {
        var result = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(id: "other_id"))
            .ApplyAsync(new EngineIdMatchesManifestCodeFix(), "CM0001", EngineIdMatchesManifestCodeFix.UseManifestIdKey);

        Assert.Equal(Snippets.CompressionEngine(id: "other_id"), result.Source(Path));
        Assert.Equal(Snippets.Manifest(id: "other_id"), result.Additional());
        result.AssertFixed("CM0001");
    }

    [Fact]
    public async Task CM0001_update_manifest_edits_only_the_engine_id_value_and_keeps_comments()
    {
        var manifest = Snippets.Manifest(id: "'other_id'   # the old name").Replace("display_name", "# a comment\ndisplay_name", StringComparison.Ordinal);
        var result = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(manifest)
            .ApplyAsync(new EngineIdMatchesManifestCodeFix(), "CM0001", EngineIdMatchesManifestCodeFix.UpdateManifestKey);

        Assert.Equal(manifest.Replace("'other_id'", "'my_engine'", StringComparison.Ordinal), result.Additional());
        Assert.Equal(Snippets.CompressionEngine(), result.Source(Path));
        result.AssertFixed("CM0001");
    }

    [Fact]
    public async Task CM0001_a_constant_id_is_not_rewritten_but_the_manifest_can_be()
    {
        var source = Snippets.CompressionEngine().Replace("[CompressionEngine(\"my_engine\")]", "[CompressionEngine(Ids.Mine)]", StringComparison.Ordinal)
            + "internal static class Ids { public const string Mine = \"my_engine\"; }\n";
        var actions = await new CodeFixRunner().Source(Path, source).Manifest(Snippets.Manifest(id: "other_id"))
            .ActionsAsync(new EngineIdMatchesManifestCodeFix(), "CM0001");

        Assert.Equal(new[] { EngineIdMatchesManifestCodeFix.UpdateManifestKey }, actions.Select(a => a.EquivalenceKey));
    }

    [Fact]
    public async Task CM0001_fix_all_uses_the_manifest_id_in_every_engine_it_concerns()
    {
        // The manifest names no engine class, so every engine must carry its id.
        var result = await new CodeFixRunner()
            .Source(Path, Snippets.CompressionEngine(id: "first"))
            .Source("/project/Second.cs", Snippets.CompressionEngine(id: "second", className: "SecondEngine"))
            .Manifest(Snippets.Manifest(id: "my_engine", className: "Contoso.Engines.Gone"))
            .FixAllAsync(new EngineIdMatchesManifestCodeFix(), "CM0001", EngineIdMatchesManifestCodeFix.UseManifestIdKey, FixAllScope.Project);

        Assert.Equal(Snippets.CompressionEngine(), result.Source(Path));
        Assert.Equal(Snippets.CompressionEngine(className: "SecondEngine"), result.Source("/project/Second.cs"));
        Assert.Empty(result.Diagnostics().Where(d => d.Id == "CM0001"));
    }

    [Fact]
    public void CM0001_fix_all_is_not_offered_for_the_manifest_edit()
    {
        Assert.NotNull(new EngineIdMatchesManifestCodeFix().GetFixAllProvider());
    }

    [Fact]
    public async Task CM0001_reported_in_the_manifest_finds_the_attributed_class_through_the_compilation()
    {
        // The analyzer reports at the attribute; a host that moves the diagnostic to the manifest line still gets both fixes.
        var project = new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(id: "other_id")).CreateProject();
        var manifest = project.AdditionalDocuments.Single();
        var text = await manifest.GetTextAsync();
        var span = text.Lines[1].Span;
        var descriptor = new DiagnosticDescriptor("CM0001", "t", "m", "CompactMemory.Manifest", DiagnosticSeverity.Error, isEnabledByDefault: true);
        var diagnostic = Diagnostic.Create(descriptor, Location.Create(Snippets.ManifestPath, span, text.Lines.GetLinePositionSpan(span)));
        var actions = new List<CodeAction>();
        await new EngineIdMatchesManifestCodeFix().RegisterCodeFixesAsync(new CodeFixContext(manifest, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
        Assert.Equal(new[] { EngineIdMatchesManifestCodeFix.UseManifestIdKey, EngineIdMatchesManifestCodeFix.UpdateManifestKey }, actions.Select(a => a.EquivalenceKey));

        var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetProject(project.Id)!;
        Assert.Equal(Snippets.CompressionEngine(id: "other_id"), (await changed.Documents.Single().GetTextAsync()).ToString());
    }

    [Fact]
    public async Task CM0002_sets_engine_class_name_to_the_engine_class()
    {
        var manifest = Snippets.Manifest(className: "Contoso.Engines.Missing");
        var runner = new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(manifest);
        var action = Assert.Single(await runner.ActionsAsync(new ManifestValueCodeFix(), "CM0002"));
        Assert.Equal((ManifestValueCodeFix.ClassNameKey, "Set engine_class_name in engine_package.yaml to 'Contoso.Engines.MyEngine'"), (action.EquivalenceKey, action.Title));

        var result = await runner.ApplyAsync(new ManifestValueCodeFix(), "CM0002", ManifestValueCodeFix.ClassNameKey);
        Assert.Equal(Snippets.Manifest(), result.Additional());
        result.AssertFixed("CM0002");
    }

    [Fact]
    public async Task CM0002_keeps_double_quotes()
    {
        var result = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(className: "\"Contoso.Engines.Missing\""))
            .ApplyAsync(new ManifestValueCodeFix(), "CM0002", ManifestValueCodeFix.ClassNameKey);

        Assert.Equal(Snippets.Manifest(className: "\"Contoso.Engines.MyEngine\""), result.Additional());
        result.AssertFixed("CM0002");
    }

    [Fact]
    public async Task CM0002_is_not_offered_when_the_project_has_no_engine_class()
    {
        var source = Snippets.Header + "public sealed class Helper { }\n";
        var actions = await new CodeFixRunner().Source(Path, source).Manifest(Snippets.Manifest(className: "Contoso.Engines.Helper"))
            .ActionsAsync(new ManifestValueCodeFix(), "CM0002");
        Assert.Empty(actions);
    }

    [Fact]
    public async Task CM0003_sets_engine_module_to_the_assembly_name_keeping_a_trailing_comment()
    {
        var manifest = Snippets.Manifest(module: "Contoso.Other.dll-old  # renamed");
        var runner = new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(manifest);
        var action = Assert.Single(await runner.ActionsAsync(new ManifestValueCodeFix(), "CM0003"));
        Assert.Equal((ManifestValueCodeFix.ModuleKey, "Set engine_module in engine_package.yaml to 'Contoso.Engines'"), (action.EquivalenceKey, action.Title));

        var result = await runner.ApplyAsync(new ManifestValueCodeFix(), "CM0003", ManifestValueCodeFix.ModuleKey);
        Assert.Equal(Snippets.Manifest(module: "Contoso.Engines  # renamed"), result.Additional());
        result.AssertFixed("CM0003");
    }

    [Fact]
    public async Task CM0018_sets_version_to_the_project_version_quoted()
    {
        var runner = new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(version: "\"0.9.0\""))
            .BuildProperty("Version", "2.0");
        var action = Assert.Single(await runner.ActionsAsync(new ManifestValueCodeFix(), "CM0018"));
        Assert.Equal((ManifestValueCodeFix.VersionKey, "Set version in engine_package.yaml to '2.0'"), (action.EquivalenceKey, action.Title));

        var result = await runner.ApplyAsync(new ManifestValueCodeFix(), "CM0018", ManifestValueCodeFix.VersionKey);
        Assert.Equal(Snippets.Manifest(version: "\"2.0\""), result.Additional());
        result.AssertFixed("CM0018");
    }

    [Fact]
    public async Task CM0003_keeps_crlf_line_breaks()
    {
        var manifest = Snippets.Manifest(module: "Contoso.Other").Replace("\n", "\r\n", StringComparison.Ordinal);
        var result = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(manifest)
            .ApplyAsync(new ManifestValueCodeFix(), "CM0003", ManifestValueCodeFix.ModuleKey);

        Assert.Equal(Snippets.Manifest().Replace("\n", "\r\n", StringComparison.Ordinal), result.Additional());
        result.AssertFixed("CM0003");
    }

    [Fact]
    public void Manifest_value_fixes_have_no_fix_all()
    {
        Assert.Null(new ManifestValueCodeFix().GetFixAllProvider());
    }

    [Fact]
    public async Task The_edited_manifest_reads_back_with_the_shared_reader()
    {
        var result = await new CodeFixRunner().Source(Path, Snippets.CompressionEngine()).Manifest(Snippets.Manifest(module: "Contoso.Other"))
            .ApplyAsync(new ManifestValueCodeFix(), "CM0003", ManifestValueCodeFix.ModuleKey);
        // The analyzers read the manifest with the shared reader: no CM0004 (not YAML) and no CM0005 (a field unusable).
        Assert.Empty(result.Diagnostics().Where(d => d.Id is "CM0004" or "CM0005"));
    }
}
