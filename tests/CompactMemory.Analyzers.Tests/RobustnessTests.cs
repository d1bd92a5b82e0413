using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>Half-typed code and hostile manifests never make an analyzer throw (no AD0001, no exception).</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> SampleEngineFiles => new()
    {
        "samples/ExtractiveSummarizer/ExtractiveSummarizerEngine.cs",
        "samples/SearchableHistory/SearchableHistoryEngine.cs",
    };

    [Theory]
    [MemberData(nameof(SampleEngineFiles))]
    public void Every_line_prefix_of_a_sample_engine_is_analyzed_without_exceptions(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(AnalyzerRunner.RepoRoot, relativePath));
        var manifest = Snippets.Manifest(id: "wrong_id", className: "Nope.Missing", module: "Other");
        var cuts = new List<int> { 0 };
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            cuts.Add(i);
            cuts.Add(i + 1);
        }

        foreach (var cut in cuts.Distinct())
        {
            var result = new AnalyzerRunner().Source("/project/Prefix.cs", text[..cut]).Manifest(manifest).Run();
            Assert.True(result.Exceptions.IsEmpty && result.Diagnostics.All(d => d.Id != "AD0001"), $"At offset {cut}:\n" + string.Join("\n", result.Exceptions) + result.Describe());
        }
    }

    public static TheoryData<string, string> CorruptedManifests
    {
        get
        {
            var bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for (var level = 'b'; level <= 'j'; level++)
            {
                var previous = (char)(level - 1);
                bomb.Append(level).Append(": &").Append(level).Append(" [*").Append(previous).Append(", *").Append(previous).Append(", *").Append(previous)
                    .Append(", *").Append(previous).Append(", *").Append(previous).Append(", *").Append(previous).Append(", *").Append(previous)
                    .Append(", *").Append(previous).Append(", *").Append(previous).Append(", *").Append(previous).Append("]\n");
            }

            var deep = new string('[', 200) + new string(']', 200);
            var twoMegabytes = "engine_id: my_engine\ndescription: \"" + new string('x', 2 * 1024 * 1024) + "\"\n";
            return new()
            {
                { "invalid yaml", "engine_id: [unclosed\n  : : :\n\t- tab" },
                { "alias bomb", bomb.ToString() },
                { "deep nesting", deep },
                { "2 MB", twoMegabytes },
                { "empty", "" },
                { "only a comment", "# nothing\n" },
                { "scalar root", "just a string" },
                { "two documents", "engine_id: a\n---\nengine_id: b\n" },
                { "undefined alias", "engine_id: *nowhere\n" },
                { "duplicate keys", Snippets.Manifest() + "engine_id: again\n" },
                { "binary", "\0\u0001\u0002\uFFFE\uD800" },
                { "complex key", "? [a, b]\n: c\n" },
                { "tagged values", "engine_id: !!int 5\nversion: !custom 1.0\nauthors: !!str x\n" },
                { "no newline at end", "engine_id: my_engine" },
                { "CRLF", Snippets.Manifest().Replace("\n", "\r\n", System.StringComparison.Ordinal) },
            };
        }
    }

    [Theory]
    [MemberData(nameof(CorruptedManifests))]
    public void Corrupted_manifests_are_analyzed_without_exceptions(string name, string manifest)
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest(manifest).Run();
        Assert.True(result.Exceptions.IsEmpty, name + ":\n" + string.Join("\n", result.Exceptions));
        result.NoExceptions();
    }

    [Fact]
    public void An_alias_bomb_is_reported_as_CM0004()
    {
        var bomb = CorruptedManifests.First(row => (string)row[0] == "alias bomb")[1];
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest((string)bomb).Run();
        Assert.Contains(result.Diagnostics, d => d.Id == "CM0004");
    }

    [Fact]
    public void A_manifest_over_the_size_limit_is_reported_as_CM0004_at_the_first_line()
    {
        var big = CorruptedManifests.First(row => (string)row[0] == "2 MB")[1];
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.CompressionEngine()).Manifest((string)big).Run();
        var diagnostic = result.Single("CM0004", Snippets.ManifestPath, 1, 1, 21);
        Assert.Contains("at most", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }
}
