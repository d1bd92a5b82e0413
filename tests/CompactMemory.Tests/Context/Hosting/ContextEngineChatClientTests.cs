using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Hosting;

public sealed class ContextEngineChatClientTests
{
    private static void Configure(ContextEngineHostOptions options)
    {
        options.Model = "test-model";
        options.ContextLength = 100_000;
        options.SessionId = "s0";
    }

    private static RecordingEngine Engine(params string[] tools)
    {
        var engine = new RecordingEngine();
        foreach (var tool in tools)
        {
            engine.Schemas.Add(RecordingEngine.Schema(tool));
        }

        return engine;
    }

    private static AIFunction HostTool(string name, List<string> calls) =>
        AIFunctionFactory.Create((string query) => { calls.Add(name + ":" + query); return "host says " + query; }, name, "A host tool.");

    [Fact]
    public async Task The_wire_never_sees_private_keys_and_the_callers_messages_keep_them()
    {
        var inner = new ScriptedChatClient().ThenText("hi");
        var client = new ChatClientBuilder(inner).UseContextEngine(Engine(), Configure).Build();
        var marked = new ChatMessage(ChatRole.User, "hello")
        {
            AdditionalProperties = new AdditionalPropertiesDictionary { [ChatMessageFacts.CompressedSummaryKey] = true, ["_db_persisted"] = 1, ["keep"] = "me" },
        };

        await client.GetResponseAsync([marked]);

        var sent = Assert.Single(Assert.Single(inner.Requests));
        Assert.NotSame(marked, sent);
        Assert.Equal(["keep"], sent.AdditionalProperties!.Keys);
        Assert.Equal(3, marked.AdditionalProperties.Count);
        Assert.True(ChatMessageFacts.IsCompressedSummary(marked));
    }

    [Fact]
    public async Task Usage_details_of_every_response_feed_the_engine()
    {
        var engine = Engine();
        var inner = new ScriptedChatClient().ThenText("one", inputTokens: 1234);
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal(1234, engine.LastPromptTokens);
        Assert.Equal(5, engine.LastCompletionTokens);
        Assert.Contains("OnTurnComplete", engine.Calls);
        Assert.Contains("SelectContext", engine.Calls);
    }

    [Fact]
    public async Task Preflight_compaction_is_sent_returned_to_the_caller_and_substituted_on_the_next_request()
    {
        var engine = Engine();
        engine.ShouldCompressWith = _ => engine.CompressionCount == 0;
        var inner = new ScriptedChatClient().ThenText("first answer").ThenText("second answer");
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();
        var history = Conversations.Long(6);

        var response = await client.GetResponseAsync(history);

        var sent = inner.Requests[0];
        Assert.True(sent.Count < history.Count);
        Assert.Equal("the last question", sent[^1].Text);
        Assert.StartsWith("[summary of", sent[1].Text, StringComparison.Ordinal);
        Assert.True(ContextEngineChatClient.TryGetCompactedHistory(response, out var compacted));
        Assert.Equal(sent.Count + 1, compacted.Count);
        Assert.Equal("first answer", compacted[^1].Text);
        Assert.True(ChatMessageFacts.IsCompressedSummary(compacted[1]));
        Assert.Equal(13 + 1, history.Count);

        // A caller that keeps its own uncompacted history still sends the compacted conversation.
        history.AddMessages(response);
        history.Add(new ChatMessage(ChatRole.User, "and then?"));
        await client.GetResponseAsync(history);
        Assert.Equal(sent.Count + 2, inner.Requests[1].Count);
        Assert.Equal("and then?", inner.Requests[1][^1].Text);
        Assert.Single(engine.Compressions);

        // A caller that adopted the compacted history sends it as is.
        var adopted = compacted.ToList();
        adopted.Add(new ChatMessage(ChatRole.User, "adopted"));
        inner.ThenText("third");
        await client.GetResponseAsync(adopted);
        Assert.Equal(adopted.Count, inner.Requests[2].Count);
    }

    [Fact]
    public async Task Engine_tools_are_added_once_and_a_host_tool_of_the_same_name_wins()
    {
        var calls = new List<string>();
        var inner = new ScriptedChatClient().ThenText("ok");
        var client = new ChatClientBuilder(inner).UseContextEngine(Engine("echo", "search"), Configure).Build();
        var options = new ChatOptions { Tools = [HostTool("search", calls)] };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);

        var sentTools = inner.RequestOptions[0]!.Tools!.Select(t => t.Name).ToList();
        Assert.Equal(["search", "echo"], sentTools);
        Assert.Single(options.Tools);
    }

    [Fact]
    public async Task Recommended_order_the_engine_answers_its_tool_and_calls_the_model_again()
    {
        var engine = Engine("echo");
        var inner = new ScriptedChatClient()
            .ThenCalls(("call-1", "echo", """{"query":"needle"}"""))
            .ThenText("found it");
        var client = new ChatClientBuilder(inner).UseFunctionInvocation().UseContextEngine(engine, Configure).Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "find the needle")]);

        Assert.Equal("found it", response.Text);
        var call = Assert.Single(engine.ToolCalls);
        Assert.Equal("echo", call.Name);
        Assert.Equal("""{"query":"needle"}""", call.Arguments);
        Assert.Contains(call.Messages!, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.CallId == "call-1"));
        Assert.Equal(2, inner.Requests.Count);
        var result = inner.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal("call-1", result.CallId);
        Assert.Equal("""{"echo": {"query":"needle"}}""", result.Result);
        Assert.Equal(3, response.Messages.Count);
    }

    [Fact]
    public async Task Recommended_order_mixed_calls_the_host_tool_goes_to_function_invocation()
    {
        var engine = Engine("echo");
        var hostCalls = new List<string>();
        var inner = new ScriptedChatClient()
            .ThenCalls(("c-host", "lookup", """{"query":"a"}"""), ("c-engine", "echo", """{"query":"b"}"""))
            .ThenText("done");
        var client = new ChatClientBuilder(inner).UseFunctionInvocation().UseContextEngine(engine, Configure).Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "go")], new ChatOptions { Tools = [HostTool("lookup", hostCalls)] });

        Assert.Equal("done", response.Text);
        Assert.Equal(["lookup:a"], hostCalls);
        Assert.Single(engine.ToolCalls);
        var results = inner.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(["c-engine", "c-host"], results);
    }

    [Fact]
    public async Task Other_order_function_invocation_calls_the_engine_tool_as_an_AIFunction()
    {
        var engine = Engine("echo");
        var inner = new ScriptedChatClient()
            .ThenCalls(("call-1", "echo", """{"query":"needle"}"""))
            .ThenText("found it");
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "find the needle")]);

        Assert.Equal("found it", response.Text);
        var call = Assert.Single(engine.ToolCalls);
        Assert.Equal("""{"query":"needle"}""", call.Arguments);
        Assert.Contains(call.Messages!, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.CallId == "call-1"));
        Assert.Equal(2, inner.Requests.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Streaming_works_in_both_orders(bool recommended)
    {
        var engine = Engine("echo");
        engine.ShouldCompressWith = _ => engine.CompressionCount == 0;
        var inner = new ScriptedChatClient()
            .ThenCalls(("call-1", "echo", """{"query":"needle"}"""))
            .ThenText("found it");
        var builder = new ChatClientBuilder(inner);
        var client = (recommended ? builder.UseFunctionInvocation().UseContextEngine(engine, Configure) : builder.UseContextEngine(engine, Configure).UseFunctionInvocation()).Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversations.Long(6)))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("found it", response.Messages[^1].Text);
        Assert.Single(engine.ToolCalls);
        Assert.Single(engine.Compressions);
        Assert.True(ContextEngineChatClient.TryGetCompactedHistory(response, out var compacted));
        Assert.Equal("found it", compacted[^1].Text);
        Assert.True(ChatMessageFacts.IsCompressedSummary(compacted[1]));
        Assert.DoesNotContain(response.Messages, m => m.Contents.Count == 0);
    }

    [Fact]
    public async Task A_context_overflow_compacts_and_retries_the_request()
    {
        var engine = Engine();
        var inner = new ScriptedChatClient()
            .ThenThrow(new HttpRequestException("Payload Too Large", null, HttpStatusCode.RequestEntityTooLarge))
            .ThenText("fits now");
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();
        var history = Conversations.Long(6);

        var response = await client.GetResponseAsync(history);

        Assert.Equal("fits now", response.Text);
        Assert.Single(engine.Compressions);
        Assert.Equal(history.Count, inner.Requests[0].Count);
        Assert.True(inner.Requests[1].Count < history.Count);
        Assert.True(ContextEngineChatClient.TryGetCompactedHistory(response, out _));
    }

    [Fact]
    public async Task A_reported_lower_limit_updates_the_model_before_compacting()
    {
        var engine = Engine();
        var inner = new ScriptedChatClient()
            .ThenThrow(new InvalidOperationException("This model's maximum context length is 70,000 tokens. However, your messages resulted in 90,000 tokens. Please reduce the length of the messages."))
            .ThenText("ok");
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();

        await client.GetResponseAsync(Conversations.Long(6));

        Assert.Equal(70_000, engine.ContextLength);
    }

    [Fact]
    public async Task Overflow_recovery_gives_up_after_three_attempts()
    {
        var engine = Engine();
        engine.CompressWith = m => m.Skip(1).ToList();
        var inner = new ScriptedChatClient();
        for (var i = 0; i < 4; i++)
        {
            inner.ThenThrow(new InvalidOperationException("context_length_exceeded"));
        }

        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();

        var error = await Assert.ThrowsAsync<ContextOverflowException>(() => client.GetResponseAsync(Conversations.Long(6)));

        Assert.True(error.CompressionExhausted);
        Assert.Equal(3, engine.Compressions.Count);
        Assert.Equal(4, inner.Requests.Count);
    }

    [Fact]
    public async Task Overflow_with_compaction_disabled_is_a_terminal_failure()
    {
        var inner = new ScriptedChatClient().ThenThrow(new HttpRequestException("too large", null, HttpStatusCode.RequestEntityTooLarge));
        var client = new ChatClientBuilder(inner).UseContextEngine(Engine(), o => { Configure(o); o.CompressionEnabled = false; }).Build();

        var error = await Assert.ThrowsAsync<ContextOverflowException>(() => client.GetResponseAsync(Conversations.Long(6)));

        Assert.True(error.CompactionDisabled);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Other_errors_pass_through_untouched()
    {
        var inner = new ScriptedChatClient().ThenThrow(new InvalidOperationException("rate limited"));
        var engine = Engine();
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(Conversations.Long(6)));

        Assert.Equal("rate limited", error.Message);
        Assert.Empty(engine.Compressions);
    }

    [Fact]
    public async Task Streaming_overflow_before_the_first_update_is_retried()
    {
        var engine = Engine();
        var inner = new ScriptedChatClient()
            .ThenThrow(new InvalidOperationException("prompt is too long: 210000 tokens > 200000 maximum"))
            .ThenText("fits");
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();

        var response = await client.GetStreamingResponseAsync(Conversations.Long(6)).ToChatResponseAsync();

        Assert.Equal("fits", response.Text);
        Assert.Single(engine.Compressions);
    }

    [Fact]
    public async Task The_post_tool_check_runs_between_round_trips()
    {
        var engine = Engine("echo");
        var inner = new ScriptedChatClient()
            .Then((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "echo", new Dictionary<string, object?> { ["query"] = "x" })]))
            {
                Usage = new UsageDetails { InputTokenCount = 90_000 },
            })
            .ThenText("done");
        var client = new ChatClientBuilder(inner).UseFunctionInvocation().UseContextEngine(engine, Configure).Build();

        var response = await client.GetResponseAsync(Conversations.Long(6));

        Assert.Equal("done", response.Text);
        var compression = Assert.Single(engine.Compressions);
        Assert.Equal(90_000, compression.CurrentTokens);
        Assert.True(ChatMessageFacts.IsTool(compression.Messages[^1]));
        Assert.True(inner.Requests[1].Count < Conversations.Long(6).Count + 2);
    }

    [Fact]
    public async Task A_compaction_after_streamed_tool_round_trips_survives_rebuilt_message_copies()
    {
        var engine = Engine("echo");
        var inner = new ScriptedChatClient()
            .Then((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "echo", new Dictionary<string, object?> { ["query"] = "x" })]))
            {
                Usage = new UsageDetails { InputTokenCount = 90_000 },
            })
            .ThenText("done", inputTokens: 1000)
            .ThenText("next answer", inputTokens: 1000);
        var client = new ChatClientBuilder(inner).UseFunctionInvocation().UseContextEngine(engine, Configure).Build();
        var history = Conversations.Long(6);

        var response = await client.GetStreamingResponseAsync(history).ToChatResponseAsync();
        history.AddMessages(response);
        history.Add(new ChatMessage(ChatRole.User, "one more"));
        await client.GetResponseAsync(history);

        Assert.Single(engine.Compressions);
        Assert.Equal(inner.Requests[1].Count + 2, inner.Requests[2].Count);
        Assert.True(inner.Requests[2].Count < history.Count);
    }

    [Fact]
    public async Task A_service_kept_history_is_never_compacted_here()
    {
        var engine = Engine();
        engine.ShouldCompressWith = _ => true;
        var inner = new ScriptedChatClient().ThenThrow(new InvalidOperationException("context_length_exceeded"));
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(Conversations.Long(6), new ChatOptions { ConversationId = "resp_123" }));

        Assert.Empty(engine.Compressions);
    }

    [Fact]
    public void GetService_prefers_the_client_then_the_host_then_the_engine()
    {
        var engine = Engine();
        var client = new ChatClientBuilder(new ScriptedChatClient()).UseContextEngine(engine, Configure).Build();

        Assert.IsType<ContextEngineChatClient>(client.GetService<object>());
        Assert.Same(engine, client.GetService<ContextEngine>());
        Assert.IsType<ScriptedChatClient>(client.GetService<ScriptedChatClient>());
    }

    [Fact]
    public async Task Manual_compress_through_the_client_is_used_by_later_requests()
    {
        var engine = Engine();
        var inner = new ScriptedChatClient().ThenText("ok");
        var client = new ChatClientBuilder(inner).UseContextEngine(engine, Configure).Build();
        var contextClient = client.GetService<ContextEngineChatClient>()!;
        var history = Conversations.Long(6);

        var result = await contextClient.CompressAsync(history, "the plan");

        Assert.Equal(ContextCompressionKind.Compressed, result.Kind);
        Assert.Equal("the plan", engine.Compressions.Single().FocusTopic);
        await client.GetResponseAsync(history);
        Assert.Equal(result.Messages.Count, inner.Requests[0].Count);
        Assert.Same(contextClient.Host, client.GetService<ContextEngineHost>());
        Assert.Same(engine, client.GetService<IContextEngine>());
    }

    [Fact]
    public async Task An_engine_tool_failure_reaches_the_model_as_error_json()
    {
        var engine = Engine("boom");
        var inner = new ScriptedChatClient().ThenCalls(("c1", "boom", "{}")).ThenText("sorry");
        var client = new ChatClientBuilder(inner).UseFunctionInvocation().UseContextEngine(engine, Configure).Build();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "go")]);

        var result = inner.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal("{\"error\": \"Context engine tool 'boom' failed: kaput\"}", result.Result);
    }

    [Fact]
    public async Task The_factory_overload_builds_the_engine_from_the_services()
    {
        var engine = Engine();
        var inner = new ScriptedChatClient().ThenText("ok");
        var client = new ChatClientBuilder(inner).UseContextEngine(_ => engine, Configure).Build();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Same(engine, client.GetService<IContextEngine>());
        Assert.Equal(100, engine.LastPromptTokens);
    }

    // ---- ContextEngineTools ----

    [Fact]
    public void Engine_tools_as_functions_carry_the_engine_schema()
    {
        var engine = Engine("echo", "echo", "search");

        var functions = ContextEngineTools.AsAIFunctions(engine);

        Assert.Equal(["echo", "search"], functions.Select(f => f.Name));
        Assert.Equal("The echo tool.", functions[0].Description);
        Assert.Equal(engine.Schemas[0].Parameters.GetRawText(), functions[0].JsonSchema.GetRawText());
    }

    [Fact]
    public async Task Function_arguments_are_serialised_without_reflection()
    {
        var engine = Engine("echo");
        var function = ContextEngineTools.AsAIFunctions(engine).Single();
        using var document = JsonDocument.Parse("""{"n":[1,2],"s":"x"}""");

        var result = await function.InvokeAsync(new AIFunctionArguments
        {
            ["element"] = document.RootElement.Clone(),
            ["node"] = JsonNode.Parse("""{"k":true}"""),
            ["text"] = "é\"",
            ["number"] = 3.5,
            ["flag"] = false,
            ["none"] = null,
            ["custom"] = new Opaque(),
        });

        Assert.Equal("""{"echo": {"element":{"n":[1,2],"s":"x"},"node":{"k":true},"text":"é\"","number":3.5,"flag":false,"none":null,"custom":"opaque!"}}""", result);
    }

    [Fact]
    public async Task A_throwing_engine_tool_function_returns_the_error_json()
    {
        var function = ContextEngineTools.AsAIFunctions(Engine("boom")).Single();

        var result = await function.InvokeAsync(new AIFunctionArguments());

        Assert.Equal("{\"error\": \"Context engine tool 'boom' failed: kaput\"}", result);
    }

    [Theory]
    [InlineData("This model's maximum context length is 8192 tokens.", 8192)]
    [InlineData("prompt is too long: 210000 tokens > 200,000 maximum", 200_000)]
    [InlineData("Please reduce the length of the messages.", null)]
    [InlineData("status code: 429 — long context requests are not available on your tier", 200_000)]
    public void Overflow_messages_are_recognised_with_their_limits(string message, int? limit)
    {
        Assert.True(ContextOverflow.IsContextOverflow(new InvalidOperationException("outer", new InvalidOperationException(message)), out var reported));
        Assert.Equal(limit, reported);
    }

    [Fact]
    public void Other_errors_are_not_overflows()
    {
        Assert.False(ContextOverflow.IsContextOverflow(new HttpRequestException("nope", null, HttpStatusCode.TooManyRequests), out _));
        Assert.False(ContextOverflow.IsContextOverflow(new OperationCanceledException("context length"), out _));
        Assert.True(ContextOverflow.IsContextOverflow(new HttpRequestException("x", null, HttpStatusCode.RequestEntityTooLarge), out var limit));
        Assert.Null(limit);
    }

    private sealed class Opaque
    {
        public string Hidden { get; } = "must not be serialised";

        public override string ToString() => "opaque!";
    }
}
