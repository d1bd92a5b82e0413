using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CompactMemory.Registry;
using CompactMemory.Samples.EngineHost;
using Microsoft.Extensions.AI;

// Every engine of every referenced engine package, registered without reflection.
var registry = new EngineRegistry();
registry.RegisterBuiltIns();
registry.AddCompactMemoryEngines();
var failures = new List<string>();

void Check(bool condition, string what)
{
    Console.WriteLine((condition ? "ok    " : "FAIL  ") + what);
    if (!condition)
    {
        failures.Add(what);
    }
}

Console.WriteLine("Engines: " + string.Join(", ", registry.Ids));
Check(registry.Ids.Contains("extractive_summary") && registry.Ids.Contains("searchable_history"), "both referenced packages are in the generated aggregate");

const string Text = "Context windows are finite. Every token costs time. A summary keeps the sentences that matter. The rest can be searched later.";
var summary = registry.CreateCompressionEngine("extractive_summary").Compress(Text, 12);
Console.WriteLine("Summary: " + summary.Text);
Check(summary.Text.Length > 0 && summary.Text.Length < Text.Length, "the compression engine shortened the text");

var engine = registry.CreateContextEngine("searchable_history");
engine.UpdateModel("sample-model", contextLength: 1000);
var conversation = new List<ChatMessage> { new(ChatRole.System, "You are a helpful assistant.") };
for (var turn = 1; turn <= 12; turn++)
{
    conversation.Add(new ChatMessage(ChatRole.User, $"Question {turn}: what about topic-{turn}?"));
    conversation.Add(new ChatMessage(ChatRole.Assistant, $"Answer {turn}: topic-{turn} is covered."));
}

var compacted = await engine.CompressAsync(conversation);
Console.WriteLine($"Compacted {conversation.Count} messages to {compacted.Count}.");
Check(compacted.Count < conversation.Count && engine.CompressionCount == 1, "the context engine compacted the conversation");

var tools = engine.GetToolSchemas();
Console.WriteLine("Tools: " + string.Join(", ", tools.Select(t => t.Name)));
Check(tools.Count == 4, "four tool schemas are generated");

var search = await engine.HandleToolCallAsync("history_search", """{"query": "topic-5", "limit": 2, "speaker": "User"}""");
Console.WriteLine("history_search -> " + search);
using (var hits = JsonDocument.Parse(search))
{
    Check(hits.RootElement.ValueKind == JsonValueKind.Array && hits.RootElement.GetArrayLength() == 1, "history_search finds the compacted user message");
}

var read = await engine.HandleToolCallAsync("history_read", """{"index": 9}""");
Console.WriteLine("history_read -> " + read);
Check(read.Contains("topic-5", StringComparison.Ordinal), "history_read returns the archived text");

var pin = await engine.HandleToolCallAsync("history_pin", """{"request": {"indexes": [9, 10], "note": "the user's key question"}}""");
Console.WriteLine("history_pin -> " + pin);
var stats = await engine.HandleToolCallAsync("history_stats", "{}");
Console.WriteLine("history_stats -> " + stats);
Check(stats.Contains("[9,10]", StringComparison.Ordinal) || stats.Contains("[9, 10]", StringComparison.Ordinal), "history_pin and history_stats agree");

var bad = await engine.HandleToolCallAsync("history_read", """{"index": "nine"}""");
Console.WriteLine("history_read (bad) -> " + bad);
Check(bad.StartsWith("{\"error\": ", StringComparison.Ordinal), "a bad argument comes back as error JSON, not an exception");

Console.WriteLine(failures.Count == 0 ? "All checks passed." : $"{failures.Count} check(s) failed.");
return failures.Count == 0 ? 0 : 1;
