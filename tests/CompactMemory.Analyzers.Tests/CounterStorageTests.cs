using System;
using System.Linq;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests;

/// <summary>
/// CM0011 for engines that implement <c>IContextEngine</c> directly: counters that cannot hold a value (at the property
/// name), and the interface path of the UpdateFromResponse/CompressAsync check (at the method name).
/// </summary>
public sealed class CounterStorageTests
{
    private const string Counters =
        "    public int LastPromptTokens { get; set; }\n" +
        "    public int LastCompletionTokens { get; set; }\n" +
        "    public int LastTotalTokens { get; set; }\n" +
        "    public int ThresholdTokens { get; set; }\n" +
        "    public int ContextLength { get; set; }\n" +
        "    public int CompressionCount { get; set; }\n";

    private const string UpdateFromResponse =
        "    public void UpdateFromResponse(TokenUsage usage) { LastPromptTokens = usage.PromptTokens; LastCompletionTokens = usage.CompletionTokens; LastTotalTokens = usage.TotalTokens; }\n";

    private const string CompressAsync =
        "    public Task<IReadOnlyList<ChatMessage>> CompressAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens = null, string? focusTopic = null, bool force = false, string memoryContext = \"\", CancellationToken cancellationToken = default) { CompressionCount++; return Task.FromResult(messages); }\n";

    /// <summary>A complete, correct <c>IContextEngine</c> implementation: the class on line 10, the counters from line 13.</summary>
    private static string Engine(string counters = Counters, string update = UpdateFromResponse, string compress = CompressAsync) =>
        Snippets.Header +
        "[CompressionEngine(\"direct\")]\n" +
        "public sealed class DirectEngine : IContextEngine\n" +
        "{\n" +
        "    public string Name => \"direct\";\n" +
        counters +
        "    public double ThresholdPercent { get; set; } = 0.75;\n" +
        "    public int ProtectFirstN { get; set; } = 3;\n" +
        "    public int ProtectLastN { get; set; } = 6;\n" +
        "    public bool EmitAutomaticCompactionStatus { get; set; } = true;\n" +
        update +
        "    public bool ShouldCompress(int? promptTokens = null) => ThresholdTokens > 0 && (promptTokens ?? LastPromptTokens) >= ThresholdTokens;\n" +
        compress +
        "    public bool ShouldCompressPreflight(IReadOnlyList<ChatMessage> messages) => false;\n" +
        "    public bool ShouldDeferPreflightToRealUsage(int roughTokens) => false;\n" +
        "    public bool HasContentToCompress(IReadOnlyList<ChatMessage> messages) => messages.Count > 0;\n" +
        "    public void OnSessionStart(string sessionId, SessionStartContext context) { }\n" +
        "    public void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages) { }\n" +
        "    public void OnSessionReset() { LastPromptTokens = 0; LastCompletionTokens = 0; LastTotalTokens = 0; CompressionCount = 0; }\n" +
        "    public void UpdateModel(string model, int contextLength, string baseUrl = \"\", string apiKey = \"\", string provider = \"\", string apiMode = \"\") { ContextLength = contextLength; ThresholdTokens = (int)(contextLength * ThresholdPercent); }\n" +
        "    public IReadOnlyList<ToolSchema> GetToolSchemas() => System.Array.Empty<ToolSchema>();\n" +
        "    public ValueTask<string> HandleToolCallAsync(string name, string argumentsJson, ToolCallContext? context = null, CancellationToken cancellationToken = default) => new(ContextEngine.UnknownToolError(name));\n" +
        "    public ContextEngineStatus GetStatus() => new();\n" +
        "    public CompressionDecision ShouldCompressInfo(int? promptTokens = null) => new(ShouldCompress(promptTokens), string.Empty);\n" +
        "    public ToolResultPruning PruneToolResultsOnly(IReadOnlyList<ChatMessage> messages, int? currentTokens = null) => new(messages, 0);\n" +
        "    public IReadOnlyList<ChatMessage>? SelectContext(IReadOnlyList<ChatMessage> requestMessages, IReadOnlyList<ChatMessage>? conversationMessages = null, ChatMessage? incomingMessage = null, int budgetTokens = 0) => null;\n" +
        "    public void OnTurnComplete(IReadOnlyList<ChatMessage> messages, TokenUsage? usage, TurnCompleteContext turn) { }\n" +
        "    public PendingCompressionOperation GetPendingCompressionOperation(IReadOnlyList<ChatMessage> messages) => PendingCompressionOperation.None;\n" +
        "    public string? GetAutomaticCompactionStatusMessage(CompactionPhase phase, string defaultMessage, int approxTokens, int thresholdTokens) => defaultMessage;\n" +
        "}\n";

    /// <summary>Line 13: the header's eight lines, the attribute, the class, its brace and Name come first.</summary>
    private const int FirstCounterLine = 13;

    private static AnalyzerResult Run(string source)
    {
        var result = new AnalyzerRunner().Source(Snippets.Path, source).Run();
        result.NoExceptions();
        return result;
    }

    [Fact]
    public void A_correct_direct_implementation_compiles_and_has_no_diagnostics()
    {
        var result = Run(Engine());
        Assert.Empty(result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        result.NoneOfOurs();
    }

    [Theory]
    [InlineData("    public int LastPromptTokens { get => 0; set { } }\n", "LastPromptTokens", "its getter returns a constant")]
    [InlineData("    public int LastPromptTokens { get { return 0; } set { _ = value; } }\n", "LastPromptTokens", "its getter returns a constant")]
    [InlineData("    public int LastPromptTokens { get => _prompt; set { } }\n    private int _prompt;\n", "LastPromptTokens", "its setter drops the value")]
    [InlineData("    public int ContextLength { get => 128000; set { } }\n", "ContextLength", "its getter returns a constant")]
    [InlineData("    public int CompressionCount { get => _count; set => System.Console.WriteLine(); }\n    private int _count;\n", "CompressionCount", "its setter drops the value")]
    public void A_counter_that_cannot_hold_a_value_is_reported_at_its_name(string replacement, string counter, string reason)
    {
        var counters = string.Join("", Counters.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Contains(" " + counter + " ", StringComparison.Ordinal) ? replacement : line + "\n"));
        var result = Run(Engine(counters));

        var line = FirstCounterLine + Array.FindIndex(Counters.Split('\n'), l => l.Contains(" " + counter + " ", StringComparison.Ordinal));
        var column = replacement.IndexOf(counter, StringComparison.Ordinal) + 1;
        var diagnostic = result.Single("CM0011", Snippets.Path, line, column, column + counter.Length, DiagnosticSeverity.Warning);
        Assert.Equal($"Context engine 'DirectEngine' never maintains '{counter}'; {reason}; make it an auto-property ({{ get; set; }}) or store and return the value", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("    public int LastPromptTokens { get => _prompt; set => _prompt = value; }\n    private int _prompt;\n")]
    [InlineData("    public int LastPromptTokens { get => _prompt; set { _prompt = System.Math.Max(-1, value); } }\n    private int _prompt;\n")]
    [InlineData("    private const int None = 0;\n    public int LastPromptTokens { get => _prompt; set => _prompt = value; }\n    private int _prompt = None;\n")]
    public void Counters_backed_by_a_field_are_not_reported(string replacement)
    {
        var counters = string.Join("", Counters.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Contains(" LastPromptTokens ", StringComparison.Ordinal) ? replacement : line + "\n"));
        Run(Engine(counters)).None("CM0011");
    }

    [Fact]
    public void A_constant_counter_on_a_class_that_is_not_a_context_engine_is_not_reported()
    {
        var source = Snippets.Header + "public sealed class Meter\n{\n    public int LastPromptTokens { get => 0; set { } }\n}\n";
        Run(source).None("CM0011");
    }

    [Fact]
    public void The_interface_UpdateFromResponse_that_assigns_nothing_is_reported_at_its_name()
    {
        var result = Run(Engine(update: "    public void UpdateFromResponse(TokenUsage usage) { }\n"));
        var line = FirstCounterLine + 6 + 4; // the six counters, then four settings
        var diagnostic = result.Single("CM0011", Snippets.Path, line, 17, 35);
        Assert.Contains("'LastPromptTokens, LastCompletionTokens, LastTotalTokens'; call the base method or assign the counter", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_interface_CompressAsync_that_never_counts_is_reported_at_its_name()
    {
        var result = Run(Engine(compress: CompressAsync.Replace("CompressionCount++; ", "", StringComparison.Ordinal)));
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "CM0011");
        Assert.Contains("'CompressionCount'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("CompressAsync", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }
}
