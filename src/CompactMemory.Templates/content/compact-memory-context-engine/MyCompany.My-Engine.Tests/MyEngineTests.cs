using System.Text.Json;
using CompactMemory;
using CompactMemory.Compression;
using CompactMemory.Tokens;
using Microsoft.Extensions.AI;
using Xunit;

namespace MyCompany.My_Engine.Tests;

public sealed class MyEngineTests
{
    private static List<ChatMessage> Conversation(int turns)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are a helpful assistant.") };
        for (var turn = 1; turn <= turns; turn++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"Question {turn}: what do we know about topic-{turn}?"));
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Answer {turn}: topic-{turn} is covered in chapter {turn} of the guide."));
        }

        return messages;
    }

    private static int Tokens(IEnumerable<ChatMessage> messages) => messages.Sum(m => DefaultTokenizer.Instance.CountTokens(m.Text));

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    [InlineData(4000)]
    public async Task The_compacted_conversation_fits_the_budget(int contextLength)
    {
        var engine = new MyEngine();
        engine.UpdateModel("test-model", contextLength);
        var conversation = Conversation(40);

        var compacted = await engine.CompressAsync(conversation);

        Assert.True(Tokens(compacted) <= engine.BudgetTokens, $"{Tokens(compacted)} tokens for a budget of {engine.BudgetTokens}");
        Assert.Equal(ChatRole.System, compacted[0].Role);
        Assert.Same(conversation[^1], compacted[^1]);
        Assert.Equal(1, engine.CompressionCount);
    }

    [Fact]
    public async Task Compaction_replaces_the_oldest_messages_with_a_note()
    {
        var engine = new MyEngine();
        engine.UpdateModel("test-model", 1000);
        var conversation = Conversation(40);

        var compacted = await engine.CompressAsync(conversation);

        Assert.True(compacted.Count < conversation.Count);
        Assert.Contains("earlier messages were compacted", compacted[1].Text, StringComparison.Ordinal);
        Assert.Equal(conversation.Count - (compacted.Count - 1), engine.Compacted.Count);
        Assert.Equal(conversation.Skip(conversation.Count - (compacted.Count - 2)), compacted.Skip(2));
    }

    [Fact]
    public async Task A_conversation_within_the_budget_is_kept_whole()
    {
        var engine = new MyEngine();
        engine.UpdateModel("test-model", 100_000);
        var conversation = Conversation(3);

        var compacted = await engine.CompressAsync(conversation);

        Assert.Equal(conversation, compacted);
        Assert.Empty(engine.Compacted);
    }

    [Fact]
    public async Task The_tool_finds_a_compacted_message()
    {
        var engine = new MyEngine();
        engine.UpdateModel("test-model", 1000);
        await engine.CompressAsync(Conversation(40));

        var result = await engine.HandleToolCallAsync("recall_compacted", """{"query": "topic-2?", "limit": 5}""");

        using var json = JsonDocument.Parse(result);
        var hit = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("user: Question 2: what do we know about topic-2?", hit.GetString());
    }

    [Fact]
    public void The_tool_is_described_to_the_model()
    {
        var tool = Assert.Single(new MyEngine().GetToolSchemas());

        Assert.Equal("recall_compacted", tool.Name);
        Assert.False(string.IsNullOrWhiteSpace(tool.Description));
    }

    [Fact]
    public void The_generated_catalog_lists_the_engine()
    {
        var descriptor = Assert.Single(CompactMemoryEngines.All, engine => engine.Id == "my_engine");

        Assert.Equal(EngineKind.Context, descriptor.Kind);
        Assert.Equal(typeof(MyEngine), descriptor.EngineType);
        var created = Assert.IsType<MyEngine>(descriptor.Factory(new EngineCreationContext(null, new NoEngines())));
        Assert.Equal("my_engine", created.Name);
    }

    /// <summary>This engine builds no other engines, so it is given none.</summary>
    private sealed class NoEngines : IEngineResolver
    {
        public CompressionEngine CreateCompressionEngine(string id, EngineConfig? config = null) =>
            throw new InvalidOperationException($"No engine '{id}' is available in this test.");
    }
}
