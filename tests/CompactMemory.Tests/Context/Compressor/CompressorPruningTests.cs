using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.Context;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Compressor;

/// <summary>Phase 1 pruning (§8.7, §8.9) through <see cref="ContextCompressor.PruneToolResultsOnly"/>.</summary>
public sealed class CompressorPruningTests
{
    /// <summary>ProtectLastN 2 and a last user message bigger than the 20K-token tail budget: the protected tail is the last two messages.</summary>
    private static ContextCompressor Create() => new(new ContextCompressorOptions { ContextLength = 200_000, ProtectLastN = 2 });

    private static List<ChatMessage> WithTail(params ChatMessage[] middle)
    {
        var list = new List<ChatMessage> { Msg.System(), Msg.User("go") };
        list.AddRange(middle);
        list.Add(Msg.User("big " + Msg.Long(90_000)));
        list.Add(Msg.Assistant("done"));
        return list;
    }

    private static string ResultOf(ChatMessage message) => ChatMessageFacts.ResultText(ChatMessageFacts.ToolResult(message)!);

    [Fact]
    public void Old_long_tool_output_becomes_a_one_line_summary_of_its_call()
    {
        var terminalOutput = "{\"exit_code\": 2, \"output\": \"" + Msg.Long(300) + "\"}\nline two\nline three";
        var messages = WithTail(
            Msg.Calls(string.Empty,
                ("t1", "terminal", "{\"command\":\"npm test\"}"),
                ("t2", "read_file", "{\"path\":\"src/app.py\",\"offset\":10}"),
                ("t3", "web_fetch", "{\"url\":\"https://example.com\",\"depth\":2,\"extra\":true}")),
            Msg.Result("t1", terminalOutput),
            Msg.Result("t2", Msg.Long(1_200, 'r')),
            Msg.Result("t3", Msg.Long(300, 'w')),
            Msg.Result("t9", Msg.Long(250, 'q')),
            Msg.Assistant("ok"));
        var before = Inspect.Snapshot(messages);

        var pruning = Create().PruneToolResultsOnly(messages);

        Assert.Equal(4, pruning.PrunedCount);
        Assert.Equal("[terminal] ran `npm test` -> exit 2, 3 lines output", ResultOf(pruning.Messages[3]));
        Assert.Equal("[read_file] read src/app.py from line 10 (1,200 chars)", ResultOf(pruning.Messages[4]));
        Assert.Equal("[web_fetch] url=https://example.com depth=2 (300 chars result)", ResultOf(pruning.Messages[5]));
        Assert.Equal("[unknown] (250 chars result)", ResultOf(pruning.Messages[6]));
        Assert.Equal("t1", ChatMessageFacts.ToolCallId(pruning.Messages[3]));
        Assert.Equal(before, Inspect.Snapshot(messages));
    }

    [Fact]
    public void Short_output_and_the_protected_tail_are_left_alone()
    {
        var messages = WithTail(Msg.Call("t1"), Msg.Result("t1", Msg.Long(200)), Msg.Assistant("ok"));
        messages.Insert(messages.Count - 1, Msg.Call("t2"));
        messages.Insert(messages.Count - 1, Msg.Result("t2", Msg.Long(5_000)));

        var pruning = Create().PruneToolResultsOnly(messages);

        Assert.Equal(0, pruning.PrunedCount);
        Assert.Same(messages, pruning.Messages);
    }

    [Fact]
    public void Without_pressure_a_short_conversation_is_kept_verbatim()
    {
        var messages = new List<ChatMessage> { Msg.System(), Msg.User("go"), Msg.Call("t1"), Msg.Result("t1", Msg.Long(5_000)), Msg.Assistant("ok"), Msg.User("next") };

        var pruning = new ContextCompressor().PruneToolResultsOnly(messages);

        Assert.Equal(0, pruning.PrunedCount);
    }

    [Fact]
    public void Older_duplicate_output_is_replaced_even_in_the_tail_and_the_newest_copy_kept()
    {
        var same = Msg.Long(400, 'd');
        var messages = new List<ChatMessage>
        {
            Msg.System(), Msg.User("go"),
            Msg.Call("a"), Msg.Result("a", same),
            Msg.Call("b"), Msg.Result("b", same),
            Msg.Call("c"), Msg.Result("c", Msg.Long(199, 's')),
            Msg.Call("d"), Msg.Result("d", Msg.Long(199, 's')),
            Msg.Assistant("done"),
        };

        var pruning = new ContextCompressor().PruneToolResultsOnly(messages);

        Assert.Equal(1, pruning.PrunedCount);
        Assert.Equal(ContextCompressor.DuplicateToolOutputMarker, ResultOf(pruning.Messages[3]));
        Assert.Equal(same, ResultOf(pruning.Messages[5]));
        Assert.Equal(Msg.Long(199, 's'), ResultOf(pruning.Messages[7]));
    }

    [Fact]
    public void Images_in_old_tool_results_become_a_marker_and_the_content_stays_a_list()
    {
        var messages = WithTail(
            Msg.Call("s1", "browser_vision", "{}"),
            Msg.Result("s1", new List<AIContent> { new TextContent("page"), Msg.Image() }),
            Msg.Assistant("seen"));

        var pruning = Create().PruneToolResultsOnly(messages);

        var parts = Assert.IsAssignableFrom<IEnumerable<AIContent>>(ChatMessageFacts.ToolResult(pruning.Messages[3])!.Result).ToList();
        Assert.Equal(new[] { "page", ContextCompressor.ScreenshotRemovedMarker }, parts.Select(p => ((TextContent)p).Text));
        Assert.Equal(1, pruning.PrunedCount);
    }

    [Fact]
    public void Long_arguments_have_long_string_leaves_cut_and_stay_valid_json_with_cjk_literal()
    {
        var cjk = string.Concat(Enumerable.Repeat("压缩上下文", 60));
        var args = "{\"path\":\"a.txt\",\"content\":\"" + cjk + "\",\"n\":1.50,\"flag\":true,\"none\":null,\"list\":[\"" + Msg.Long(300) + "\",\"short\"],\"nested\":{\"deep\":\"" + Msg.Long(250, 'z') + "\"}}";
        var messages = WithTail(Msg.Calls(string.Empty, ("w1", "write_file", args)), Msg.Result("w1", "ok"), Msg.Assistant("written"));

        var pruning = Create().PruneToolResultsOnly(messages);

        var call = ChatMessageFacts.ToolCalls(pruning.Messages[2]).Single();
        var json = ChatMessageFacts.ArgumentsJson(call);
        Assert.Contains(cjk[..200] + ContextCompressor.ArgumentTruncationSuffix, json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        var node = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(new[] { "path", "content", "n", "flag", "none", "list", "nested" }, node.Select(p => p.Key));
        Assert.Equal("a.txt", (string)node["path"]!);
        Assert.Equal("1.50", node["n"]!.ToJsonString());
        Assert.True((bool)node["flag"]!);
        Assert.Null(node["none"]);
        Assert.Equal(Msg.Long(200) + ContextCompressor.ArgumentTruncationSuffix, (string)node["list"]![0]!);
        Assert.Equal("short", (string)node["list"]![1]!);
        Assert.Equal(Msg.Long(200, 'z') + ContextCompressor.ArgumentTruncationSuffix, (string)node["nested"]!["deep"]!);
        Assert.Equal(1, pruning.PrunedCount);
    }

    [Fact]
    public void Arguments_that_are_not_json_are_never_touched()
    {
        var broken = "{\"content\":\"" + Msg.Long(600) + "\""; // unterminated
        var messages = WithTail(Msg.Calls(string.Empty, ("w1", "write_file", broken)), Msg.Result("w1", "ok"), Msg.Assistant("written"));

        var pruning = Create().PruneToolResultsOnly(messages);

        Assert.Equal(broken, ChatMessageFacts.ArgumentsJson(ChatMessageFacts.ToolCalls(pruning.Messages[2]).Single()));
        Assert.Equal(0, pruning.PrunedCount);
    }

    [Fact]
    public void Arguments_of_500_characters_or_fewer_are_not_cut()
    {
        var args = "{\"content\":\"" + Msg.Long(480) + "\"}";
        Assert.True(args.Length <= 500);
        var messages = WithTail(Msg.Calls(string.Empty, ("w1", "write_file", args)), Msg.Result("w1", "ok"), Msg.Assistant("written"));

        Assert.Equal(0, Create().PruneToolResultsOnly(messages).PrunedCount);
    }

    [Fact]
    public void A_top_level_string_is_a_leaf_too()
    {
        var truncated = ContextCompressor.TruncateArgumentLeaves(JsonSerializer.Serialize(Msg.Long(600)));

        Assert.Equal(Msg.Long(200) + ContextCompressor.ArgumentTruncationSuffix, JsonSerializer.Deserialize<string>(truncated!));
        Assert.Null(ContextCompressor.TruncateArgumentLeaves("[1, 2, \"short\"]"));
        Assert.Null(ContextCompressor.TruncateArgumentLeaves("not json"));
    }

    private static readonly string[] Pieces = { "a", "Z", "压", "缩", "\"", "\\", "\n", "\t", "\u0001", "😀", "é", " ", "<", "&", "'" };

    private static readonly Gen<string> Leaf = Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[0, 320].Select(string.Concat);

    [Fact]
    public void Truncated_arguments_always_parse_and_keep_shape()
    {
        Gen.Select(Leaf.Array[1, 6], Gen.Int[0, 3]).Sample((leaves, nesting) =>
        {
            var root = new JsonObject();
            var target = root;
            for (var level = 0; level < nesting; level++)
            {
                var child = new JsonObject();
                target["level" + level] = child;
                target = child;
            }

            var array = new JsonArray();
            for (var i = 0; i < leaves.Length; i++)
            {
                target["k" + i] = leaves[i];
                array.Add(leaves[i]);
            }

            target["arr"] = array;
            target["num"] = 12.5;
            var json = root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

            var truncated = ContextCompressor.TruncateArgumentLeaves(json) ?? json;

            var reparsed = JsonNode.Parse(truncated)!;
            var leafTarget = reparsed.AsObject();
            for (var level = 0; level < nesting; level++)
            {
                leafTarget = leafTarget["level" + level]!.AsObject();
            }

            for (var i = 0; i < leaves.Length; i++)
            {
                var value = (string)leafTarget["k" + i]!;
                var expected = leaves[i].Length > 200 ? value.EndsWith(ContextCompressor.ArgumentTruncationSuffix, StringComparison.Ordinal) && leaves[i].StartsWith(value[..^ContextCompressor.ArgumentTruncationSuffix.Length], StringComparison.Ordinal) : value == leaves[i];
                if (!expected)
                {
                    return false;
                }
            }

            return leafTarget["arr"]!.AsArray().Count == leaves.Length && (double)leafTarget["num"]! == 12.5 && !truncated.Contains("\\u538B", StringComparison.OrdinalIgnoreCase);
        }, seed: "0N0XIzNsQ0O2", iter: 2_000, threads: 1);
    }

    [Fact]
    public void Per_message_estimate_counts_text_images_and_arguments()
    {
        Assert.Equal(10, ContextCompressor.EstimateMessage(new ChatMessage(ChatRole.Assistant, (string?)null)));
        Assert.Equal(100 + 10, ContextCompressor.EstimateMessage(Msg.User(Msg.Long(400))));
        Assert.Equal(1 + 1_600 + 10, ContextCompressor.EstimateMessage(Msg.UserWithImage("abcd")));
        var args = "{\"command\":\"" + Msg.Long(388) + "\"}"; // 402 characters → 100 tokens
        Assert.Equal(10 + 100, ContextCompressor.EstimateMessage(Msg.Calls(string.Empty, ("c", "terminal", args))));
        Assert.Equal(2 + 10, ContextCompressor.EstimateMessage(Msg.Result("c", new List<AIContent> { new TextContent("12345678") })));
    }

    [Fact]
    public void Pruning_output_is_deterministic_text()
    {
        var messages = WithTail(Msg.Call("t1", "terminal", "{\"command\":\"" + Msg.Long(100) + "\"}"), Msg.Result("t1", Msg.Long(300)), Msg.Assistant("ok"));

        var line = ResultOf(Create().PruneToolResultsOnly(messages).Messages[3]);

        Assert.Equal("[terminal] ran `" + Msg.Long(77) + "...` -> exit ?, 1 lines output", line);
        Assert.Equal(Encoding.UTF8.GetByteCount(line), line.Length);
    }
}
