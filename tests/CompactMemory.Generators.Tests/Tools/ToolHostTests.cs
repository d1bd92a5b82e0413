using System;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Context;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>The generated members in every kind of engine class, language version and documentation setting.</summary>
public sealed class ToolHostTests
{
    private const string DirectMembers = """
            public int LastPromptTokens { get; set; }
            public int LastCompletionTokens { get; set; }
            public int LastTotalTokens { get; set; }
            public int ThresholdTokens { get; set; }
            public int ContextLength { get; set; }
            public int CompressionCount { get; set; }
            public double ThresholdPercent { get; set; }
            public int ProtectFirstN { get; set; }
            public int ProtectLastN { get; set; }
            public bool EmitAutomaticCompactionStatus { get; set; }
            public void UpdateFromResponse(TokenUsage usage) { }
            public bool ShouldCompress(int? promptTokens = null) => false;
            public Task<IReadOnlyList<ChatMessage>> CompressAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens = null, string? focusTopic = null, bool force = false, string memoryContext = "", CancellationToken cancellationToken = default) => Task.FromResult(messages);
            public bool ShouldCompressPreflight(IReadOnlyList<ChatMessage> messages) => false;
            public bool ShouldDeferPreflightToRealUsage(int roughTokens) => false;
            public bool HasContentToCompress(IReadOnlyList<ChatMessage> messages) => true;
            public void OnSessionStart(string sessionId, SessionStartContext context) { }
            public void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages) { }
            public void OnSessionReset() { }
            public void UpdateModel(string model, int contextLength, string baseUrl = "", string apiKey = "", string provider = "", string apiMode = "") { }
            public ContextEngineStatus GetStatus() => new();
            public CompressionDecision ShouldCompressInfo(int? promptTokens = null) => new(false, null);
            public ToolResultPruning PruneToolResultsOnly(IReadOnlyList<ChatMessage> messages, int? currentTokens = null) => new(messages, 0);
            public IReadOnlyList<ChatMessage>? SelectContext(IReadOnlyList<ChatMessage> requestMessages, IReadOnlyList<ChatMessage>? conversationMessages = null, ChatMessage? incomingMessage = null, int budgetTokens = 0) => null;
            public void OnTurnComplete(IReadOnlyList<ChatMessage> messages, TokenUsage? usage, TurnCompleteContext turn) { }
            public PendingCompressionOperation GetPendingCompressionOperation(IReadOnlyList<ChatMessage> messages) => PendingCompressionOperation.None;
            public string? GetAutomaticCompactionStatusMessage(CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens) => defaultMessage;
        """;

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        """;

    [Fact]
    public async Task An_engine_implementing_IContextEngine_directly_gets_working_members()
    {
        var compiled = ToolCompilation.Compile("Direct", Usings + """
            namespace Direct;

            public sealed record Pair(int A, int B);

            [CompressionEngine("direct")]
            public sealed partial class DirectEngine : IContextEngine
            {
                public string Name => "direct";
            """ + DirectMembers + """

                [EngineTool("add")]
                [Description("Adds two numbers.")]
                public int Add(int a, int b = 1) => a + b;

                [EngineTool("swap")]
                public Task<Pair> SwapAsync(Pair pair) => Task.FromResult(new Pair(pair.B, pair.A));
            }
            """);
        var engine = compiled.Create("Direct.DirectEngine");

        Assert.Equal(["add", "swap"], engine.GetToolSchemas().Select(s => s.Name));
        Assert.Same(engine.GetToolSchemas(), engine.GetToolSchemas());
        Assert.Equal("Adds two numbers.", engine.GetToolSchemas()[0].Description);
        Assert.Equal("5", await engine.HandleToolCallAsync("add", """{"a": 4}"""));
        JsonAssert.Equal("""{"a": 2, "b": 1}""", await engine.HandleToolCallAsync("swap", """{"pair": {"a": 1, "b": 2}}"""));
        Assert.Equal(ContextEngine.UnknownToolError("nope"), await engine.HandleToolCallAsync("nope", "{}"));
        Assert.Equal(ContextEngine.ErrorJson("Tool 'add': missing required argument 'a' (an integer)."), await engine.HandleToolCallAsync("add", "{}"));

        // Sealed: plain public members implementing the interface.
        var handle = engine.GetType().GetMethod(nameof(IContextEngine.HandleToolCallAsync))!;
        Assert.False(handle.IsVirtual && !handle.IsFinal);
    }

    [Fact]
    public async Task Engines_deriving_from_engines_with_tools_override_and_keep_the_base_tools()
    {
        var compiled = ToolCompilation.Compile("Chain", Usings + """
            namespace Chain;

            [CompressionEngine("base_direct")]
            public partial class BaseDirect : IContextEngine
            {
                public virtual string Name => "base_direct";
            """ + DirectMembers + """

                [EngineTool("base_tool")]
                public string BaseTool(string text) => "base:" + text;
            }

            [CompressionEngine("derived_direct")]
            public sealed partial class DerivedDirect : BaseDirect
            {
                public override string Name => "derived_direct";

                [EngineTool("derived_tool")]
                public string DerivedTool(int n) => "derived:" + n;
            }

            public abstract class ToolBase : ContextEngine
            {
                [EngineTool("inherited")]
                public string Inherited(bool flag) => "inherited:" + flag;

                [EngineTool("overridden")]
                public virtual string Overridden() => "base";
            }

            [CompressionEngine("from_abstract")]
            public partial class FromAbstract : ToolBase
            {
                public override string Name => "from_abstract";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                [EngineTool("overridden")]
                public override string Overridden() => "derived";
            }

            [CompressionEngine("from_from_abstract")]
            public sealed partial class FromFromAbstract : FromAbstract
            {
                public override string Name => "from_from_abstract";

                [EngineTool("last")]
                public string Last() => "last";
            }
            """);

        var baseEngine = compiled.Create("Chain.BaseDirect");
        var derived = compiled.Create("Chain.DerivedDirect");
        Assert.Equal(["base_tool"], baseEngine.GetToolSchemas().Select(s => s.Name));
        Assert.Equal(["base_tool", "derived_tool"], derived.GetToolSchemas().Select(s => s.Name));
        Assert.Equal(["base_tool", "derived_tool"], ToolCompilation.StrictSchemas(derived.GetType()).Select(s => s.Name));
        Assert.Equal(["base_tool"], ToolCompilation.StrictSchemas(baseEngine.GetType()).Select(s => s.Name));
        Assert.Equal("base:x", await derived.HandleToolCallAsync("base_tool", """{"text": "x"}"""));
        Assert.Equal("derived:3", await derived.HandleToolCallAsync("derived_tool", """{"n": 3}"""));
        Assert.Equal(ContextEngine.UnknownToolError("derived_tool"), await baseEngine.HandleToolCallAsync("derived_tool", """{"n": 3}"""));

        var fromAbstract = compiled.Create("Chain.FromAbstract");
        Assert.Equal(["inherited", "overridden"], fromAbstract.GetToolSchemas().Select(s => s.Name));
        Assert.Equal("inherited:True", await fromAbstract.HandleToolCallAsync("inherited", """{"flag": true}"""));
        Assert.Equal("derived", await fromAbstract.HandleToolCallAsync("overridden", "{}"));
        var last = compiled.Create("Chain.FromFromAbstract");
        Assert.Equal(["inherited", "last", "overridden"], last.GetToolSchemas().Select(s => s.Name));
        Assert.Equal("derived", await last.HandleToolCallAsync("overridden", "{}"));
    }

    /// <summary>
    /// <c>HandleToolCallAsync</c>'s <c>ToolCallContext? context = null</c> cannot be written in C# 7.3; the generated
    /// <c>ToolCallContext context = null</c> lives in an auto-generated file, which the compiler keeps out of nullable
    /// analysis, so a nullable-enabled consumer compiles it without a warning (every compile here asserts no warnings).
    /// </summary>
    [Fact]
    public void The_generated_override_compiles_without_warnings_in_a_nullable_enabled_consumer()
    {
        var compiled = ToolCompilation.Compile("NullableConsumer", Usings + """
            #nullable enable
            namespace NullableConsumer;

            [CompressionEngine("nullable_consumer")]
            public sealed partial class Engine : ContextEngine
            {
                public override string Name => "nullable_consumer";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                [EngineTool("echo")]
                public string Echo(string? text, ToolCallContext? context) => text ?? "null";

                public async Task<string> CallerAsync() => await HandleToolCallAsync("echo", "{}") + await HandleToolCallAsync("echo", "{}", null) + await HandleToolCallAsync("echo", "{}", context: null, CancellationToken.None);
            }
            """);

        Assert.Contains("global::CompactMemory.Context.ToolCallContext context = null", compiled.GeneratedSource, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.Problems(compiled.Output));
    }

    [Fact]
    public async Task The_generated_code_compiles_as_CSharp_7_3()
    {
        var options = new CSharpParseOptions(LanguageVersion.CSharp7_3);
        var source = """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using CompactMemory;
            using CompactMemory.Context;
            using Microsoft.Extensions.AI;

            namespace Legacy
            {
                public enum Level { Low, High }

                public class Query
                {
                    public string Text { get; set; }
                    public int Limit { get; set; } = 3;
                    public List<Level> Levels { get; set; }
                }

                public class Span
                {
                    public Span(int from, int to)
                    {
                        if (from > to) throw new ArgumentException("from > to");
                        From = from;
                        To = to;
                    }

                    public int From { get; private set; }
                    public int To { get; private set; }
                }

                [CompressionEngine("legacy")]
                public partial class LegacyEngine : ContextEngine
                {
                    public override string Name { get { return "legacy"; } }

                    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    {
                        return Task.FromResult(messages);
                    }

                    [EngineTool("find")]
                    public string Find(Query query, Level level = Level.High, int[] ids = null, Guid? id = null, TimeSpan? span = null)
                    {
                        return query.Text + "|" + query.Limit + "|" + (query.Levels == null ? "none" : query.Levels.Count.ToString()) + "|" + level + "|" + (ids == null ? "null" : ids.Length.ToString());
                    }

                    [EngineTool("find_async")]
                    public async Task<Query> FindAsync(string text, CancellationToken cancellationToken)
                    {
                        await Task.Yield();
                        return new Query { Text = text, Levels = new List<Level> { Level.Low } };
                    }

                    [EngineTool("nothing")]
                    public ValueTask NothingAsync() { return default(ValueTask); }

                    [EngineTool("ratios")]
                    public double[] Ratios(Span span, float scale = 1) { return new double[] { span.From * scale, span.To / (double)scale }; }
                }
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Legacy",
            [CSharpSyntaxTree.ParseText(source, options, path: "Legacy.cs")],
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        // The per-assembly aggregate is another generator output with its own language-version story; the tool members are this file.
        var compiled = ToolCompilation.Compile(compilation, options, skipAggregate: true);
        var engine = compiled.Create("Legacy.LegacyEngine");

        Assert.Equal("t|3|none|High|null", await engine.HandleToolCallAsync("find", """{"query": {"text": "t"}}"""));
        Assert.Equal("t|9|2|Low|1", await engine.HandleToolCallAsync("find", """{"query": {"text": "t", "limit": 9, "levels": ["low", "High"]}, "level": "Low", "ids": [4]}"""));
        JsonAssert.Equal("""{"text": "x", "limit": 3, "levels": ["Low"]}""", await engine.HandleToolCallAsync("find_async", """{"text": "x"}"""));
        Assert.Equal("""{"ok": true}""", await engine.HandleToolCallAsync("nothing", ""));
        Assert.Equal("[2,1]", await engine.HandleToolCallAsync("ratios", """{"span": {"from": 1, "to": 2}, "scale": 2}"""));
        Assert.Equal("""{"error": "Context engine tool 'ratios' failed: its result holds Infinity, which JSON cannot represent (JSON numbers are finite)"}""", await engine.HandleToolCallAsync("ratios", """{"span": {"from": 1, "to": 2}, "scale": 0}"""));
        Assert.Equal("""{"error": "Tool 'ratios': argument 'span' was rejected by Legacy.Span: from > to."}""", await engine.HandleToolCallAsync("ratios", """{"span": {"from": 2, "to": 1}, "\ud800": 0}"""));

        // Oblivious (nullable-disabled) properties are nullable to System.Text.Json, so the schema says so.
        var query = JsonAssert.Parse(engine.GetToolSchemas().Single(s => s.Name == "find").Parameters)["properties"]!["query"]!;
        Assert.Equal("""["string","null"]""", query["properties"]!["text"]!["type"]!.ToJsonString());
    }

    [Theory]
    [InlineData(DocumentationMode.None)]
    [InlineData(DocumentationMode.Parse)]
    [InlineData(DocumentationMode.Diagnose)]
    public void Xml_documentation_describes_tools_whatever_the_documentation_mode(DocumentationMode mode)
    {
        var options = GeneratorHarness.ParseOptions.WithDocumentationMode(mode);
        var source = Usings + """
            namespace Documented;

            /// <summary>A documented engine.</summary>
            [CompressionEngine("documented")]
            public sealed partial class DocumentedEngine : ContextEngine
            {
                /// <inheritdoc />
                public override string Name => "documented";

                /// <inheritdoc />
                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                /// <summary>
                ///   Looks things up,
                ///   over <c>two</c> lines.
                /// </summary>
                /// <param name="query">What to look for.</param>
                /// <returns>The hits.</returns>
                [EngineTool("lookup")]
                public string Lookup(string query) => query;
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Documented",
            [CSharpSyntaxTree.ParseText(source, options, path: "Documented.cs")],
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var compiled = ToolCompilation.Compile(compilation, options);
        var schema = compiled.Create("Documented.DocumentedEngine").GetToolSchemas().Single();

        Assert.Equal("Looks things up, over two lines.", schema.Description);
        Assert.Equal("What to look for.", JsonAssert.Parse(schema.Parameters)["properties"]!["query"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unsupported_tools_get_no_schema_and_no_dispatch_and_no_diagnostic()
    {
        var compiled = ToolCompilation.Compile("Unsupported", Usings + """
            namespace Unsupported;

            public sealed class Node { public Node? Next { get; set; } }

            [Flags] public enum Options { None = 0, A = 1, B = 2 }

            public sealed class TwoConstructors { public TwoConstructors(int a) { } public TwoConstructors(string b) { } public int A { get; set; } }

            public sealed record Mismatch(int Value) { public string value { get; set; } = ""; }

            [CompressionEngine("unsupported")]
            public sealed partial class Engine : ContextEngine
            {
                public override string Name => "unsupported";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                [EngineTool("ok")] public string Ok() => "ok";
                [EngineTool("generic")] public string Generic<T>(T value) => "";
                [EngineTool("static")] public static string Static() => "";
                [EngineTool("by_ref")] public string ByRef(ref int value) => "";
                [EngineTool("dictionary")] public string Dictionary(Dictionary<string, int> map) => "";
                [EngineTool("object_result")] public object ObjectResult() => 1;
                [EngineTool("recursive")] public string Recursive(Node node) => "";
                [EngineTool("flags")] public string Flags(Options options) => "";
                [EngineTool("bytes")] public string Bytes(byte[] data) => "";
                [EngineTool("bad name!")] public string BadName() => "";
                [EngineTool("ok")] public string Duplicate() => "duplicate";
                [EngineTool("two_constructors")] public string TwoCtors(TwoConstructors value) => "";
                [EngineTool("mismatch")] public string CaseClash(Mismatch value) => "";
                [EngineTool("framework_class")] public string FrameworkClass(Version version) => "";
                [EngineTool("nan_default")] public string NanDefault(double value = double.NaN) => "";
                [EngineTool("internal_method")] internal string Internal() => "";
                [EngineTool("async_void")] public async void AsyncVoid() => await Task.Yield();
            }
            """);
        var engine = compiled.Create("Unsupported.Engine");

        Assert.Equal(["ok"], engine.GetToolSchemas().Select(s => s.Name));
        Assert.Equal("ok", await engine.HandleToolCallAsync("ok", "{}"));
        Assert.Equal(ContextEngine.UnknownToolError("generic"), await engine.HandleToolCallAsync("generic", "{}"));
        Assert.Equal(ContextEngine.UnknownToolError("recursive"), await engine.HandleToolCallAsync("recursive", "{}"));
    }

    [Fact]
    public void An_engine_whose_tools_are_all_unsupported_keeps_the_contract_defaults()
    {
        var compiled = ToolCompilation.Compile("NoneSupported", Usings + """
            namespace NoneSupported;

            [CompressionEngine("none_supported")]
            public sealed partial class Engine : ContextEngine
            {
                public override string Name => "none_supported";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                [EngineTool("dictionary")] public string Dictionary(Dictionary<string, int> map) => "";
            }
            """);

        Assert.Empty(compiled.Create("NoneSupported.Engine").GetToolSchemas());
        Assert.DoesNotContain("HandleToolCallAsync", compiled.GeneratedSource, StringComparison.Ordinal);
        Assert.Contains("\"[]\")]", compiled.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_tool_signatures_never_make_the_generator_throw_or_report()
    {
        var compilation = GeneratorHarness.Compilation("Broken", Usings + """
            namespace Broken;

            [CompressionEngine("broken")]
            public sealed partial class Engine : ContextEngine
            {
                public override string Name => "broken";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);

                [EngineTool("missing_type")] public string MissingType(Missing value) => "";
                [EngineTool(42)] public string WrongArgument() => "";
                [EngineTool] public string NoArgument() => "";
                [EngineTool("half")] public string Half(int a, = "";
                /// <summary>Broken <xml
                [EngineTool("bad_doc")] public string BadDoc(int a) => "";
            }
            """);

        var (run, _, _) = GeneratorHarness.Run(compilation);

        Assert.All(run.Results, r => Assert.Null(r.Exception));
        Assert.Empty(run.Diagnostics);
    }
}
