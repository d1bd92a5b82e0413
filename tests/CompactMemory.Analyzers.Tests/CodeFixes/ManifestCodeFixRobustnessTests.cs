using System;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Manifest;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

/// <summary>On odd manifests the manifest fixes never throw, and whatever they offer leaves a manifest that still reads.</summary>
public sealed class ManifestCodeFixRobustnessTests
{
    public static TheoryData<string> Manifests() => new()
    {
        string.Empty,
        "# only a comment\n",
        "engine_id: my_engine",
        "{engine_id: my_engine, version: 1.0}\n",
        "  engine_id: my_engine\n  version: 1.0\n",
        "engine_id: \"unterminated\nversion: 1.0\n",
        "engine_id: my_engine\ndisplay_name: |\n  block\n  text\nversion: [1, 0]\nauthors: Jane\ndescription:\n  nested: mapping\n",
        "engine_id: my_engine\r\nengine_module: a/b.dll\r\npackage_format_version: 2.0\r\n",
        "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nengine_id: my_engine\n",
    };

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task Every_offered_manifest_fix_applies_and_the_manifest_still_reads(string manifest)
    {
        var runner = new CodeFixRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(manifest);
        var diagnostics = await CodeFixRunner.AnalyzeAsync(runner.CreateProject());
        var hadInvalidYaml = diagnostics.Any(d => d.Id == "CM0004");
        CodeFixProvider[] providers = [new EngineIdMatchesManifestCodeFix(), new ManifestValueCodeFix(), new ManifestFieldCodeFix()];
        foreach (var provider in providers)
        {
            foreach (var id in provider.FixableDiagnosticIds)
            {
                var count = diagnostics.Count(d => d.Id == id);
                for (var i = 0; i < count; i++)
                {
                    foreach (var action in await runner.ActionsAsync(provider, id, i))
                    {
                        var result = await runner.ApplyAsync(provider, id, action.EquivalenceKey!, i);
                        if (!hadInvalidYaml)
                        {
                            Assert.DoesNotContain(result.Diagnostics(), d => d.Id == "CM0004");
                        }
                    }
                }
            }
        }
    }
}
