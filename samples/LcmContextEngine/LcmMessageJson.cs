using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.Context;
using Microsoft.Extensions.AI;

namespace CompactMemory.Samples.Lcm;

/// <summary>
/// How the store writes a message: one compact OpenAI chat-format JSON object, built with <see cref="Utf8JsonWriter"/>
/// (no reflection), following the SDK's message conventions (<see cref="ChatMessageFacts"/>), and parsed back the same way.
/// </summary>
/// <remarks>
/// <c>{"role", "content", "name"?, "tool_calls"?, "tool_call_id"?, ...}</c>: content is a string for a message with one
/// text part, <see langword="null"/> without parts, otherwise a list of parts (<c>text</c>, <c>image_url</c>,
/// <c>reasoning</c>, <c>file</c>, <c>uri</c>); a tool message's content is its result (string, <see langword="null"/>,
/// list of parts, or JSON). A call keeps its wire id beside <c>call_id</c> when they differ, and its arguments text
/// verbatim. Non-private additional properties of the message are written after the known keys; host-private
/// (<c>_</c>) keys are not: they are the host's bookkeeping, not what the model saw. Text that is not valid UTF-16 (an
/// unpaired surrogate) is stored with U+FFFD in its place, as SQLite would store it anyway.
/// </remarks>
internal static class LcmMessageJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The message as compact JSON text.</summary>
    public static string Serialize(ChatMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, message);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The searchable text of a message: its text, then each tool call's name and arguments on its own line (calls of <c>lcm_grep</c> and <c>lcm_expand</c> left out).</summary>
    public static string SearchText(ChatMessage message)
    {
        var text = ChatMessageFacts.Text(message);
        var calls = ChatMessageFacts.ToolCalls(message);
        if (calls.Count == 0)
        {
            return Clean(text);
        }

        var builder = new StringBuilder(text);
        foreach (var call in calls)
        {
            if (call.Name is "lcm_grep" or "lcm_expand")
            {
                // The engine's own searches are not worth finding again.
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append(call.Name).Append(' ').Append(ChatMessageFacts.ArgumentsJson(call));
        }

        return Clean(builder.ToString());
    }

    /// <summary>The SHA-256 of the JSON text, as hex: how the store recognises a message it has already seen.</summary>
    public static string Fingerprint(string json) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>Text with every unpaired surrogate replaced by U+FFFD (the same instance when there is none).</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                builder ??= new StringBuilder(text.Length).Append(text, 0, i);
                builder.Append('\uFFFD');
                continue;
            }

            builder?.Append(c);
        }

        return builder?.ToString() ?? text;
    }

    private static void Write(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", Clean(message.Role.Value));
        writer.WritePropertyName("content");
        var result = ChatMessageFacts.IsTool(message) ? ChatMessageFacts.ToolResult(message) : null;
        if (result is not null)
        {
            WriteResult(writer, result.Result);
        }
        else
        {
            WriteContent(writer, message.Contents);
        }

        if (!string.IsNullOrEmpty(message.AuthorName))
        {
            writer.WriteString("name", Clean(message.AuthorName));
        }

        var calls = ChatMessageFacts.ToolCalls(message);
        if (calls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                var wireId = call.AdditionalProperties is { } props && props.TryGetValue("id", out var id) && id is string s ? s : null;
                writer.WriteString("id", Clean(wireId ?? call.CallId));
                if (wireId is not null && !string.Equals(wireId, call.CallId, StringComparison.Ordinal))
                {
                    writer.WriteString("call_id", Clean(call.CallId));
                }

                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", Clean(call.Name));
                writer.WriteString("arguments", Clean(ChatMessageFacts.ArgumentsJson(call)));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (result is not null)
        {
            writer.WriteString("tool_call_id", Clean(result.CallId));
        }

        if (message.AdditionalProperties is { Count: > 0 } extra)
        {
            var keys = new List<string>(extra.Keys);
            keys.Sort(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (ChatMessageFacts.IsPrivateKey(key) || IsKnownKey(key))
                {
                    continue;
                }

                writer.WritePropertyName(Clean(key));
                WriteValue(writer, extra[key]);
            }
        }

        writer.WriteEndObject();
    }

    private static bool IsKnownKey(string key) =>
        key is "role" or "content" or "name" or "tool_calls" or "tool_call_id";

    private static void WriteContent(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        var parts = new List<AIContent>(contents.Count);
        foreach (var content in contents)
        {
            if (content is not FunctionCallContent and not FunctionResultContent)
            {
                parts.Add(content);
            }
        }

        if (parts.Count == 0)
        {
            writer.WriteNullValue();
        }
        else if (parts.Count == 1 && parts[0] is TextContent single)
        {
            writer.WriteStringValue(Clean(single.Text));
        }
        else
        {
            WriteParts(writer, parts);
        }
    }

    private static void WriteResult(Utf8JsonWriter writer, object? result)
    {
        switch (result)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(Clean(s));
                break;
            case IEnumerable<AIContent> parts:
                WriteParts(writer, parts);
                break;
            default:
                WriteValue(writer, result);
                break;
        }
    }

    private static void WriteParts(Utf8JsonWriter writer, IEnumerable<AIContent> parts)
    {
        writer.WriteStartArray();
        foreach (var part in parts)
        {
            writer.WriteStartObject();
            switch (part)
            {
                case TextContent text:
                    writer.WriteString("type", "text");
                    writer.WriteString("text", Clean(text.Text));
                    break;
                case TextReasoningContent reasoning:
                    writer.WriteString("type", "reasoning");
                    writer.WriteString("text", Clean(reasoning.Text));
                    break;
                case DataContent data when ChatMessageFacts.IsImage(data):
                    writer.WriteString("type", "image_url");
                    writer.WriteStartObject("image_url");
                    writer.WriteString("url", Clean(data.Uri));
                    writer.WriteEndObject();
                    writer.WriteString("media_type", Clean(data.MediaType));
                    break;
                case UriContent uri when ChatMessageFacts.IsImage(uri):
                    writer.WriteString("type", "image_url");
                    writer.WriteStartObject("image_url");
                    writer.WriteString("url", Clean(uri.Uri.OriginalString));
                    writer.WriteEndObject();
                    writer.WriteString("media_type", Clean(uri.MediaType));
                    break;
                case DataContent data:
                    writer.WriteString("type", "file");
                    writer.WriteString("media_type", Clean(data.MediaType));
                    writer.WriteString("url", Clean(data.Uri));
                    break;
                case UriContent uri:
                    writer.WriteString("type", "uri");
                    writer.WriteString("media_type", Clean(uri.MediaType));
                    writer.WriteString("url", Clean(uri.Uri.OriginalString));
                    break;
                default:
                    // A part the store has no shape for: kept as its kind and any text, so the loss is visible.
                    writer.WriteString("type", "unsupported");
                    writer.WriteString("kind", part.GetType().Name);
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element when element.ValueKind != JsonValueKind.Undefined:
                element.WriteTo(writer);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case string s:
                writer.WriteStringValue(Clean(s));
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case IFormattable formattable:
                writer.WriteStringValue(Clean(formattable.ToString(null, CultureInfo.InvariantCulture)));
                break;
            default:
                writer.WriteStringValue(Clean(value.ToString()));
                break;
        }
    }

    /// <summary>A stored message read back as a <see cref="ChatMessage"/>, the inverse of <see cref="Serialize"/>.</summary>
    public static ChatMessage Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var role = new ChatRole(root.GetProperty("role").GetString() ?? "user");
        var contents = new List<AIContent>();
        var message = new ChatMessage(role, contents);
        root.TryGetProperty("content", out var content);
        if (role == ChatRole.Tool && root.TryGetProperty("tool_call_id", out var callId))
        {
            object? result = content.ValueKind switch
            {
                JsonValueKind.String => content.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.Array => ReadParts(content),
                _ => content.Clone(),
            };
            contents.Add(new FunctionResultContent(callId.GetString() ?? string.Empty, result));
        }
        else if (content.ValueKind == JsonValueKind.String)
        {
            contents.Add(new TextContent(content.GetString()));
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            contents.AddRange(ReadParts(content));
        }

        if (root.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var wireId = call.GetProperty("id").GetString() ?? string.Empty;
                var effective = call.TryGetProperty("call_id", out var cid) ? cid.GetString() ?? wireId : wireId;
                var function = call.GetProperty("function");
                var parsed = ChatMessageFacts.WithArgumentsJson(
                    new FunctionCallContent(effective, function.GetProperty("name").GetString() ?? string.Empty),
                    function.GetProperty("arguments").GetString() ?? string.Empty);
                if (!string.Equals(wireId, effective, StringComparison.Ordinal))
                {
                    parsed.AdditionalProperties ??= new AdditionalPropertiesDictionary();
                    parsed.AdditionalProperties["id"] = wireId;
                }

                contents.Add(parsed);
            }
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "name")
            {
                message.AuthorName = property.Value.GetString();
            }
            else if (!IsKnownKey(property.Name))
            {
                message.AdditionalProperties ??= new AdditionalPropertiesDictionary();
                message.AdditionalProperties[property.Name] = property.Value.Clone();
            }
        }

        return message;
    }

    private static List<AIContent> ReadParts(JsonElement array)
    {
        var parts = new List<AIContent>();
        foreach (var part in array.EnumerateArray())
        {
            var type = part.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    parts.Add(new TextContent(part.GetProperty("text").GetString()));
                    break;
                case "reasoning":
                    parts.Add(new TextReasoningContent(part.GetProperty("text").GetString()));
                    break;
                case "image_url":
                    parts.Add(ReadUri(
                        part.GetProperty("image_url").GetProperty("url").GetString() ?? string.Empty,
                        part.TryGetProperty("media_type", out var media) ? media.GetString() ?? "image/png" : "image/png"));
                    break;
                case "file" or "uri":
                    parts.Add(ReadUri(part.GetProperty("url").GetString() ?? string.Empty, part.GetProperty("media_type").GetString() ?? "application/octet-stream"));
                    break;
                default:
                    parts.Add(new TextContent(part.GetRawText()));
                    break;
            }
        }

        return parts;
    }

    private static AIContent ReadUri(string url, string mediaType) =>
        url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            ? new DataContent(url)
            : new UriContent(new Uri(url, UriKind.RelativeOrAbsolute), mediaType);
}
