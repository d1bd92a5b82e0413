using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// How the contract's OpenAI-format messages live in Microsoft.Extensions.AI <see cref="ChatMessage"/>s, in one place:
/// every part of the SDK that reads a role, a text, a tool call or a host-private key reads it through these members.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Roles are <see cref="ChatRole"/>s; <c>system</c>, <c>user</c>, <c>assistant</c> and <c>tool</c> are the known ones.</description></item>
/// <item><description>Text is <see cref="TextContent"/>; images are <see cref="DataContent"/> or <see cref="UriContent"/> with an <c>image/</c> media type.</description></item>
/// <item><description>A tool call is a <see cref="FunctionCallContent"/> on an assistant message. Its <c>CallId</c>
/// is the effective id, <c>call_id ?? id</c>. Arguments that are not a JSON object are kept verbatim under
/// <see cref="RawArgumentsKey"/> in the call's <see cref="AIContent.AdditionalProperties"/>, with <see cref="FunctionCallContent.Arguments"/> null.</description></item>
/// <item><description>A tool result is a <c>tool</c> message holding one <see cref="FunctionResultContent"/> whose
/// <see cref="FunctionResultContent.Result"/> is the content: a string, <see langword="null"/>, or a list of <see cref="AIContent"/> parts.</description></item>
/// <item><description>Keys of <see cref="ChatMessage.AdditionalProperties"/> that start with <c>_</c> are host-private
/// (<see cref="CompressedSummaryKey"/>): kept in process, never sent to a provider.</description></item>
/// </list>
/// </remarks>
public static class ChatMessageFacts
{
    /// <summary>The host-private key that marks the one message carrying a compaction summary.</summary>
    public const string CompressedSummaryKey = "_compressed_summary";

    /// <summary>The key, in a tool call's additional properties, of arguments text that is not a JSON object.</summary>
    public const string RawArgumentsKey = "arguments";

    /// <summary>True for the <c>system</c> role.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message is a system message.</returns>
    public static bool IsSystem(ChatMessage message) => message.Role == ChatRole.System;

    /// <summary>True for the <c>user</c> role.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message is a user message.</returns>
    public static bool IsUser(ChatMessage message) => message.Role == ChatRole.User;

    /// <summary>True for the <c>assistant</c> role.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message is an assistant message.</returns>
    public static bool IsAssistant(ChatMessage message) => message.Role == ChatRole.Assistant;

    /// <summary>True for the <c>tool</c> role.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message is a tool result.</returns>
    public static bool IsTool(ChatMessage message) => message.Role == ChatRole.Tool;

    /// <summary>The tool calls of a message, in order (empty for a message without any).</summary>
    /// <param name="message">The message.</param>
    /// <returns>The calls.</returns>
    public static IReadOnlyList<FunctionCallContent> ToolCalls(ChatMessage message)
    {
        List<FunctionCallContent>? calls = null;
        foreach (var content in message.Contents)
        {
            if (content is FunctionCallContent call)
            {
                (calls ??= new List<FunctionCallContent>()).Add(call);
            }
        }

        return calls ?? (IReadOnlyList<FunctionCallContent>)Array.Empty<FunctionCallContent>();
    }

    /// <summary>True when the message is an assistant message with at least one tool call.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message calls tools.</returns>
    public static bool HasToolCalls(ChatMessage message)
    {
        if (!IsAssistant(message))
        {
            return false;
        }

        foreach (var content in message.Contents)
        {
            if (content is FunctionCallContent)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True while a tool exchange is in flight: the newest assistant message calls tools and only tool messages
    /// follow it, without a result for every one of its calls (matched by call id).
    /// A host must not compact then; it waits for the results. An exchange followed by a user or assistant message
    /// is over (answered or abandoned), not in flight.
    /// </summary>
    /// <param name="messages">The conversation, oldest first.</param>
    /// <returns>Whether results are still awaited.</returns>
    public static bool HasToolCallsInFlight(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentGuard.NotNull(messages, nameof(messages));
        var index = messages.Count - 1;
        while (index >= 0 && messages[index] is { } message && IsTool(message))
        {
            index--;
        }

        if (index < 0 || messages[index] is not { } owner || !HasToolCalls(owner))
        {
            return false;
        }

        var pending = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in ToolCalls(owner))
        {
            pending.Add(call.CallId ?? string.Empty);
        }

        for (var i = index + 1; i < messages.Count; i++)
        {
            foreach (var content in messages[i].Contents)
            {
                if (content is FunctionResultContent result)
                {
                    pending.Remove(result.CallId ?? string.Empty);
                }
            }
        }

        return pending.Count > 0;
    }

    /// <summary>The result a tool message carries, or <see langword="null"/> when it has none.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The result content.</returns>
    public static FunctionResultContent? ToolResult(ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            if (content is FunctionResultContent result)
            {
                return result;
            }
        }

        return null;
    }

    /// <summary>The id of the call a tool message answers (<c>tool_call_id</c>), or <see langword="null"/>.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The call id.</returns>
    public static string? ToolCallId(ChatMessage message) => ToolResult(message)?.CallId;

    /// <summary>
    /// The message's text: its text parts joined by a line feed; for a tool message, the result's text. Images and
    /// other parts add nothing. Never <see langword="null"/>.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The text.</returns>
    public static string Text(ChatMessage message)
    {
        StringBuilder? builder = null;
        string? single = null;
        foreach (var content in message.Contents)
        {
            AppendText(content, ref single, ref builder);
        }

        return builder?.ToString() ?? single ?? string.Empty;
    }

    /// <summary>The text of a tool result: a string result as is, a list's text parts joined by a line feed, JSON as its text.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The text; empty for a <see langword="null"/> result.</returns>
    public static string ResultText(FunctionResultContent result)
    {
        if (result.Result is string s)
        {
            return s;
        }

        StringBuilder? builder = null;
        string? single = null;
        AppendText(result, ref single, ref builder);
        return builder?.ToString() ?? single ?? string.Empty;
    }

    /// <summary>True when the message has text with a character that is not white space.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message has visible text.</returns>
    public static bool HasVisibleText(ChatMessage message)
    {
        var text = Text(message);
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for an image part: <see cref="DataContent"/> or <see cref="UriContent"/> with an <c>image/</c> media type.</summary>
    /// <param name="content">The part.</param>
    /// <returns>Whether the part is an image.</returns>
    public static bool IsImage(AIContent content) => content switch
    {
        DataContent data => data.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase),
        UriContent uri => uri.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>The number of image parts in the message, including those inside a tool result's list.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The count.</returns>
    public static int ImageCount(ChatMessage message)
    {
        var count = 0;
        foreach (var content in message.Contents)
        {
            if (IsImage(content))
            {
                count++;
            }
            else if (content is FunctionResultContent { Result: IEnumerable<AIContent> parts })
            {
                foreach (var part in parts)
                {
                    if (IsImage(part))
                    {
                        count++;
                    }
                }
            }
        }

        return count;
    }

    /// <summary>True when the message carries the host-private <see cref="CompressedSummaryKey"/> flag.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether the message carries a compaction summary.</returns>
    public static bool IsCompressedSummary(ChatMessage message) =>
        message.AdditionalProperties is { } properties
        && properties.TryGetValue(CompressedSummaryKey, out var value)
        && value switch
        {
            bool flag => flag,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            JsonValue node => node.TryGetValue(out bool b) && b,
            _ => false,
        };

    /// <summary>True for a host-private key (one that starts with <c>_</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether the key is host-private.</returns>
    public static bool IsPrivateKey(string key) => key.Length > 0 && key[0] == '_';

    /// <summary>
    /// A shallow copy of a message: a new contents list and a new additional-properties dictionary (the parts
    /// themselves are shared), so a copy can be edited without touching the original.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The copy.</returns>
    public static ChatMessage Copy(ChatMessage message) => new(message.Role, new List<AIContent>(message.Contents))
    {
        AuthorName = message.AuthorName,
        MessageId = message.MessageId,
        CreatedAt = message.CreatedAt,
        RawRepresentation = message.RawRepresentation,
        AdditionalProperties = message.AdditionalProperties is null ? null : new AdditionalPropertiesDictionary(message.AdditionalProperties),
    };

    /// <summary>
    /// A copy of the message without its host-private keys, for the wire; the same instance when it has none.
    /// The original is never changed.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The message as a provider may see it.</returns>
    public static ChatMessage WithoutPrivateKeys(ChatMessage message)
    {
        if (message.AdditionalProperties is not { Count: > 0 } properties)
        {
            return message;
        }

        var hasPrivate = false;
        foreach (var key in properties.Keys)
        {
            if (IsPrivateKey(key))
            {
                hasPrivate = true;
                break;
            }
        }

        if (!hasPrivate)
        {
            return message;
        }

        var copy = Copy(message);
        var kept = new AdditionalPropertiesDictionary();
        foreach (var pair in properties)
        {
            if (!IsPrivateKey(pair.Key))
            {
                kept[pair.Key] = pair.Value;
            }
        }

        copy.AdditionalProperties = kept.Count == 0 ? null : kept;
        return copy;
    }

    /// <summary>
    /// A tool call's arguments as JSON text: the verbatim text when it was not a JSON object, otherwise the
    /// compact serialisation of <see cref="FunctionCallContent.Arguments"/> (<c>{}</c> when there are none).
    /// Non-ASCII characters stay literal.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <returns>The arguments text.</returns>
    public static string ArgumentsJson(FunctionCallContent call)
    {
        if (call.AdditionalProperties is { } properties
            && properties.TryGetValue(RawArgumentsKey, out var raw)
            && raw is string text)
        {
            return text;
        }

        return ArgumentsJson(call.Arguments);
    }

    /// <summary>
    /// Named arguments as a compact JSON object, without reflection: <see cref="JsonElement"/> and <see cref="JsonNode"/>
    /// values as they are, strings, booleans and numbers as JSON, dictionaries as objects, other sequences as arrays,
    /// anything else as its invariant string. <see langword="null"/> gives <c>{}</c>. Non-ASCII characters stay literal.
    /// </summary>
    /// <param name="arguments">The arguments, for example a function's <c>AIFunctionArguments</c>.</param>
    /// <returns>The arguments object as JSON text.</returns>
    public static string ArgumentsJson(IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        if (arguments is null)
        {
            return "{}";
        }

        var node = new JsonObject();
        foreach (var pair in arguments)
        {
            node[pair.Key] = ToNode(pair.Value);
        }

        return node.ToJsonString(CompactJson);
    }

    /// <summary>
    /// The length of <see cref="ArgumentsJson(FunctionCallContent)"/>, measured without writing it: exact for verbatim
    /// arguments and for compact JSON values; other values are measured by writing them.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <returns>The length in UTF-16 characters.</returns>
    public static int ArgumentsLength(FunctionCallContent call)
    {
        if (call.AdditionalProperties is { } properties
            && properties.TryGetValue(RawArgumentsKey, out var raw)
            && raw is string text)
        {
            return text.Length;
        }

        if (call.Arguments is null)
        {
            return 2;
        }

        long length = 1;
        foreach (var pair in call.Arguments)
        {
            length += EscapedLength(pair.Key) + 3;
            switch (pair.Value)
            {
                case JsonElement element when element.ValueKind != JsonValueKind.Undefined:
#if NET
                    length += Encoding.UTF8.GetCharCount(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element));
#else
                    length += element.GetRawText().Length;
#endif
                    break;
                case null:
                    length += 4;
                    break;
                case string value:
                    length += EscapedLength(value) + 2;
                    break;
                case bool flag:
                    length += flag ? 4 : 5;
                    break;
                case int or long or double or float or decimal:
                    length += Convert.ToString(pair.Value, CultureInfo.InvariantCulture)!.Length;
                    break;
                default:
                    return ArgumentsJson(call).Length;
            }
        }

        length += Math.Max(0, call.Arguments.Count - 1);
        return length > int.MaxValue ? int.MaxValue : (int)length;
    }

    /// <summary>The length of a string once escaped as a JSON string body (without its quotes).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The escaped length.</returns>
    public static long EscapedLength(string? text)
    {
        if (text is null)
        {
            return 4;
        }

        long length = text.Length;
        foreach (var c in text)
        {
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f')
            {
                length++;
            }
            else if (c < ' ')
            {
                length += 5;
            }
        }

        return length;
    }

    /// <summary>
    /// A copy of <paramref name="call"/> whose arguments are <paramref name="argumentsJson"/>: parsed into
    /// <see cref="FunctionCallContent.Arguments"/> when it is a JSON object, otherwise kept verbatim.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="argumentsJson">The new arguments text.</param>
    /// <returns>The new call.</returns>
    public static FunctionCallContent WithArgumentsJson(FunctionCallContent call, string argumentsJson)
    {
        var arguments = ParseArguments(argumentsJson);
        var properties = call.AdditionalProperties is null ? new AdditionalPropertiesDictionary() : new AdditionalPropertiesDictionary(call.AdditionalProperties);
        properties.Remove(RawArgumentsKey);
        if (arguments is null)
        {
            properties[RawArgumentsKey] = argumentsJson;
        }

        return new FunctionCallContent(call.CallId, call.Name, arguments)
        {
            AdditionalProperties = properties.Count == 0 ? null : properties,
            RawRepresentation = call.RawRepresentation,
            Exception = call.Exception,
        };
    }

    /// <summary>The arguments of a JSON object text as a dictionary of <see cref="JsonElement"/>s, or <see langword="null"/> when the text is not a JSON object.</summary>
    /// <param name="argumentsJson">The arguments text.</param>
    /// <returns>The dictionary, or <see langword="null"/>.</returns>
    public static Dictionary<string, object?>? ParseArguments(string? argumentsJson)
    {
        if (string.IsNullOrEmpty(argumentsJson))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(argumentsJson!, new JsonDocumentOptions { MaxDepth = 256 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }

            return arguments;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions CompactJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>An argument value as a JSON node, without reflection: JSON values, strings, numbers, booleans, lists and dictionaries; anything else as its invariant string.</summary>
    private static JsonNode? ToNode(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonElement element:
                return element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());
            case JsonNode node:
                return node.DeepClone();
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case int i:
                return JsonValue.Create(i);
            case long l:
                return JsonValue.Create(l);
            case double d:
                return double.IsNaN(d) || double.IsInfinity(d) ? JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(d);
            case float f:
                return float.IsNaN(f) || float.IsInfinity(f) ? JsonValue.Create(f.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(f);
            case decimal m:
                return JsonValue.Create(m);
            case IDictionary<string, object?> dictionary:
                var obj = new JsonObject();
                foreach (var pair in dictionary)
                {
                    obj[pair.Key] = ToNode(pair.Value);
                }

                return obj;
            case System.Collections.IEnumerable items:
                var array = new JsonArray();
                foreach (var item in items)
                {
                    array.Add(ToNode(item));
                }

                return array;
            case IFormattable formattable:
                return JsonValue.Create(formattable.ToString(null, CultureInfo.InvariantCulture));
            default:
                return JsonValue.Create(value.ToString());
        }
    }

    private static void AppendText(AIContent content, ref string? single, ref StringBuilder? builder)
    {
        switch (content)
        {
            case TextContent text:
                Append(text.Text ?? string.Empty, ref single, ref builder);
                break;
            case FunctionResultContent result:
                switch (result.Result)
                {
                    case null:
                        break;
                    case string s:
                        Append(s, ref single, ref builder);
                        break;
                    case IEnumerable<AIContent> parts:
                        foreach (var part in parts)
                        {
                            AppendText(part, ref single, ref builder);
                        }

                        break;
                    case JsonElement { ValueKind: JsonValueKind.String } element:
                        Append(element.GetString() ?? string.Empty, ref single, ref builder);
                        break;
                    case JsonElement element:
                        Append(element.GetRawText(), ref single, ref builder);
                        break;
                    default:
                        Append(Convert.ToString(result.Result, CultureInfo.InvariantCulture) ?? string.Empty, ref single, ref builder);
                        break;
                }

                break;
        }
    }

    private static void Append(string text, ref string? single, ref StringBuilder? builder)
    {
        if (builder is not null)
        {
            builder.Append('\n').Append(text);
        }
        else if (single is null)
        {
            single = text;
        }
        else
        {
            builder = new StringBuilder(single.Length + text.Length + 1).Append(single).Append('\n').Append(text);
        }
    }
}
