using System;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>The catalogue is a public contract: every ID has a descriptor, a help page and a release-tracking entry.</summary>
public sealed class CatalogueTests
{
    private static readonly DiagnosticDescriptor[] Descriptors = typeof(Engines.EngineIdAnalyzer).Assembly
        .GetType("CompactMemory.Analyzers.Diagnostics.DiagnosticDescriptors", throwOnError: true)!
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void All_eighteen_ids_are_defined_once()
    {
        Assert.Equal(Enumerable.Range(1, 18).Select(i => $"CM{i:0000}"), Descriptors.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_descriptor_has_a_help_page_that_exists()
    {
        foreach (var descriptor in Descriptors)
        {
            Assert.Equal("docs/diagnostics/" + descriptor.Id + ".md", descriptor.HelpLinkUri);
            var page = Path.Combine(AnalyzerRunner.RepoRoot, descriptor.HelpLinkUri);
            Assert.True(File.Exists(page), page);
            var text = File.ReadAllText(page);
            Assert.StartsWith("# " + descriptor.Id, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_descriptor_is_in_the_unshipped_release_with_its_category_and_severity()
    {
        var unshipped = File.ReadAllText(Path.Combine(AnalyzerRunner.RepoRoot, "analyzers/CompactMemory.Analyzers/AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in Descriptors)
        {
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Implemented_ids_say_so_in_their_page_and_planned_ones_say_they_are_planned()
    {
        var implemented = AnalyzerRunner.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var descriptor in Descriptors)
        {
            var text = File.ReadAllText(Path.Combine(AnalyzerRunner.RepoRoot, descriptor.HelpLinkUri));
            Assert.True(implemented.Contains(descriptor.Id) ? text.Contains("Reported from version", StringComparison.Ordinal) : text.Contains("Planned", StringComparison.Ordinal), descriptor.Id);
        }
    }

    [Fact]
    public void Every_analyzer_enables_concurrency_and_skips_generated_code()
    {
        // Checked in each analyzer's source file, which is named after the analyzer.
        foreach (var analyzer in AnalyzerRunner.AllAnalyzers)
        {
            var source = File.ReadAllText(Directory.GetFiles(Path.Combine(AnalyzerRunner.RepoRoot, "analyzers/CompactMemory.Analyzers"), analyzer.GetType().Name + ".cs", SearchOption.AllDirectories).Single());
            Assert.Contains("context.EnableConcurrentExecution();", source, StringComparison.Ordinal);
            Assert.Contains("context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);", source, StringComparison.Ordinal);
        }
    }
}
