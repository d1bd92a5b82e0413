using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Format;

public sealed class OpenAIChatFormatTests
{
    [Fact]
    public void Roles_map_to_chat_roles_and_developer_is_kept()
    {
        var messages = OpenAIChatFormat.ParseMessages("""
            [{"role":"system","content":"s"},{"role":"developer","content":"d"},{"role":"user","content":"u"},
             {"role":"assistant","content":"a"},{"role":"tool","tool_call_id":"c","content":"t"}]
            """);

        Assert.Equal(new[] { ChatRole.System, OpenAIChatFormat.DeveloperRole, ChatRole.User, ChatRole.Assistant, ChatRole.Tool }, messages.Select(m => m.Role));
        Assert.Equal("developer", messages[1].Role.Value);
        Assert.Equal("d", ChatMessageFacts.Text(messages[1]));
        Assert.Contains("\"role\":\"developer\"", OpenAIChatFormat.Serialize(messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_calls_follow_the_id_convention()
    {
        var messages = OpenAIChatFormat.ParseMessages("""
            [{"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"path\": \"a.txt\"}"}},
              {"id":"fc_9","call_id":"call_2","type":"function","function":{"name":"grep","arguments":"not json"}},
              {"call_id":"call_3","type":"function","function":{"name":"ls","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"file body"}]
            """);

        var calls = ChatMessageFacts.ToolCalls(messages[0]);
        Assert.Equal(new[] { "call_1", "call_2", "call_3" }, calls.Select(c => c.CallId));
        Assert.Equal("read", calls[0].Name);
        Assert.Equal("a.txt", ((JsonElement)calls[0].Arguments!["path"]!).GetString());
        Assert.Null(calls[0].AdditionalProperties);
        Assert.Equal("fc_9", calls[1].AdditionalProperties!["id"]);
        Assert.Null(calls[1].Arguments);
        Assert.Equal("not json", ChatMessageFacts.ArgumentsJson(calls[1]));
        Assert.Equal("call_1", ChatMessageFacts.ToolCallId(messages[1]));
        Assert.Equal("file body", ChatMessageFacts.ResultText(ChatMessageFacts.ToolResult(messages[1])!));
        Assert.Empty(messages[0].Contents.OfType<TextContent>());
    }

    [Fact]
    public void Content_parts_become_text_images_and_verbatim_parts()
    {
        var json = """
            [{"role":"user","content":["bare",{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
              {"type":"input_audio","input_audio":{"data":"AAA=","format":"wav"}}]}]
            """;
        var message = Assert.Single(OpenAIChatFormat.ParseMessages(json));

        Assert.Collection(
            message.Contents,
            c => Assert.Equal("bare", Assert.IsType<TextContent>(c).Text),
            c =>
            {
                var text = Assert.IsType<TextContent>(c);
                Assert.Equal("hi", text.Text);
                Assert.Equal("{\"type\":\"ephemeral\"}", ((JsonElement)text.AdditionalProperties!["cache_control"]!).GetRawText());
            },
            c =>
            {
                var data = Assert.IsType<DataContent>(c);
                Assert.Equal("image/png", data.MediaType);
                Assert.Equal("high", data.AdditionalProperties!["detail"]);
            },
            c => Assert.Equal("https://example.com/cat.jpg", Assert.IsType<UriContent>(c).Uri.OriginalString),
            c => Assert.Equal("input_audio", ((JsonElement)Assert.IsType<AIContent>(c).RawRepresentation!).GetProperty("type").GetString()));
        Assert.Equal(2, ChatMessageFacts.ImageCount(message));
        Assert.Equal("bare\nhi", ChatMessageFacts.Text(message));
        Assert.Equal(JsonCompact(json), OpenAIChatFormat.Serialize(new[] { message }));
    }

    [Fact]
    public void Unknown_keys_are_kept_in_order_as_json_elements_and_private_keys_only_on_request()
    {
        var json = """[{"zeta":1,"role":"assistant","_compressed_summary":true,"content":"x","alpha":{"a":[1]}}]""";
        var message = Assert.Single(OpenAIChatFormat.ParseMessages(json));

        Assert.Equal(new[] { "zeta", "_compressed_summary", "alpha" }, message.AdditionalProperties!.Keys);
        Assert.IsType<JsonElement>(message.AdditionalProperties["alpha"]);
        Assert.True(ChatMessageFacts.IsCompressedSummary(message));
        Assert.Equal(json, OpenAIChatFormat.Serialize(new[] { message }));
        Assert.Equal("""[{"zeta":1,"role":"assistant","content":"x","alpha":{"a":[1]}}]""", OpenAIChatFormat.Serialize(new[] { message }, includePrivateKeys: false));
    }

    [Fact]
    public void Messages_built_in_code_are_written_in_the_canonical_shape()
    {
        var call = new FunctionCallContent("c1", "read", new Dictionary<string, object?> { ["path"] = "a.txt", ["n"] = 2 });
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, "sys"),
            new(ChatRole.Assistant, new List<AIContent> { call }) { AdditionalProperties = new() { [ChatMessageFacts.CompressedSummaryKey] = true } },
            new(ChatRole.Tool, new List<AIContent> { new FunctionResultContent("c1", "one"), new FunctionResultContent("c2", null) }),
            new(ChatRole.User, new List<AIContent> { new TextContent("look"), new UriContent(new Uri("https://example.com/x.png"), "image/png") }),
        };

        Assert.Equal(
            """[{"role":"system","content":"sys"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"read","arguments":"{\"path\":\"a.txt\",\"n\":2}"}}],"_compressed_summary":true},{"role":"tool","content":"one","tool_call_id":"c1"},{"role":"tool","content":null,"tool_call_id":"c2"},{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"https://example.com/x.png"}}]}]""",
            OpenAIChatFormat.Serialize(messages));
    }

    [Fact]
    public void A_tool_message_holding_text_instead_of_a_result_keeps_its_text()
    {
        Assert.Equal("""[{"role":"tool","content":"plain"}]""", OpenAIChatFormat.Serialize(new[] { new ChatMessage(ChatRole.Tool, "plain") }));
    }

    [Fact]
    public void An_edited_copy_is_written_as_it_is_now_in_the_original_shape()
    {
        var json = """[{"role":"user","name":"bob","content":[{"type":"text","text":"old"}],"x":1}]""";
        var copy = ChatMessageFacts.Copy(OpenAIChatFormat.ParseMessages(json)[0]);
        copy.Contents[0] = new TextContent("new");

        Assert.Equal("""[{"role":"user","name":"bob","content":[{"type":"text","text":"new"}],"x":1}]""", OpenAIChatFormat.Serialize(new[] { copy }));
    }

    [Fact]
    public void Edited_arguments_are_written_compactly_and_unchanged_ones_verbatim()
    {
        var json = """[{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{ \"x\" : 1 }"}}]}]""";
        var message = OpenAIChatFormat.ParseMessages(json)[0];
        Assert.Equal(json, OpenAIChatFormat.Serialize(new[] { message }));

        var call = ChatMessageFacts.ToolCalls(message)[0];
        message.Contents[0] = ChatMessageFacts.WithArgumentsJson(call, "{\"x\": 2}");
        Assert.Contains("\"arguments\":\"{\\\"x\\\":2}\"", OpenAIChatFormat.Serialize(new[] { message }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_structured_tool_result_is_kept_as_an_object()
    {
        var json = """[{"role":"tool","tool_call_id":"c","content":{"_multimodal":true,"text_summary":"a chart"}}]""";
        var message = OpenAIChatFormat.ParseMessages(json)[0];

        Assert.IsType<JsonElement>(ChatMessageFacts.ToolResult(message)!.Result);
        Assert.Equal(json, OpenAIChatFormat.Serialize(new[] { message }));
    }

    [Fact]
    public void ToJsonArray_holds_the_same_messages()
    {
        var json = """[{"role":"user","content":"hi","_private":1}]""";
        var messages = OpenAIChatFormat.ParseMessages(json);

        Assert.Equal(json, OpenAIChatFormat.ToJsonArray(messages).ToJsonString());
        Assert.Equal("""[{"role":"user","content":"hi"}]""", OpenAIChatFormat.ToJsonArray(messages, includePrivateKeys: false).ToJsonString());
    }

    [Fact]
    public void Parsing_a_json_element_works_after_the_document_is_gone()
    {
        List<ChatMessage> messages;
        using (var document = JsonDocument.Parse("""[{"role":"user","content":"hi","meta":{"k":1}}]"""))
        {
            messages = OpenAIChatFormat.ParseMessages(document.RootElement);
        }

        Assert.Equal("""[{"role":"user","content":"hi","meta":{"k":1}}]""", OpenAIChatFormat.Serialize(messages));
    }

    [Theory]
    [InlineData("{\"role\":\"user\"}", null, null, "must be a JSON array of message objects")]
    [InlineData("{\"messages\":[]}", null, null, "pass its \"messages\" array")]
    [InlineData("[\"hi\"]", 0, null, "Message 0 is a string, not an object")]
    [InlineData("[{\"role\":\"user\",\"content\":\"a\"},{\"content\":\"b\"}]", 1, "role", "Message 1 has no \"role\"; add one of system, user, assistant, tool, developer")]
    [InlineData("[{\"role\":\"function\",\"content\":\"b\"}]", 0, "role", "Message 0 has the unknown role 'function'; the known roles are system, user, assistant, tool, developer")]
    [InlineData("[{\"role\":7}]", 0, "role", "Message 0 has a role that is the number 7")]
    [InlineData("[{\"role\":\"user\",\"content\":5}]", 0, "content", "Message 0 has content that is the number 5; content is a string, a list of parts")]
    [InlineData("[{\"role\":\"user\",\"content\":{\"a\":1}}]", 0, "content", "Message 0 has content that is an object")]
    [InlineData("[{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":true}]", 0, "content", "Message 0 (a tool result) has content that is true")]
    [InlineData("[{\"role\":\"assistant\",\"tool_calls\":{\"id\":\"x\"}}]", 0, "tool_calls", "Message 0 has tool_calls that is an object; tool_calls is a list of calls")]
    [InlineData("[{\"role\":\"assistant\",\"tool_calls\":[\"x\"]}]", 0, "tool_calls[0]", "Message 0 has tool_calls[0] that is a string, not an object")]
    [InlineData("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"x\"}]}]", 0, "tool_calls[0].function", "Message 0 has tool_calls[0] without \"function\"")]
    [InlineData("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"x\",\"function\":{\"arguments\":\"{}\"}}]}]", 0, "tool_calls[0].function.name", "without function.name")]
    [InlineData("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]}]", 0, "tool_calls[0].function.arguments", "arguments that is an object; arguments are a JSON string holding the arguments object")]
    [InlineData("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":3,\"function\":{\"name\":\"f\"}}]}]", 0, "tool_calls[0].id", "tool_calls[0].id that is the number 3")]
    [InlineData("[{\"role\":\"tool\",\"tool_call_id\":1,\"content\":\"x\"}]", 0, "tool_call_id", "a tool_call_id that is the number 1")]
    [InlineData("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":1}]}]", 0, "content[0].text", "a text part (content[0]) whose \"text\" is the number 1")]
    [InlineData("[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]", 0, "content[0].text", "a text part (content[0]) without \"text\"")]
    public void Malformed_messages_are_refused_naming_the_index_the_field_and_the_fix(string json, int? index, string? field, string expected)
    {
        var ex = Assert.Throws<ChatFormatException>(() => OpenAIChatFormat.ParseMessages(json));

        Assert.Equal(index, ex.MessageIndex);
        Assert.Equal(field, ex.Field);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_json_is_refused_with_its_line_and_never_a_bare_json_exception()
    {
        var ex = Assert.Throws<ChatFormatException>(() => OpenAIChatFormat.ParseMessages("[\n  {\"role\": \"user\" \"content\": \"x\"}\n]"));

        Assert.Null(ex.MessageIndex);
        Assert.StartsWith("The messages are not valid JSON at line 2, byte ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public void A_null_message_is_refused_when_writing()
    {
        var ex = Assert.Throws<ChatFormatException>(() => OpenAIChatFormat.Serialize(new ChatMessage[] { new(ChatRole.User, "a"), null! }));

        Assert.Equal(1, ex.MessageIndex);
    }

    [Fact]
    public void Indented_output_is_the_same_json()
    {
        var json = """[{"role":"user","content":"hi"}]""";

        var indented = OpenAIChatFormat.Serialize(OpenAIChatFormat.ParseMessages(json), indented: true);

        Assert.Contains('\n', indented);
        Assert.Equal(json, JsonCompact(indented));
    }

    private static string JsonCompact(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.RootElement.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
