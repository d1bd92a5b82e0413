using System.Linq;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0010 (at the class name) and CM0012 (at the Name property).</summary>
public sealed class ContextEngineTests
{
    [Fact]
    public void A_correct_context_engine_reports_nothing_and_compiles()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.ContextEngine()).Run();
        result.NoneOfOurs();
        Assert.Empty(result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void CM0010_a_counter_hidden_by_a_non_int_property_is_reported_at_the_class_name()
    {
        var source = Snippets.ContextEngine().Replace("    public override string Name", "    public new long LastTotalTokens => 0;\n    public override string Name", System.StringComparison.Ordinal);
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        var diagnostic = result.Single("CM0010", Snippets.Path, 10, 29, 44, DiagnosticSeverity.Error);
        Assert.Contains("'LastTotalTokens'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0010_an_implementation_without_counters_gets_one_diagnostic_per_counter()
    {
        var source = Snippets.Header + "public sealed class Bare : IContextEngine\n{\n}\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        var missing = result.Diagnostics.Where(d => d.Id == "CM0010").ToArray();
        Assert.Equal(6, missing.Length);
        Assert.All(missing, d => AnalyzerResult.AssertAt(d, Snippets.Path, 9, 21, 25));
    }

    [Fact]
    public void CM0012_a_constant_name_that_differs_from_the_id_is_reported_at_Name()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.ContextEngine(name: "\"other\"")).Run();
        var diagnostic = result.Single("CM0012", Snippets.Path, 12, 28, 32, DiagnosticSeverity.Error);
        Assert.Contains("return \"my_context\"", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CM0012_constants_through_const_fields_are_judged_too()
    {
        var source = Snippets.ContextEngine(name: "Id").Replace("{\n", "{\n    private const string Id = \"elsewhere\";\n", System.StringComparison.Ordinal);
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        result.Single("CM0012", Snippets.Path, 13, 28, 32);
    }

    [Fact]
    public void CM0012_non_constant_names_are_not_judged()
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.ContextEngine(name: "GetType().Name")).Run();
        result.None("CM0012");
    }
}
