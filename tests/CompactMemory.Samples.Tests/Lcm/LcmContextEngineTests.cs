using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Samples.Lcm;
using CompactMemory.Testing;
using Microsoft.Extensions.AI;
using Xunit;
using static CompactMemory.Samples.Tests.Lcm.LcmTestKit;

namespace CompactMemory.Samples.Tests.Lcm;

public sealed class LcmContextEngineTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private LcmContextEngine NewEngine(string file = "lcm.db", int first = 2, int last = 4) =>
        new(_temp.Combine(file)) { ProtectFirstN = first, ProtectLastN = last };

    [Fact]
    public async Task Messages_survive_a_new_engine_instance_on_the_same_file()
    {
        var conversation = Turns(1, 10);
        using (var first = NewEngine())
        {
            first.OnSessionStart("s1", new SessionStartContext());
            var compacted = await first.CompressAsync(conversation);
            Assert.True(compacted.Count < conversation.Count);
            first.OnSessionEnd("s1", compacted);
        }

        using var second = NewEngine();
        second.OnSessionStart("s1", new SessionStartContext());
        var hits = await Grep(second, "question 3");
        var hit = Assert.Single(hits["results"]!.AsArray());
        Assert.Equal("user", hit!["role"]!.GetValue<string>());
        Assert.Contains("[Question] [3]", hit["snippet"]!.GetValue<string>(), StringComparison.Ordinal);

        var restored = second.GetStoredMessages([hit["id"]!.GetValue<long>()]);
        Assert.Equal(ChatMessageFacts.Text(conversation[5]), ChatMessageFacts.Text(Assert.Single(restored)));

        // Seeing the same messages again stores nothing new.
        var before = second.GetStatus().Extra["stored_messages"]!.GetValue<int>();
        second.OnTurnComplete(conversation, null, new TurnCompleteContext());
        Assert.Equal(conversation.Count, before);
        Assert.Equal(before, second.GetStatus().Extra["stored_messages"]!.GetValue<int>());
    }

    [Fact]
    public async Task Grep_finds_a_message_compacted_two_compressions_ago_and_expand_restores_it_exactly()
    {
        using var engine = NewEngine();
        engine.OnSessionStart("s1", new SessionStartContext());
        var secret = Calls("Let me store that.", ("call_vault", "vault_put", """{"name":"launch code","value":"zebra-42"}"""));
        var stored = Result("call_vault", "stored launch code zebra-42 in slot 7");
        var conversation = new List<ChatMessage>
        {
            SystemMessage("You are a careful assistant."),
            User("Hi."),
            Assistant("Hello."),
            User("Please remember the launch code zebra-42."),
            secret,
            stored,
            Assistant("Done: the launch code is in slot 7."),
        };
        conversation.AddRange(Turns(1, 6, system: false));

        var once = await engine.CompressAsync(conversation);
        Assert.DoesNotContain(once, m => ReferenceEquals(m, secret));
        var twice = await engine.CompressAsync([.. once, .. Turns(10, 6, system: false)]);
        var thrice = await engine.CompressAsync([.. twice, .. Turns(20, 6, system: false)]);
        Assert.Equal(3, engine.CompressionCount);
        Assert.DoesNotContain(thrice, m => ChatMessageFacts.Text(m).Contains("zebra", StringComparison.Ordinal) && !ChatMessageFacts.IsCompressedSummary(m));

        // The user's message, the call's arguments and the tool result all mention it.
        var hits = await Grep(engine, "zebra-42");
        var all = hits["results"]!.AsArray().Select(h => h!["id"]!.GetValue<long>()).Order().ToList();
        Assert.Equal(3, all.Count);
        Assert.Equal("all", hits["match"]!.GetValue<string>());
        var ids = all.Skip(1).ToList();

        // Every hit is among the ids the newest summary points at.
        var pointers = LcmContextEngine.SummaryPointers(Summary(thrice)!);
        Assert.All(ids, id => Assert.Contains(id, pointers));

        // The tool's own text carries the stored JSON verbatim.
        var raw = await engine.HandleToolCallAsync("lcm_expand", "{\"ids\": [" + string.Join(",", ids) + "]}");
        using var expanded = System.Text.Json.JsonDocument.Parse(raw);
        var messages = expanded.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("message").GetRawText()).ToList();
        Assert.Equal(0, expanded.RootElement.GetProperty("missing").GetArrayLength());
        Assert.Equal(2, messages.Count);
        Assert.Equal(
            """{"role":"assistant","content":"Let me store that.","tool_calls":[{"id":"call_vault","type":"function","function":{"name":"vault_put","arguments":"{\"name\":\"launch code\",\"value\":\"zebra-42\"}"}}]}""",
            messages[0]);
        Assert.Equal("""{"role":"tool","content":"stored launch code zebra-42 in slot 7","tool_call_id":"call_vault"}""", messages[1]);

        var back = engine.GetStoredMessages(ids.Order());
        var call = Assert.Single(ChatMessageFacts.ToolCalls(back[0]));
        Assert.Equal(("call_vault", "vault_put"), (call.CallId, call.Name));
        Assert.Equal(ChatMessageFacts.ArgumentsJson(Assert.Single(ChatMessageFacts.ToolCalls(secret))), ChatMessageFacts.ArgumentsJson(call));
        Assert.Equal(ChatMessageFacts.Text(secret), ChatMessageFacts.Text(back[0]));
        Assert.Equal(("call_vault", "stored launch code zebra-42 in slot 7"), (ChatMessageFacts.ToolCallId(back[1]), ChatMessageFacts.Text(back[1])));
    }

    [Fact]
    public async Task Expand_keeps_list_content_wire_ids_raw_arguments_and_unknown_fields()
    {
        using var engine = NewEngine();
        var call = ChatMessageFacts.WithArgumentsJson(new FunctionCallContent("call_b", "search"), "not json {");
        call.AdditionalProperties!["id"] = "fc_a";
        var assistant = new ChatMessage(ChatRole.Assistant, [call]) { AuthorName = "planner" };
        assistant.AdditionalProperties = new() { ["reasoning_id"] = "r-1", ["_private"] = true };
        var tool = Result("call_b", new List<AIContent> { new TextContent("part one"), new DataContent("data:image/png;base64,AAAA", "image/png") });
        var user = new ChatMessage(ChatRole.User, [new TextContent("look"), new UriContent(new Uri("https://example.test/cat.png"), "image/png")]);
        List<ChatMessage> conversation = [SystemMessage("sys"), user, assistant, tool, .. Turns(1, 6, system: false)];

        var output = await engine.CompressAsync(conversation);
        Assert.Null(BrokenInvariant(conversation, output));
        Assert.Null(await LostMessage(engine, conversation, output));

        var json = (await Grep(engine, "part one"))["results"]!.AsArray().Select(h => h!["id"]!.GetValue<long>()).ToList();
        var restored = (await Expand(engine, json))["messages"]![0]!["message"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Equal("""{"role":"tool","content":[{"type":"text","text":"part one"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"},"media_type":"image/png"}],"tool_call_id":"call_b"}""", restored);

        var back = engine.GetStoredMessages([.. (await Grep(engine, "search json"))["results"]!.AsArray().Select(h => h!["id"]!.GetValue<long>())]);
        var restoredCall = Assert.Single(ChatMessageFacts.ToolCalls(Assert.Single(back)));
        Assert.Equal("call_b", restoredCall.CallId);
        Assert.Equal("fc_a", (string?)restoredCall.AdditionalProperties!["id"]);
        Assert.Equal("not json {", ChatMessageFacts.ArgumentsJson(restoredCall));
        Assert.Equal("planner", back[0].AuthorName);
        Assert.True(back[0].AdditionalProperties!.ContainsKey("reasoning_id"));
        Assert.False(back[0].AdditionalProperties!.ContainsKey("_private"));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"\"")]
    [InlineData("\"unterminated phrase")]
    [InlineData("AND")]
    [InlineData("OR OR NOT")]
    [InlineData("NEAR(topic answer, 2)")]
    [InlineData("topic*")]
    [InlineData("^topic")]
    [InlineData("text:topic")]
    [InlineData("messages_fts:topic")]
    [InlineData("(((")]
    [InlineData("-topic")]
    [InlineData("'; DROP TABLE messages; --")]
    [InlineData("topic\0 answer")]
    [InlineData("\0")]
    [InlineData("   ")]
    [InlineData("")]
    [InlineData("💥 🧨")]
    [InlineData("\ud800 topic")]
    [InlineData("{\"query\": 1}")]
    [InlineData("topic\u202eanswer")]
    public async Task Hostile_grep_queries_never_throw_and_the_store_keeps_working(string query)
    {
        using var engine = NewEngine();
        await engine.CompressAsync(Turns(1, 8));

        var text = await engine.HandleToolCallAsync("lcm_grep", new JsonObject { ["query"] = query }.ToJsonString());
        var result = JsonNode.Parse(text)!.AsObject();
        Assert.True(result.ContainsKey("error") || result.ContainsKey("results"), text);
        if (result["error"] is { } error)
        {
            Assert.StartsWith("lcm_grep", error.GetValue<string>().Replace("Tool 'lcm_grep'", "lcm_grep", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.Equal(8, (await Grep(engine, "question"))["count"]!.GetValue<int>());
        Assert.Equal(17, engine.GetStatus().Extra["stored_messages"]!.GetValue<int>());
    }

    [Fact]
    public async Task Grep_quotes_punctuated_words_as_phrases_and_falls_back_to_any_word()
    {
        using var engine = NewEngine();
        await engine.CompressAsync(Turns(1, 12));

        var phrase = await Grep(engine, "topic-11");
        Assert.Equal(2, phrase["count"]!.GetValue<int>());
        Assert.All(phrase["results"]!.AsArray(), hit => Assert.Contains("[topic-11]", hit!["snippet"]!.GetValue<string>(), StringComparison.Ordinal));

        var any = await Grep(engine, "topic-11 nonexistentword");
        Assert.Equal("any", any["match"]!.GetValue<string>());
        Assert.Equal(2, any["count"]!.GetValue<int>());

        var none = await Grep(engine, "nonexistentword");
        Assert.Equal(0, none["count"]!.GetValue<int>());

        Assert.Equal(3, (await Grep(engine, "question", limit: 3))["count"]!.GetValue<int>());
        Assert.Equal(1, (await Grep(engine, "question", limit: -5))["count"]!.GetValue<int>());
        Assert.Equal(12, (await Grep(engine, "question", limit: 1000))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Results_of_its_own_tools_are_stored_but_not_searched_again()
    {
        using var engine = NewEngine();
        var conversation = Turns(1, 6);
        await engine.CompressAsync(conversation);
        var grep = (await Grep(engine, "topic-2")).ToJsonString();
        Assert.Contains("topic-2", grep, StringComparison.Ordinal);
        List<ChatMessage> later = [.. conversation, User("what about topic-2?"), Calls(null, ("g1", "lcm_grep", """{"query":"topic-2"}""")), Result("g1", grep), Assistant("Found it.")];
        engine.OnTurnComplete(later, null, new TurnCompleteContext());

        Assert.Equal(17, engine.GetStatus().Extra["stored_messages"]!.GetValue<int>());
        var again = await Grep(engine, "topic-2", limit: 50);
        Assert.DoesNotContain(again["results"]!.AsArray(), hit => hit!["role"]!.GetValue<string>() == "tool");
        Assert.Equal(3, again["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Expand_reports_missing_ids_and_refuses_empty_or_oversized_requests()
    {
        using var engine = NewEngine();
        await engine.CompressAsync(Turns(1, 4));

        var result = await Expand(engine, [2, 999, 2, -1]);
        Assert.Equal([2L], result["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()));
        Assert.Equal([999L, -1L], result["missing"]!.AsArray().Select(m => m!.GetValue<long>()));

        Assert.StartsWith("lcm_expand: pass at least one message id", (await Expand(engine, []))["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("lcm_expand: 51 ids", (await Expand(engine, Enumerable.Range(1, 51).Select(i => (long)i)))["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var wrongType = await engine.HandleToolCallAsync("lcm_expand", """{"ids": "1,2"}""");
        Assert.StartsWith("{\"error\": \"Tool 'lcm_expand': argument 'ids'", wrongType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_are_separate_unless_one_continues_another()
    {
        using var engine = NewEngine();
        engine.OnSessionStart("old", new SessionStartContext());
        var old = await engine.CompressAsync([.. Turns(1, 6), User("The password is walrus.")]);

        engine.OnSessionStart("rotated", new SessionStartContext { BoundaryReason = "compression", OldSessionId = "old" });
        Assert.Equal(1, (await Grep(engine, "walrus"))["count"]!.GetValue<int>());
        var stored = engine.GetStatus().Extra["stored_messages"]!.GetValue<int>();
        await engine.CompressAsync([.. old, Assistant("Noted."), .. Turns(50, 5, system: false)]);
        Assert.Equal(stored + 11, engine.GetStatus().Extra["stored_messages"]!.GetValue<int>());

        engine.OnSessionStart("fresh", new SessionStartContext { OldSessionId = "rotated" });
        Assert.Equal(0, (await Grep(engine, "walrus"))["count"]!.GetValue<int>());
        Assert.Empty((await Expand(engine, [1]))["messages"]!.AsArray());

        engine.OnSessionStart("carried", new SessionStartContext { OldSessionId = "rotated", CarryOverContext = true });
        Assert.Equal(1, (await Grep(engine, "walrus"))["count"]!.GetValue<int>());
        Assert.Equal("carried", engine.SessionId);
    }

    [Fact]
    public async Task As_a_chat_reducer_it_stores_every_message_and_compacts_only_past_the_threshold()
    {
        using var engine = NewEngine();
        Assert.IsAssignableFrom<IChatReducer>(engine);
        engine.UpdateModel("m", 100_000);
        var small = Turns(1, 10);
        Assert.Same(small, await engine.ReduceAsync(small, default));
        Assert.Equal(21, engine.GetStatus().Extra["stored_messages"]!.GetValue<int>());
        Assert.Equal(0, engine.CompressionCount);

        engine.UpdateModel("m", 200);
        var reduced = (await engine.ReduceAsync(small, default)).ToList();
        Assert.True(reduced.Count < small.Count);
        Assert.Null(BrokenInvariant(small, reduced));
        Assert.Equal((1, 21), (engine.CompressionCount, engine.GetStatus().Extra["stored_messages"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Carry_over_links_the_new_session_to_the_old_one()
    {
        using var engine = NewEngine();
        engine.OnSessionStart("monday", new SessionStartContext());
        await engine.CompressAsync([.. Turns(1, 3), User("Remember the otter.")]);
        engine.OnSessionStart("tuesday", new SessionStartContext());
        Assert.Equal(0, (await Grep(engine, "otter"))["count"]!.GetValue<int>());

        engine.CarryOverNewSessionContext("monday", "tuesday");
        Assert.Equal(1, (await Grep(engine, "otter"))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Nothing_to_compact_returns_the_same_list_and_is_not_counted()
    {
        using var engine = NewEngine(first: 3, last: 6);
        var short_ = Turns(1, 4);
        Assert.False(engine.HasContentToCompress(short_));
        Assert.Same(short_, await engine.CompressAsync(short_));
        Assert.Equal(0, engine.CompressionCount);

        var compacted = await engine.CompressAsync(Turns(1, 12));
        Assert.Equal(1, engine.CompressionCount);
        // The same conversation again: only the earlier summary would move, so nothing happens.
        Assert.Same(compacted, await engine.CompressAsync(compacted));
        Assert.Equal(1, engine.CompressionCount);
    }

    [Fact]
    public async Task The_summary_is_one_private_flagged_message_with_pointers_excerpts_and_tool_hints()
    {
        using var engine = NewEngine();
        var input = Turns(1, 10);
        var output = await engine.CompressAsync(input);

        Assert.Null(BrokenInvariant(input, output));
        var summary = Summary(output)!;
        Assert.Equal(true, summary.AdditionalProperties![ChatMessageFacts.CompressedSummaryKey]);
        Assert.Null(ChatMessageFacts.WithoutPrivateKeys(summary).AdditionalProperties);
        var text = ChatMessageFacts.Text(summary);
        Assert.StartsWith("[LCM summary]", text, StringComparison.Ordinal);
        Assert.Contains("\nStored message ids: 4-16 (13 messages).\n", text, StringComparison.Ordinal);
        Assert.Contains("\nThis compaction moved 13 messages (ids 4-16):\n- #4 user: Question 2: tell me about topic-2.\n", text, StringComparison.Ordinal);
        Assert.Contains("lcm_grep", text, StringComparison.Ordinal);
        Assert.Contains("lcm_expand", text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(4, 13).Select(i => (long)i), LcmContextEngine.SummaryPointers(summary));

        // Deterministic: the same conversation in another store gives the same text.
        using var other = NewEngine("other.db");
        Assert.Equal(text, ChatMessageFacts.Text(Summary(await other.CompressAsync(Turns(1, 10)))!));
    }

    [Fact]
    public async Task Tool_groups_are_never_split_and_orphans_in_the_input_are_left_out_but_kept_in_the_store()
    {
        for (var first = 0; first <= 5; first++)
        {
            for (var last = 0; last <= 9; last++)
            {
                using var engine = NewEngine($"pairs-{first}-{last}.db", first, last);
                List<ChatMessage> input =
                [
                    SystemMessage("sys"),
                    User("start"),
                    Calls("checking", ("a1", "f", "{}"), ("a2", "g", "{}")),
                    Result("a1", "r1"),
                    Result("a2", "r2"),
                    Assistant("both done"),
                    User("more"),
                    Result("orphan", "no call for this"),
                    Calls(null, ("b1", "f", "{}")),
                    Result("b1", "r3"),
                    Calls(null, ("c1", "h", "{}"), ("c2", "h", "{}"), ("c3", "h", "{}")),
                    Result("c2", "r5"),
                    Result("c1", "r4"),
                    Result("c3", "r6"),
                    Assistant("all done"),
                    User("and now?"),
                    Calls("one more", ("d1", "f", "{}")),
                    Result("d1", "r7"),
                    Calls(null, ("e1", "never_answered", "{}")),
                    Assistant("finished"),
                ];

                var output = await engine.CompressAsync(input);
                Assert.True(BrokenInvariant(input, output) is null, $"first={first} last={last}: {BrokenInvariant(input, output)}\n{Show(output)}");
                Assert.True(await LostMessage(engine, input, output) is null, $"first={first} last={last}: {await LostMessage(engine, input, output)}");
            }
        }
    }

    [Fact]
    public async Task Calls_from_many_threads_are_serialised()
    {
        using var engine = NewEngine();
        await Parallel.ForAsync(0, 16, async (i, ct) =>
        {
            var messages = Turns(i * 100, 8);
            var output = await engine.CompressAsync(messages, cancellationToken: ct);
            Assert.Null(BrokenInvariant(messages, output));
            Assert.True((await Grep(engine, $"topic-{i * 100}"))["count"]!.GetValue<int>() >= 1);
        });

        // The system prompt is shared; every other message was stored once.
        Assert.Equal(1 + (16 * 16), engine.GetStatus().Extra["stored_messages"]!.GetValue<int>());
    }

    [Fact]
    public void The_database_location_comes_from_the_argument_the_setting_the_environment_or_the_default()
    {
        Assert.Equal(_temp.Combine("a.db"), new LcmContextEngine(_temp.Combine("a.db")).DatabasePath);
        Assert.Equal(":memory:", new LcmContextEngine(":memory:").DatabasePath);

        var config = new EngineConfig();
        config.Extras["database_path"] = _temp.Combine("b.db");
        config.Extras["protect_last_n"] = 9;
        var configured = new LcmContextEngine(config);
        Assert.Equal((_temp.Combine("b.db"), 9, 3), (configured.DatabasePath, configured.ProtectLastN, configured.ProtectFirstN));

        Assert.EndsWith(System.IO.Path.Combine("CompactMemory", "lcm", "lcm.db"), LcmContextEngine.DefaultDatabasePath(), StringComparison.Ordinal);

        var bad = new EngineConfig();
        bad.Extras["database_path"] = 42;
        Assert.Contains("database_path", Assert.Throws<ConfigurationException>(() => new LcmContextEngine(bad)).Message, StringComparison.Ordinal);
        var negative = new EngineConfig();
        negative.Extras["protect_first_n"] = -1;
        Assert.Contains("protect_first_n", Assert.Throws<ConfigurationException>(() => new LcmContextEngine(negative)).Message, StringComparison.Ordinal);
        var nul = new EngineConfig();
        nul.Extras["database_path"] = "a\0b";
        Assert.Contains("database_path", Assert.Throws<ConfigurationException>(() => new LcmContextEngine(nul)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_fails_the_compaction_instead_of_losing_messages()
    {
        System.IO.File.WriteAllText(_temp.Combine("not-a-dir"), "x");
        using var engine = new LcmContextEngine(_temp.Combine("not-a-dir", "lcm.db"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.CompressAsync(Turns(1, 10)));
        Assert.Contains("LCM_DATABASE_PATH", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, engine.CompressionCount);
        Assert.NotNull(engine.GetStatus().Extra["store_error"]);
    }

    [Fact]
    public async Task Status_reports_the_standard_keys_then_the_store()
    {
        using var engine = NewEngine();
        engine.UpdateModel("m", 1000);
        await engine.CompressAsync(Turns(1, 10));
        var json = engine.GetStatus().ToJsonObject();
        Assert.Equal(
            ["last_prompt_tokens", "threshold_tokens", "context_length", "usage_percent", "compression_count", "session_id", "stored_messages", "compacted_messages", "database_path"],
            json.Select(p => p.Key));
        Assert.Equal((750, 1, 21, 13), (json["threshold_tokens"]!.GetValue<int>(), json["compression_count"]!.GetValue<int>(), json["stored_messages"]!.GetValue<int>(), json["compacted_messages"]!.GetValue<int>()));
        Assert.Equal("lcm", engine.Name);
        Assert.Equal(["lcm_expand", "lcm_grep"], engine.GetToolSchemas().Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
