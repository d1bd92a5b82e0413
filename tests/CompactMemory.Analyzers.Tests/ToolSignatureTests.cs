using System;
using System.Linq;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>CM0014: at the parameter's type or the method's return type, with the generator's reason and the supported types.</summary>
public sealed class ToolSignatureTests
{
    private const string ToolLine = "    [EngineTool(\"probe\", Description = \"Probes.\")]\n";

    /// <summary>A context engine whose one tool (declared on line 15) has the given signature; extra types follow the class.</summary>
    private static string Engine(string signature, string types = "") =>
        Snippets.ContextEngineWith(ToolLine + "    " + signature + "\n") + types;

    private static Diagnostic AssertAt(string signature, string marked, string reasonPart, string types = "")
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Engine(signature, types)).Run();
        result.NoExceptions();
        var column = ("    " + signature).IndexOf(marked, StringComparison.Ordinal) + 1;
        Assert.True(column > 0, "marker not in signature");
        var diagnostic = result.Single("CM0014", Snippets.Path, 15, column, column + marked.Length, DiagnosticSeverity.Error);
        var message = diagnostic.GetMessage();
        Assert.True(message.Contains(reasonPart, StringComparison.Ordinal), message);
        Assert.Contains("use string, bool, char, integer and floating-point numbers", message, StringComparison.Ordinal);
        return diagnostic;
    }

    [Fact]
    public void A_stream_parameter_is_reported_at_its_type_naming_parameter_tool_and_reason()
    {
        var diagnostic = AssertAt("public string Probe(System.IO.Stream file) => \"\";", "System.IO.Stream", "is a framework type other than the supported ones");
        Assert.StartsWith("Type 'System.IO.Stream' of parameter 'file' of tool 'probe' cannot be described as a JSON schema: ", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dictionary<string, string> map", "Dictionary<string, string>", "framework type other than the supported ones")]
    [InlineData("byte[] data", "byte[]", "base64")]
    [InlineData("int[,] grid", "int[,]", "multi-dimensional")]
    [InlineData("System.IComparable key", "System.IComparable", "is not a supported type")]
    [InlineData("System.IntPtr handle", "System.IntPtr", "struct other than the supported value types")]
    [InlineData("ref int count", "int", "ref, out or in parameter")]
    [InlineData("double ratio = double.NaN", "double", "default value of 'ratio' cannot be written as JSON")]
    [InlineData("Mode mode", "Mode", "[Flags] enum")]
    [InlineData("Node node", "Node", "contains itself")]
    [InlineData("Holder holder", "Holder", "property 'Contoso.Engines.Holder.Stream': 'System.IO.Stream?' is a framework type")]
    [InlineData("Shape shape", "Shape", "abstract")]
    [InlineData("Pair pair", "Pair", "no constructor System.Text.Json can use")]
    [InlineData("Twice twice", "Twice", "two properties named 'value'")]
    public void An_undescribable_parameter_is_reported_at_its_type(string parameter, string marked, string reason)
    {
        const string Types =
            "[System.Flags] public enum Mode { None = 0, A = 1, B = 2 }\n" +
            "public sealed class Node { public Node? Next { get; set; } }\n" +
            "public sealed class Holder { public System.IO.Stream? Stream { get; set; } }\n" +
            "public abstract class Shape { public int Sides { get; set; } }\n" +
            "public sealed class Pair { public Pair(int a) { A = a; } public Pair(int a, int b) { A = a; B = b; } public int A { get; } public int B { get; } }\n" +
            "public sealed class Twice { public int Value { get; set; } [System.Text.Json.Serialization.JsonPropertyName(\"value\")] public int Other { get; set; } }\n";
        AssertAt($"public string Probe({parameter}) => \"\";", marked, reason, Types);
    }

    [Theory]
    [InlineData("public System.IO.Stream Probe() => null!;", "System.IO.Stream", "is a framework type other than the supported ones")]
    [InlineData("public Task<System.IO.Stream> Probe() => null!;", "Task<System.IO.Stream>", "is a framework type other than the supported ones")]
    [InlineData("public ref int Probe() => ref _slot;", "ref int", "returns by reference")]
    [InlineData("public async void Probe() { await Task.Yield(); }", "void", "async void")]
    public void An_undescribable_result_is_reported_at_the_return_type(string signature, string marked, string reason)
    {
        var source = signature.Contains("_slot", StringComparison.Ordinal) ? signature + " private int _slot;" : signature;
        AssertAt(source, marked, reason);
    }

    [Fact]
    public void A_generic_tool_is_reported_at_its_type_parameters()
    {
        var diagnostic = AssertAt("public string Probe<T>(T value) => \"\";", "<T>", "is generic");
        Assert.StartsWith("Type 'T' of tool 'probe'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public string Probe(string text, int? count = null, Level level = Level.Low, CancellationToken cancellationToken = default) => \"\";")]
    [InlineData("public Task<Report> Probe(List<Query> queries, ToolCallContext context) => Task.FromResult(new Report());")]
    [InlineData("public ValueTask Probe(System.DateTimeOffset at, System.Guid id, System.Uri where, System.TimeSpan span, decimal money) => default;")]
    [InlineData("public void Probe(string[] words, IReadOnlyList<long> numbers) { }")]
    public void Describable_signatures_are_not_reported(string signature)
    {
        const string Types =
            "public enum Level { Low, High }\n" +
            "public sealed record Query(string Text, int Limit = 10);\n" +
            "public sealed class Report { public int Count { get; set; } public List<string> Lines { get; } = new(); }\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, Engine(signature, Types)).Run();
        result.NoExceptions();
        result.None("CM0014");
    }

    [Theory]
    [InlineData("public static string Probe(System.IO.Stream file) => \"\";")]
    [InlineData("internal string Probe(System.IO.Stream file) => \"\";")]
    public void Static_or_non_public_tools_are_left_to_CM0017(string signature)
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, Engine(signature)).Run();
        result.None("CM0014");
        Assert.Single(result.Diagnostics, d => d.Id == "CM0017");
    }

    [Fact]
    public void A_tool_on_a_compression_engine_is_left_to_CM0017()
    {
        var source = Snippets.CompressionEngine().Replace("{\n", "{\n    [EngineTool(\"probe\")]\n    public string Probe(System.IO.Stream file) => \"\";\n", StringComparison.Ordinal);
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        result.None("CM0014");
        Assert.Single(result.Diagnostics, d => d.Id == "CM0017");
    }

    [Fact]
    public void Each_undescribable_tool_is_reported_once()
    {
        var members = ToolLine + "    public string Probe(System.IO.Stream a, System.IO.Stream b) => \"\";\n" +
            "    [EngineTool(\"other\", Description = \"Other.\")]\n    public System.IO.Stream Other() => null!;\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.ContextEngineWith(members)).Run();
        var reported = result.Diagnostics.Where(d => d.Id == "CM0014").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToArray();
        Assert.Equal([15, 17], reported);
    }

    [Fact]
    public void Every_signature_of_the_generators_differential_corpus_is_describable()
    {
        var result = new AnalyzerRunner().Source("/project/Corpus.cs", CompactMemory.Generators.Tests.Tools.SchemaCorpus.Source).Run();
        result.NoExceptions();
        result.None("CM0014");
        Assert.True(CompactMemory.Generators.Tests.Tools.SchemaCorpus.ToolNames().Count() >= 40, "the corpus shrank");
    }

    /// <summary>
    /// The generator's own list of refused tools (its ToolHostTests leave exactly these without schema): CM0014 fires
    /// for each one whose signature is the reason, and not for those refused for their name or placement.
    /// </summary>
    [Fact]
    public void Fires_for_exactly_the_tools_the_generator_refuses_for_their_signature()
    {
        var members =
            "    [EngineTool(\"ok\")] public string Ok() => \"ok\";\n" +
            "    [EngineTool(\"generic\")] public string Generic<T>(T value) => \"\";\n" +
            "    [EngineTool(\"static\")] public static string Static() => \"\";\n" +
            "    [EngineTool(\"by_ref\")] public string ByRef(ref int value) => \"\";\n" +
            "    [EngineTool(\"dictionary\")] public string Dictionary(Dictionary<string, int> map) => \"\";\n" +
            "    [EngineTool(\"object_result\")] public object ObjectResult() => 1;\n" +
            "    [EngineTool(\"recursive\")] public string Recursive(Node node) => \"\";\n" +
            "    [EngineTool(\"flags\")] public string Flags(Options options) => \"\";\n" +
            "    [EngineTool(\"bytes\")] public string Bytes(byte[] data) => \"\";\n" +
            "    [EngineTool(\"bad name!\")] public string BadName() => \"\";\n" +
            "    [EngineTool(\"ok\")] public string Duplicate() => \"duplicate\";\n" +
            "    [EngineTool(\"two_constructors\")] public string TwoCtors(TwoConstructors value) => \"\";\n" +
            "    [EngineTool(\"mismatch\")] public string CaseClash(Mismatch value) => \"\";\n" +
            "    [EngineTool(\"framework_class\")] public string FrameworkClass(System.Version version) => \"\";\n" +
            "    [EngineTool(\"nan_default\")] public string NanDefault(double value = double.NaN) => \"\";\n" +
            "    [EngineTool(\"internal_method\")] internal string Internal() => \"\";\n" +
            "    [EngineTool(\"async_void\")] public async void AsyncVoid() => await Task.Yield();\n";
        const string Types =
            "public sealed class Node { public Node? Next { get; set; } }\n" +
            "[System.Flags] public enum Options { None = 0, A = 1, B = 2 }\n" +
            "public sealed class TwoConstructors { public TwoConstructors(int a) { } public TwoConstructors(string b) { } public int A { get; set; } }\n" +
            "public sealed record Mismatch(int Value) { public string value { get; set; } = \"\"; }\n";
        var result = new AnalyzerRunner().Source(Snippets.Path, Snippets.ContextEngineWith(members) + Types).Run();
        result.NoExceptions();

        var tools = result.Diagnostics.Where(d => d.Id == "CM0014")
            .Select(d => System.Text.RegularExpressions.Regex.Match(d.GetMessage(), "tool '([^']+)'").Groups[1].Value)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            ["async_void", "by_ref", "bytes", "dictionary", "flags", "framework_class", "generic", "mismatch", "nan_default", "object_result", "recursive", "two_constructors"],
            tools);
    }
}
