using System;
using System.ClientModel;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CompactMemory.Context;
using CompactMemory.Samples.AgentHost;
using CompactMemory.Samples.Lcm;
using Microsoft.Extensions.AI;
using OpenAI;

// An agent loop over IChatClient with the lossless context engine (samples/LcmContextEngine) as middleware.
// Offline by default, on ScriptedChatClient — a stand-in for a real model. To talk to a real OpenAI-compatible
// provider instead, set OPENAI_API_KEY (and optionally OPENAI_BASE_URL, OPENAI_MODEL).
var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
var real = !string.IsNullOrWhiteSpace(apiKey);
var modelId = Environment.GetEnvironmentVariable("OPENAI_MODEL") is { Length: > 0 } m ? m : "gpt-4o-mini";
var scripted = real ? null : new ScriptedChatClient();
IChatClient model = real
    ? new OpenAI.Chat.ChatClient(modelId, new ApiKeyCredential(apiKey!), new OpenAIClientOptions
    {
        Endpoint = Environment.GetEnvironmentVariable("OPENAI_BASE_URL") is { Length: > 0 } url ? new Uri(url) : null,
    }).AsIChatClient()
    : scripted!;

// The store: LCM_DATABASE_PATH when set, else a fresh file in the temp folder (deleted at the end).
var ownStore = string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LcmContextEngine.DatabasePathEnvironmentVariable));
var databasePath = ownStore ? Path.Combine(Path.GetTempPath(), $"compactmemory-agenthost-{Environment.ProcessId}.db") : null;

// The host accepts windows of 64,000 tokens or more; a 2.5 % threshold (1,600 tokens) lets a short scripted
// conversation reach it, and a smaller protected head and tail leave room to grow after each compaction.
// A real deployment keeps the engine's defaults (75 %, first 3, last 6).
const int ContextLength = 64_000;
using var engine = new LcmContextEngine(databasePath) { ThresholdPercent = 0.025, ProtectFirstN = 2, ProtectLastN = 4 };
var weather = new WeatherTool();
var compactions = 0;

using var client = new ChatClientBuilder(model)
    .UseFunctionInvocation()
    .UseContextEngine(engine, options =>
    {
        options.Model = real ? modelId : ScriptedChatClient.ModelId;
        options.ContextLength = ContextLength;
        options.SessionId = "agent-host-demo";
        options.Notice = notice => Console.WriteLine($"  [host] {notice.Message}");
        options.Compressed = result =>
        {
            compactions++;
            Console.WriteLine($"  [lcm] compacted {result.MessagesBefore} messages to {result.Messages.Count}; every message stays in the store.");
            var summary = result.Messages.FirstOrDefault(ChatMessageFacts.IsCompressedSummary);
            var pointers = summary is null ? null : ChatMessageFacts.Text(summary).Split('\n').FirstOrDefault(line => line.StartsWith("Stored message ids:", StringComparison.Ordinal));
            if (pointers is not null)
            {
                Console.WriteLine($"  [lcm] the summary in context says: {pointers}");
            }
        };
    })
    .Build();

Console.WriteLine(real
    ? $"Model: {modelId} (a real provider; OPENAI_API_KEY is set)."
    : "Model: ScriptedChatClient — a STAND-IN for a real model that plays a fixed script offline. Set OPENAI_API_KEY to use a real one.");
Console.WriteLine($"Context engine: {engine.Name}, store {engine.DatabasePath}, window {ContextLength:N0} tokens, compaction at {engine.ThresholdPercent:P1}, keeping the first {engine.ProtectFirstN} and last {engine.ProtectLastN} messages.");
Console.WriteLine();

string[] turns =
[
    "Hi! I'm planning the migration of our billing service to the new Kubernetes cluster.",
    "What are the phases of such a migration, roughly?",
    "Before we go on, some housekeeping for the migration: the staging environment is shared with the payments team, "
        + "so we coordinate any restart with them first, and the staging database password rotation is tracked in ticket OPS-4471. Keep that in mind.",
    "How should we handle the database schema changes during the move?",
    "What's the weather in Lisbon next week? Our offsite is there.",
    "Which monitoring dashboards should exist before the cutover?",
    "How do we rehearse the cutover on staging without disturbing the testers?",
    "What should the rollback plan look like if invoices fail after the switch?",
    "Who should be on call during the migration weekend, and for how long?",
    "How do we communicate the maintenance window to customers?",
    "What load tests should run against the new cluster beforehand?",
    "Remind me: what was the ticket number for the staging database password rotation I mentioned earlier?",
];

var options = new ChatOptions { Tools = [weather] };
List<ChatMessage> history = [new(ChatRole.System, "You are a concise migration planning assistant.")];
var lastAnswer = string.Empty;
var grepResults = new List<string>();
foreach (var turn in turns)
{
    Console.WriteLine($"User: {turn}");
    history.Add(new ChatMessage(ChatRole.User, turn));
    var response = await client.GetResponseAsync(history, options);
    foreach (var message in response.Messages)
    {
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case FunctionCallContent call:
                    Console.WriteLine($"  → tool call {call.Name}({ChatMessageFacts.ArgumentsJson(call)})");
                    break;
                case FunctionResultContent result:
                    var text = ChatMessageFacts.ResultText(result);
                    var tool = response.Messages.SelectMany(ChatMessageFacts.ToolCalls).FirstOrDefault(c => c.CallId == result.CallId)?.Name ?? "?";
                    if (tool == "lcm_grep")
                    {
                        grepResults.Add(text);
                    }

                    Console.WriteLine($"  ← {tool}: {(text.Length > 220 ? text[..220] + "…" : text)}");
                    break;
            }
        }
    }

    lastAnswer = response.Text;
    Console.WriteLine($"Assistant: {lastAnswer}");
    if (ContextEngineChatClient.TryGetCompactedHistory(response, out var compacted))
    {
        history = [.. compacted];
    }
    else
    {
        history.AddRange(response.Messages);
    }

    Console.WriteLine($"  [history] {history.Count} messages in context");
    Console.WriteLine();
}

var status = engine.GetStatus().ToJsonObject();
Console.WriteLine("Engine status: " + status.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

var checks = new List<(bool Ok, string What)>
{
    (compactions > 0 && engine.CompressionCount > 0, "the context engine compacted the conversation"),
    (status["compression_count"]!.GetValue<int>() > 0 && status["stored_messages"]!.GetValue<int>() > history.Count, "the status shows the compactions and a store larger than the context"),
};
if (!real)
{
    checks.Add((weather.Calls == 1, "the host's own tool ran through UseFunctionInvocation()"));
    checks.Add((grepResults.Any(r => r.Contains("OPS-4471", StringComparison.Ordinal)), "the model's lcm_grep call went through the pipeline and found the compacted message"));
    checks.Add((scripted!.ToolCalls.Any(c => c.StartsWith("lcm_expand", StringComparison.Ordinal)), "the model restored the message with lcm_expand"));
    checks.Add((lastAnswer.Contains("OPS-4471", StringComparison.Ordinal), "the final answer names the compacted ticket"));
}
else
{
    Console.WriteLine(grepResults.Count > 0 ? "The model called lcm_grep." : "The model did not call lcm_grep (a real model decides for itself).");
}

Console.WriteLine();
foreach (var (ok, what) in checks)
{
    Console.WriteLine((ok ? "ok    " : "FAIL  ") + what);
}

engine.Dispose();
if (ownStore && databasePath is not null)
{
    foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
    {
        File.Delete(file);
    }
}

var failed = checks.Count(c => !c.Ok);
Console.WriteLine(failed == 0 ? "All checks passed." : $"{failed} check(s) failed.");
return failed == 0 ? 0 : 1;
