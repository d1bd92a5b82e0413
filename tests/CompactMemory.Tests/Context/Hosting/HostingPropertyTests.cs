using System.Collections.Generic;
using System.Linq;
using CompactMemory.Context;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Hosting;

/// <summary>Generated conversations through the host and the chat client: fixed seed, a few thousand cases.</summary>
public sealed class HostingPropertyTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    /// <summary>Builds a conversation from step codes: 0 user, 1 assistant, 2 a complete tool exchange, 3 a user message with private keys; a final in-flight exchange when asked.</summary>
    private static List<ChatMessage> Build(int[] steps, bool inFlight)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "system") };
        var call = 0;
        foreach (var step in steps)
        {
            switch (step)
            {
                case 0:
                    messages.Add(new ChatMessage(ChatRole.User, "user " + messages.Count));
                    break;
                case 1:
                    messages.Add(new ChatMessage(ChatRole.Assistant, "assistant " + messages.Count));
                    break;
                case 2:
                    var ids = Enumerable.Range(0, 1 + (call % 3)).Select(i => "c" + call + "_" + i).ToList();
                    call++;
                    messages.Add(new ChatMessage(ChatRole.Assistant, ids.Select(id => (AIContent)new FunctionCallContent(id, "tool")).ToList()));
                    messages.AddRange(ids.Select(id => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(id, "result " + id)])));
                    break;
                default:
                    messages.Add(new ChatMessage(ChatRole.User, "private " + messages.Count)
                    {
                        AdditionalProperties = new AdditionalPropertiesDictionary { [ChatMessageFacts.CompressedSummaryKey] = true, ["_db_persisted"] = true, ["visible"] = 1 },
                    });
                    break;
            }
        }

        if (inFlight)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("open_a", "tool"), new FunctionCallContent("open_b", "tool")]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("open_a", "half")]));
        }

        return messages;
    }

    [Fact]
    public void The_host_never_compacts_inside_a_tool_exchange_and_always_returns_a_whole_conversation()
    {
        Gen.Select(Gen.Int[0, 3].Array[0, 40], Gen.Bool, Gen.Bool).Sample((steps, inFlight, throwing) =>
        {
            var engine = new RecordingEngine { ShouldCompressWith = _ => true };
            if (throwing)
            {
                engine.Throwing.Add("Compress");
            }

            var host = new ContextEngineHost(engine, new ContextEngineHostOptions { ContextLength = 100_000, SessionId = "s" });
            var messages = Build(steps, inFlight);
            var snapshot = messages.ToList();

            var automatic = host.CompressAsync(messages).GetAwaiter().GetResult();
            var preflight = host.PreflightAsync(messages).GetAwaiter().GetResult();

            Assert.Equal(snapshot, messages);
            if (inFlight)
            {
                Assert.Equal(ContextCompressionKind.Deferred, automatic.Kind);
                Assert.Empty(engine.Compressions);
                Assert.Same(messages, automatic.Messages);
                Assert.Same(messages, preflight.Messages);
            }
            else if (throwing)
            {
                Assert.Equal(ContextCompressionKind.Failed, automatic.Kind);
                Assert.Same(messages, automatic.Messages);
            }
            else
            {
                Assert.Equal(ContextCompressionKind.Compressed, automatic.Kind);
                Assert.NotEmpty(automatic.Messages);
            }
        }, seed: Seed, iter: 2000, threads: 1);
    }

    [Fact]
    public void The_wire_never_carries_private_keys_and_the_callers_messages_are_never_changed()
    {
        Gen.Select(Gen.Int[0, 3].Array[1, 30], Gen.Bool).Sample((steps, compact) =>
        {
            var engine = new RecordingEngine { ShouldCompressWith = _ => compact };
            var inner = new ScriptedChatClient().ThenText("reply");
            var client = new ChatClientBuilder(inner).UseContextEngine(engine, o => { o.ContextLength = 100_000; o.SessionId = "s"; }).Build();
            var messages = Build(steps, inFlight: false);
            var keys = messages.Select(m => m.AdditionalProperties?.Keys.ToArray() ?? []).ToList();
            var contents = messages.Select(m => m.Contents.ToArray()).ToList();

            client.GetResponseAsync(messages).GetAwaiter().GetResult();

            var sent = Assert.Single(inner.Requests);
            Assert.All(sent, m => Assert.DoesNotContain(m.AdditionalProperties?.Keys ?? [], k => k.StartsWith('_')));
            Assert.Equal(keys, messages.Select(m => m.AdditionalProperties?.Keys.ToArray() ?? []).ToList());
            Assert.Equal(contents, messages.Select(m => m.Contents.ToArray()).ToList());
            Assert.Equal(messages[^1].Text, sent[^1].Text);
        }, seed: Seed, iter: 1000, threads: 1);
    }
}
