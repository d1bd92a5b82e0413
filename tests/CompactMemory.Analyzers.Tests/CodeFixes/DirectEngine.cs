using CompactMemory.Analyzers.Tests.Infrastructure;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

/// <summary>A complete <c>IContextEngine</c> implementation, with the counters and the two maintained methods to vary.</summary>
internal static class DirectEngine
{
    public const string Counters =
        "    public int LastPromptTokens { get; set; }\n" +
        "    public int LastCompletionTokens { get; set; }\n" +
        "    public int LastTotalTokens { get; set; }\n" +
        "    public int ThresholdTokens { get; set; }\n" +
        "    public int ContextLength { get; set; }\n" +
        "    public int CompressionCount { get; set; }\n";

    public const string UpdateFromResponse =
        "    public void UpdateFromResponse(TokenUsage usage) { LastPromptTokens = usage.PromptTokens; LastCompletionTokens = usage.CompletionTokens; LastTotalTokens = usage.TotalTokens; }\n";

    public const string CompressSignature =
        "    public Task<IReadOnlyList<ChatMessage>> CompressAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens = null, string? focusTopic = null, bool force = false, string memoryContext = \"\", CancellationToken cancellationToken = default)";

    public const string CompressAsync = CompressSignature + " { CompressionCount++; return Task.FromResult(messages); }\n";

    /// <summary>The engine: attribute on line 9, class on line 10, Name on line 12, the counters from line 13.</summary>
    public static string Source(string counters = Counters, string update = UpdateFromResponse, string compress = CompressAsync, string className = "DirectEngine", string id = "direct") =>
        Snippets.Header + Class(counters, update, compress, className, id);

    /// <summary>The class alone, to put several in one file.</summary>
    public static string Class(string counters = Counters, string update = UpdateFromResponse, string compress = CompressAsync, string className = "DirectEngine", string id = "direct") =>
        $"[CompressionEngine(\"{id}\")]\n" +
        $"public sealed class {className} : IContextEngine\n" +
        "{\n" +
        $"    public string Name => \"{id}\";\n" +
        counters +
        "    public double ThresholdPercent { get; set; } = 0.75;\n" +
        "    public int ProtectFirstN { get; set; } = 3;\n" +
        "    public int ProtectLastN { get; set; } = 6;\n" +
        "    public bool EmitAutomaticCompactionStatus { get; set; } = true;\n" +
        update +
        "    public bool ShouldCompress(int? promptTokens = null) => false;\n" +
        compress +
        "    public bool ShouldCompressPreflight(IReadOnlyList<ChatMessage> messages) => false;\n" +
        "    public bool ShouldDeferPreflightToRealUsage(int roughTokens) => false;\n" +
        "    public bool HasContentToCompress(IReadOnlyList<ChatMessage> messages) => messages.Count > 0;\n" +
        "    public void OnSessionStart(string sessionId, SessionStartContext context) { }\n" +
        "    public void OnSessionEnd(string sessionId, IReadOnlyList<ChatMessage> messages) { }\n" +
        "    public void OnSessionReset() { }\n" +
        "    public void UpdateModel(string model, int contextLength, string baseUrl = \"\", string apiKey = \"\", string provider = \"\", string apiMode = \"\") { }\n" +
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
}
