using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.Manifest;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// Converts between the OpenAI chat-completions message format (a JSON array of <c>{"role", "content", …}</c>
/// objects) and Microsoft.Extensions.AI <see cref="ChatMessage"/>s, the way <see cref="ChatMessageFacts"/> describes.
/// Reflection-free (trim- and AOT-safe).
/// </summary>
/// <remarks>
/// <para>Reading: roles <c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c> and <c>developer</c> (kept as
/// <see cref="DeveloperRole"/>); content as a string (one <see cref="TextContent"/>), <c>null</c>, or a list of parts:
/// text parts and bare strings become <see cref="TextContent"/> (unknown keys of a text part go into its
/// <see cref="AIContent.AdditionalProperties"/>), image parts (<c>image_url</c>, <c>image</c>, <c>input_image</c>)
/// become <see cref="DataContent"/> for <c>data:</c> URIs and <see cref="UriContent"/> (media type <c>image/*</c>)
/// otherwise, and any other part is kept verbatim as a plain <see cref="AIContent"/> whose
/// <see cref="AIContent.RawRepresentation"/> is the part's <see cref="JsonElement"/>. <c>tool_calls</c> become
/// <see cref="FunctionCallContent"/>s (effective id <c>call_id ?? id</c>; a differing wire <c>id</c> in the call's
/// additional properties under <c>id</c>; arguments that are not a JSON object verbatim under <c>arguments</c>); a
/// <c>tool</c> message holds one <see cref="FunctionResultContent"/> whose result is the content (string, null, list of
/// parts, or a <see cref="JsonElement"/> object); <c>name</c> is <see cref="ChatMessage.AuthorName"/>. Every other key
/// of a message, <c>_</c> host-private keys included, is kept in <see cref="ChatMessage.AdditionalProperties"/> as a
/// <see cref="JsonElement"/>, in its original order.</para>
/// <para>Writing gives back the same JSON for messages read here (same keys, same order, same content shapes, the
/// arguments text as written); the shapes are remembered in the message's <see cref="ChatMessage.RawRepresentation"/>
/// (shapes only: an edited message is written as it is now). A tool message holding several results (as
/// <c>UseFunctionInvocation()</c> produces) is written as one message per result. Content that the format cannot
/// hold (reasoning, usage, errors) is left out.</para>
/// </remarks>
public static class OpenAIChatFormat
{
    /// <summary>The <c>developer</c> role (a system-level role of newer OpenAI models), kept as is.</summary>
    public static ChatRole DeveloperRole { get; } = new("developer");

    /// <summary>The roles the format knows, in the order error messages list them.</summary>
    public static IReadOnlyList<string> KnownRoles { get; } = new[] { "system", "user", "assistant", "tool", "developer" };

    private const int MaxDepth = 256;
    private const string KnownRolesText = "system, user, assistant, tool, developer";
    private const string ExampleMessage = "{\"role\": \"user\", \"content\": \"Hello\"}";
    private const string ExampleCall = "{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"read_file\", \"arguments\": \"{\\\"path\\\": \\\"a.txt\\\"}\"}}";

    private static readonly string[] CanonicalMessageKeys = { "role", "content", "name", "tool_calls", "tool_call_id" };
    private static readonly string[] CanonicalCallKeys = { "id", "call_id", "type", "function" };
    private static readonly string[] CanonicalFunctionKeys = { "name", "arguments" };
    private static readonly string[] CanonicalTextPartKeys = { "type", "text" };

    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false, SkipValidation = false };
    private static readonly JsonWriterOptions IndentedWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, SkipValidation = false };

    /// <summary>Reads a JSON array of OpenAI chat-completions messages.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The messages, in order.</returns>
    /// <exception cref="ChatFormatException">The text is not JSON, not an array, or a message is malformed; the message names the index, the field and the fix.</exception>
    public static List<ChatMessage> ParseMessages(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw NotJson(ex);
        }

        using (document)
        {
            return ParseMessages(document.RootElement);
        }
    }

    /// <summary>Reads a JSON array of OpenAI chat-completions messages.</summary>
    /// <param name="messages">The array.</param>
    /// <returns>The messages, in order; they hold clones of any JSON they keep, so the document may be disposed.</returns>
    /// <exception cref="ChatFormatException">The element is not an array, or a message is malformed; the message names the index, the field and the fix.</exception>
    public static List<ChatMessage> ParseMessages(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw new ChatFormatException(
                "The messages must be a JSON array of message objects such as [" + ExampleMessage + "]; got " + Describe(messages)
                + (messages.ValueKind == JsonValueKind.Object && messages.TryGetProperty("messages", out _) ? " (a request body? pass its \"messages\" array)." : "."),
                null,
                null);
        }

        var result = new List<ChatMessage>(messages.GetArrayLength());
        var index = 0;
        foreach (var element in messages.EnumerateArray())
        {
            try
            {
                result.Add(ParseMessage(element, index));
            }
            catch (InvalidOperationException ex)
            {
                // JsonElement.GetString refuses a string whose \u escapes leave half a surrogate pair.
                throw new ChatFormatException(
                    Invariant($"Message {index} holds a string that cannot be read: {ex.Message.TrimEnd('.')}. A \\uD800–\\uDFFF escape must be half of a pair; fix or remove it."),
                    index,
                    null,
                    ex);
            }

            index++;
        }

        return result;
    }

    /// <summary>Writes messages as a JSON array in the OpenAI chat-completions format.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="includePrivateKeys">Whether host-private <c>_</c> keys are written; <see langword="false"/> for anything sent to a provider.</param>
    /// <param name="indented">Whether to indent the JSON.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ChatFormatException">A message is <see langword="null"/> or holds a value JSON cannot represent; the message names its index.</exception>
    public static string Serialize(IEnumerable<ChatMessage> messages, bool includePrivateKeys = true, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? IndentedWriter : CompactWriter))
        {
            Write(writer, messages, includePrivateKeys);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes messages into a JSON writer as one array.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="includePrivateKeys">Whether host-private <c>_</c> keys are written.</param>
    /// <exception cref="ChatFormatException">A message is <see langword="null"/> or holds a value JSON cannot represent; the message names its index.</exception>
    public static void Write(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, bool includePrivateKeys = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(messages);
        writer.WriteStartArray();
        var index = 0;
        foreach (var message in messages)
        {
            if (message is null)
            {
                throw new ChatFormatException(Invariant($"Message {index} is null; remove it or give a message."), index, null);
            }

            try
            {
                WriteMessage(writer, message, includePrivateKeys);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                throw new ChatFormatException(Invariant($"Message {index} cannot be written as JSON: {ex.Message}"), index, null, ex);
            }

            index++;
        }

        writer.WriteEndArray();
    }

    /// <summary>The messages as a <see cref="JsonArray"/> in the OpenAI chat-completions format.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="includePrivateKeys">Whether host-private <c>_</c> keys are written.</param>
    /// <returns>A new array.</returns>
    /// <exception cref="ChatFormatException">A message is <see langword="null"/> or holds a value JSON cannot represent.</exception>
    public static JsonArray ToJsonArray(IEnumerable<ChatMessage> messages, bool includePrivateKeys = true) =>
        (JsonArray)JsonNode.Parse(Serialize(messages, includePrivateKeys), documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth * 2 })!;

    // ---------------------------------------------------------------- reading

    private static ChatMessage ParseMessage(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(index, null, Invariant($"Message {index} is {Describe(element)}, not an object; each message is an object such as {ExampleMessage}."));
        }

        string? role = null;
        JsonElement content = default;
        var hasContent = false;
        JsonElement toolCalls = default;
        var hasToolCalls = false;
        string? toolCallId = null;
        string? name = null;
        AdditionalPropertiesDictionary? extra = null;
        var keys = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            if (!keys.Contains(property.Name))
            {
                keys.Add(property.Name);
            }

            var value = property.Value;
            switch (property.Name)
            {
                case "role":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        throw Error(index, "role", Invariant($"Message {index} has a role that is {Describe(value)}; the role is a string, one of {KnownRolesText}."));
                    }

                    role = value.GetString();
                    continue;
                case "content":
                    content = value;
                    hasContent = true;
                    continue;
                case "tool_calls" when value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0:
                    toolCalls = value;
                    hasToolCalls = true;
                    continue;
                case "tool_calls" when value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null):
                    throw Error(index, "tool_calls", Invariant($"Message {index} has tool_calls that is {Describe(value)}; tool_calls is a list of calls such as [{ExampleCall}], or null."));
                case "tool_call_id" when value.ValueKind == JsonValueKind.String:
                    toolCallId = value.GetString();
                    continue;
                case "tool_call_id" when value.ValueKind != JsonValueKind.Null:
                    throw Error(index, "tool_call_id", Invariant($"Message {index} has a tool_call_id that is {Describe(value)}; it is the string id of the tool call this result answers, such as \"call_1\"."));
                case "name" when value.ValueKind == JsonValueKind.String:
                    name = value.GetString();
                    continue;
            }

            // Unknown keys (and null / empty values of known ones) are kept verbatim, in order.
            (extra ??= new AdditionalPropertiesDictionary())[property.Name] = value.Clone();
        }

        if (role is null)
        {
            throw Error(index, "role", Invariant($"Message {index} has no \"role\"; add one of {KnownRolesText}, as in {ExampleMessage}."));
        }

        var chatRole = role switch
        {
            "system" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "tool" => ChatRole.Tool,
            "developer" => DeveloperRole,
            _ => throw Error(index, "role", Invariant($"Message {index} has the unknown role '{ManifestQuote.Of(role)}'; the known roles are {KnownRolesText} (lowercase).")),
        };

        var contents = new List<AIContent>();
        WireContentKind kind;
        if (role == "tool")
        {
            kind = ParseToolContent(content, hasContent, index, toolCallId, contents);
        }
        else
        {
            kind = ParseContent(content, hasContent, index, "content", contents);
        }

        if (hasToolCalls)
        {
            var callIndex = 0;
            foreach (var call in toolCalls.EnumerateArray())
            {
                contents.Add(ParseCall(call, index, callIndex));
                callIndex++;
            }
        }

        if (toolCallId is not null && role != "tool")
        {
            // A tool_call_id on another role has no place in the model: kept verbatim.
            (extra ??= new AdditionalPropertiesDictionary())["tool_call_id"] = element.GetProperty("tool_call_id").Clone();
            RestoreOrder(ref extra, keys);
        }

        return new ChatMessage(chatRole, contents)
        {
            AuthorName = name,
            AdditionalProperties = extra,
            RawRepresentation = new WireMessageShape(keys.ToArray(), kind, role == "tool" && toolCallId is not null),
        };
    }

    /// <summary>Re-inserts the additional properties in the message's key order (after a late addition).</summary>
    private static void RestoreOrder(ref AdditionalPropertiesDictionary? extra, List<string> keys)
    {
        if (extra is null)
        {
            return;
        }

        var ordered = new AdditionalPropertiesDictionary();
        foreach (var key in keys)
        {
            if (extra.TryGetValue(key, out var value))
            {
                ordered[key] = value;
            }
        }

        extra = ordered;
    }

    private static WireContentKind ParseContent(JsonElement content, bool hasContent, int index, string field, List<AIContent> contents)
    {
        if (!hasContent)
        {
            return WireContentKind.Absent;
        }

        switch (content.ValueKind)
        {
            case JsonValueKind.Null:
                return WireContentKind.Null;
            case JsonValueKind.String:
                contents.Add(new TextContent(content.GetString()));
                return WireContentKind.String;
            case JsonValueKind.Array:
                ParseParts(content, index, field, contents);
                return WireContentKind.List;
            default:
                throw Error(index, field, Invariant($"Message {index} has {field} that is {Describe(content)}; content is a string, a list of parts such as [{{\"type\": \"text\", \"text\": \"Hello\"}}], or null."));
        }
    }

    private static WireContentKind ParseToolContent(JsonElement content, bool hasContent, int index, string? toolCallId, List<AIContent> contents)
    {
        object? result;
        WireContentKind kind;
        if (!hasContent)
        {
            result = null;
            kind = WireContentKind.Absent;
        }
        else
        {
            switch (content.ValueKind)
            {
                case JsonValueKind.Null:
                    result = null;
                    kind = WireContentKind.Null;
                    break;
                case JsonValueKind.String:
                    result = content.GetString();
                    kind = WireContentKind.String;
                    break;
                case JsonValueKind.Array:
                    var parts = new List<AIContent>();
                    ParseParts(content, index, "content", parts);
                    result = parts;
                    kind = WireContentKind.List;
                    break;
                case JsonValueKind.Object:
                    // A tool result may carry a structured payload ({"_multimodal": …, "text_summary": …}): kept as is.
                    result = content.Clone();
                    kind = WireContentKind.Object;
                    break;
                default:
                    throw Error(index, "content", Invariant($"Message {index} (a tool result) has content that is {Describe(content)}; a tool result's content is a string, a list of parts, an object or null. Write the value as a string, e.g. \"{ManifestQuote.Of(content.GetRawText())}\"."));
            }
        }

        contents.Add(new FunctionResultContent(toolCallId ?? string.Empty, result));
        return kind;
    }

    private static void ParseParts(JsonElement list, int index, string field, List<AIContent> contents)
    {
        var partIndex = 0;
        foreach (var part in list.EnumerateArray())
        {
            contents.Add(ParsePart(part, index, Invariant($"{field}[{partIndex}]")));
            partIndex++;
        }
    }

    private static AIContent ParsePart(JsonElement part, int index, string field)
    {
        if (part.ValueKind == JsonValueKind.String)
        {
            return new TextContent(part.GetString()) { RawRepresentation = WireTextPartShape.Bare };
        }

        if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Verbatim(part);
        }

        switch (type.GetString())
        {
            case "text":
                return ParseTextPart(part, index, field);
            case "image_url":
            case "image":
            case "input_image":
                return ParseImagePart(part) ?? Verbatim(part);
            default:
                return Verbatim(part);
        }
    }

    private static TextContent ParseTextPart(JsonElement part, int index, string field)
    {
        string? text = null;
        var keys = new List<string>();
        AdditionalPropertiesDictionary? extra = null;
        foreach (var property in part.EnumerateObject())
        {
            if (!keys.Contains(property.Name))
            {
                keys.Add(property.Name);
            }

            switch (property.Name)
            {
                case "type":
                    break;
                case "text":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        throw Error(index, field + ".text", Invariant($"Message {index} has a text part ({field}) whose \"text\" is {Describe(property.Value)}; a text part is {{\"type\": \"text\", \"text\": \"…\"}} with a string."));
                    }

                    text = property.Value.GetString();
                    break;
                default:
                    (extra ??= new AdditionalPropertiesDictionary())[property.Name] = property.Value.Clone();
                    break;
            }
        }

        if (text is null)
        {
            throw Error(index, field + ".text", Invariant($"Message {index} has a text part ({field}) without \"text\"; a text part is {{\"type\": \"text\", \"text\": \"…\"}}."));
        }

        return new TextContent(text) { AdditionalProperties = extra, RawRepresentation = new WireTextPartShape(keys.ToArray()) };
    }

    /// <summary>An image part as <see cref="DataContent"/> or <see cref="UriContent"/>; <see langword="null"/> when it has no usable URL.</summary>
    private static AIContent? ParseImagePart(JsonElement part)
    {
        var url = ImageUrl(part);
        if (url is null)
        {
            return null;
        }

        var raw = part.Clone();
        AdditionalPropertiesDictionary? extra = null;
        if (part.TryGetProperty("image_url", out var imageUrl) && imageUrl.ValueKind == JsonValueKind.Object
            && imageUrl.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
        {
            extra = new AdditionalPropertiesDictionary { ["detail"] = detail.GetString() };
        }
        else if (part.TryGetProperty("detail", out var flatDetail) && flatDetail.ValueKind == JsonValueKind.String)
        {
            extra = new AdditionalPropertiesDictionary { ["detail"] = flatDetail.GetString() };
        }

        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new DataContent(url) { RawRepresentation = raw, AdditionalProperties = extra };
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
            {
                return null;
            }
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        try
        {
            return new UriContent(uri, "image/*") { RawRepresentation = raw, AdditionalProperties = extra };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The URL an image part points to: <c>image_url</c> (string or <c>{url}</c>), <c>url</c>, or a base64 <c>source</c>.</summary>
    private static string? ImageUrl(JsonElement part)
    {
        if (part.TryGetProperty("image_url", out var imageUrl))
        {
            if (imageUrl.ValueKind == JsonValueKind.String)
            {
                return imageUrl.GetString();
            }

            if (imageUrl.ValueKind == JsonValueKind.Object && imageUrl.TryGetProperty("url", out var nested) && nested.ValueKind == JsonValueKind.String)
            {
                return nested.GetString();
            }

            return null;
        }

        if (part.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
        {
            return url.GetString();
        }

        if (part.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object
            && source.TryGetProperty("type", out var sourceType) && sourceType.ValueKind == JsonValueKind.String)
        {
            if (sourceType.ValueEquals("base64")
                && source.TryGetProperty("media_type", out var mediaType) && mediaType.ValueKind == JsonValueKind.String
                && source.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String)
            {
                return "data:" + mediaType.GetString() + ";base64," + data.GetString();
            }

            if (sourceType.ValueEquals("url") && source.TryGetProperty("url", out var sourceUrl) && sourceUrl.ValueKind == JsonValueKind.String)
            {
                return sourceUrl.GetString();
            }
        }

        return null;
    }

    private static AIContent Verbatim(JsonElement part) => new() { RawRepresentation = part.Clone() };

    private static FunctionCallContent ParseCall(JsonElement call, int index, int callIndex)
    {
        var field = Invariant($"tool_calls[{callIndex}]");
        if (call.ValueKind != JsonValueKind.Object)
        {
            throw Error(index, field, Invariant($"Message {index} has {field} that is {Describe(call)}, not an object; a tool call is {ExampleCall}."));
        }

        string? id = null;
        string? callId = null;
        JsonElement? type = null;
        JsonElement function = default;
        var hasFunction = false;
        var keys = new List<string>();
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in call.EnumerateObject())
        {
            if (!keys.Contains(property.Name))
            {
                keys.Add(property.Name);
            }

            var value = property.Value;
            switch (property.Name)
            {
                case "id":
                    id = RequireString(value, index, field + ".id", "the call's id, such as \"call_1\"");
                    break;
                case "call_id":
                    callId = RequireString(value, index, field + ".call_id", "the call's id, such as \"call_1\"");
                    break;
                case "type":
                    type = value.Clone();
                    break;
                case "function":
                    function = value;
                    hasFunction = true;
                    break;
                default:
                    (extras ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[property.Name] = value.Clone();
                    break;
            }
        }

        if (!hasFunction || function.ValueKind != JsonValueKind.Object)
        {
            var problem = hasFunction ? "whose \"function\" is " + Describe(function) : "without \"function\"";
            throw Error(index, field + ".function", Invariant($"Message {index} has {field} {problem}; a tool call is {ExampleCall}."));
        }

        string? name = null;
        string? arguments = null;
        var functionKeys = new List<string>();
        Dictionary<string, JsonElement>? functionExtras = null;
        foreach (var property in function.EnumerateObject())
        {
            if (!functionKeys.Contains(property.Name))
            {
                functionKeys.Add(property.Name);
            }

            switch (property.Name)
            {
                case "name":
                    name = RequireString(property.Value, index, field + ".function.name", "the tool's name, such as \"read_file\"");
                    break;
                case "arguments":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        throw Error(index, field + ".function.arguments", Invariant($"Message {index} has {field}.function.arguments that is {Describe(property.Value)}; arguments are a JSON string holding the arguments object, such as \"{{\\\"path\\\": \\\"a.txt\\\"}}\" — encode the object as a string."));
                    }

                    arguments = property.Value.GetString();
                    break;
                default:
                    (functionExtras ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[property.Name] = property.Value.Clone();
                    break;
            }
        }

        if (name is null)
        {
            throw Error(index, field + ".function.name", Invariant($"Message {index} has {field} without function.name; a tool call is {ExampleCall}."));
        }

        var effective = callId ?? id ?? string.Empty;
        var parsed = ChatMessageFacts.ParseArguments(arguments);
        AdditionalPropertiesDictionary? properties = null;
        if (id is not null && callId is not null && !string.Equals(id, callId, StringComparison.Ordinal))
        {
            (properties ??= new AdditionalPropertiesDictionary())["id"] = id;
        }

        if (arguments is not null && parsed is null)
        {
            (properties ??= new AdditionalPropertiesDictionary())[ChatMessageFacts.RawArgumentsKey] = arguments;
        }

        var content = new FunctionCallContent(effective, name, parsed) { AdditionalProperties = properties };
        content.RawRepresentation = new WireCallShape
        {
            KeyOrder = keys.ToArray(),
            FunctionKeyOrder = functionKeys.ToArray(),
            HadId = id is not null,
            HadCallId = callId is not null,
            Type = type,
            HadArguments = arguments is not null,
            OriginalArguments = parsed is null ? null : arguments,
            OriginalArgumentsCompact = parsed is null ? null : ChatMessageFacts.ArgumentsJson(content),
            Extras = extras,
            FunctionExtras = functionExtras,
        };
        return content;
    }

    private static string RequireString(JsonElement value, int index, string field, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(index, field, Invariant($"Message {index} has {field} that is {Describe(value)}; it is a string: {what}."));
        }

        return value.GetString()!;
    }

    // ---------------------------------------------------------------- writing

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, bool includePrivateKeys)
    {
        if (message.Role == ChatRole.Tool)
        {
            var results = new List<FunctionResultContent>();
            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent result)
                {
                    results.Add(result);
                }
            }

            if (results.Count > 1)
            {
                // One wire message per result, as the format requires; the message's own keys go with the first.
                for (var i = 0; i < results.Count; i++)
                {
                    WriteMessageObject(writer, message, results[i], includePrivateKeys, withExtras: i == 0);
                }

                return;
            }

            WriteMessageObject(writer, message, results.Count == 1 ? results[0] : null, includePrivateKeys, withExtras: true);
            return;
        }

        WriteMessageObject(writer, message, null, includePrivateKeys, withExtras: true);
    }

    private static void WriteMessageObject(Utf8JsonWriter writer, ChatMessage message, FunctionResultContent? result, bool includePrivateKeys, bool withExtras)
    {
        var shape = message.RawRepresentation as WireMessageShape;
        var extra = withExtras ? message.AdditionalProperties : null;
        var calls = ChatMessageFacts.ToolCalls(message);
        var isTool = message.Role == ChatRole.Tool;
        WriteObjectInKeyOrder(writer, shape?.KeyOrder, CanonicalMessageKeys, extra?.Keys, WriteMessageKey);

        void WriteMessageKey(string key)
        {
            switch (key)
            {
                case "role":
                    writer.WriteString("role", message.Role.Value);
                    return;
                case "content":
                    if (isTool && result is not null)
                    {
                        WriteToolContent(writer, result, shape);
                    }
                    else
                    {
                        WriteContent(writer, message, shape);
                    }

                    return;
                case "name" when message.AuthorName is not null:
                    writer.WriteString("name", message.AuthorName);
                    return;
                case "tool_calls" when calls.Count > 0:
                    writer.WritePropertyName("tool_calls");
                    writer.WriteStartArray();
                    foreach (var call in calls)
                    {
                        WriteCall(writer, call);
                    }

                    writer.WriteEndArray();
                    return;
                case "tool_call_id" when isTool && result is not null:
                    if (result.CallId.Length > 0 || shape is null || shape.HadToolCallId)
                    {
                        writer.WriteString("tool_call_id", result.CallId);
                    }

                    return;
            }

            if (extra is not null && extra.TryGetValue(key, out var value) && (includePrivateKeys || !ChatMessageFacts.IsPrivateKey(key)))
            {
                writer.WritePropertyName(key);
                WriteValue(writer, value, 0);
            }
        }
    }

    private static void WriteContent(Utf8JsonWriter writer, ChatMessage message, WireMessageShape? shape)
    {
        var parts = new List<AIContent>();
        foreach (var content in message.Contents)
        {
            if (IsWritablePart(content))
            {
                parts.Add(content);
            }
        }

        if (parts.Count == 0)
        {
            switch (shape?.Content)
            {
                case WireContentKind.Absent:
                    return;
                case WireContentKind.List:
                    writer.WritePropertyName("content");
                    writer.WriteStartArray();
                    writer.WriteEndArray();
                    return;
                default:
                    writer.WriteNull("content");
                    return;
            }
        }

        writer.WritePropertyName("content");
        if (parts.Count == 1 && parts[0] is TextContent single && IsPlainText(single) && shape is not { Content: WireContentKind.List })
        {
            writer.WriteStringValue(single.Text ?? string.Empty);
            return;
        }

        WriteParts(writer, parts);
    }

    private static void WriteToolContent(Utf8JsonWriter writer, FunctionResultContent? result, WireMessageShape? shape)
    {
        switch (result?.Result)
        {
            case null:
                if (shape is { Content: WireContentKind.Absent })
                {
                    return;
                }

                writer.WriteNull("content");
                return;
            case string text:
                writer.WriteString("content", text);
                return;
            case IEnumerable<AIContent> list:
                var parts = new List<AIContent>();
                foreach (var part in list)
                {
                    if (part is not null && IsWritablePart(part))
                    {
                        parts.Add(part);
                    }
                }

                writer.WritePropertyName("content");
                WriteParts(writer, parts);
                return;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                writer.WriteString("content", element.GetString());
                return;
            case JsonElement { ValueKind: JsonValueKind.Object } element when shape is { Content: WireContentKind.Object }:
                writer.WritePropertyName("content");
                element.WriteTo(writer);
                return;
            case AIContent part when IsWritablePart(part):
                writer.WritePropertyName("content");
                WriteParts(writer, new List<AIContent> { part });
                return;
            default:
                // Any other result (a function's return value): its JSON text, as the format's content is text.
                writer.WriteString("content", ValueText(result.Result));
                return;
        }
    }

    private static bool IsWritablePart(AIContent content) => content switch
    {
        TextContent => true,
        DataContent or UriContent => true,
        FunctionCallContent or FunctionResultContent => false,
        _ => content.GetType() == typeof(AIContent) && content.RawRepresentation is JsonElement,
    };

    /// <summary>A text that can be written as the message's string content: not a list part, no part-level keys.</summary>
    private static bool IsPlainText(TextContent text) =>
        text.RawRepresentation is not WireTextPartShape && text.AdditionalProperties is not { Count: > 0 };

    private static void WriteParts(Utf8JsonWriter writer, List<AIContent> parts)
    {
        writer.WriteStartArray();
        foreach (var part in parts)
        {
            switch (part)
            {
                case TextContent text:
                    WriteTextPart(writer, text);
                    break;
                case DataContent data:
                    WriteImagePart(writer, data, data.Uri);
                    break;
                case UriContent uri:
                    WriteImagePart(writer, uri, uri.Uri.OriginalString);
                    break;
                default:
                    ((JsonElement)part.RawRepresentation!).WriteTo(writer);
                    break;
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteTextPart(Utf8JsonWriter writer, TextContent text)
    {
        var shape = text.RawRepresentation as WireTextPartShape;
        var extra = text.AdditionalProperties;
        if (shape is { IsBare: true } && extra is not { Count: > 0 })
        {
            writer.WriteStringValue(text.Text ?? string.Empty);
            return;
        }

        WriteObjectInKeyOrder(writer, shape?.KeyOrder, CanonicalTextPartKeys, extra?.Keys, WriteKey);

        void WriteKey(string key)
        {
            switch (key)
            {
                case "type":
                    writer.WriteString("type", "text");
                    return;
                case "text":
                    writer.WriteString("text", text.Text ?? string.Empty);
                    return;
            }

            if (extra is not null && extra.TryGetValue(key, out var value))
            {
                writer.WritePropertyName(key);
                WriteValue(writer, value, 0);
            }
        }
    }

    private static void WriteImagePart(Utf8JsonWriter writer, AIContent image, string url)
    {
        if (image.RawRepresentation is JsonElement raw && string.Equals(ImageUrl(raw), url, StringComparison.Ordinal))
        {
            raw.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", "image_url");
        writer.WritePropertyName("image_url");
        writer.WriteStartObject();
        writer.WriteString("url", url);
        if (image.AdditionalProperties is { } properties && properties.TryGetValue("detail", out var detail) && detail is string detailText)
        {
            writer.WriteString("detail", detailText);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteCall(Utf8JsonWriter writer, FunctionCallContent call)
    {
        var shape = call.RawRepresentation as WireCallShape;
        var properties = call.AdditionalProperties;
        var wireId = properties is not null && properties.TryGetValue("id", out var idValue) && idValue is string s ? s : null;
        WriteObjectInKeyOrder(writer, shape?.KeyOrder, CanonicalCallKeys, shape?.Extras?.Keys, WriteKey);

        void WriteKey(string key)
        {
            switch (key)
            {
                case "id":
                    if (wireId is not null || shape is null || shape.HadId || (!shape.HadCallId && call.CallId.Length > 0))
                    {
                        writer.WriteString("id", wireId ?? call.CallId);
                    }

                    return;
                case "call_id":
                    if (wireId is not null || shape is { HadCallId: true })
                    {
                        writer.WriteString("call_id", call.CallId);
                    }

                    return;
                case "type":
                    if (shape?.Type is { } type)
                    {
                        writer.WritePropertyName("type");
                        type.WriteTo(writer);
                    }
                    else if (shape is null)
                    {
                        writer.WriteString("type", "function");
                    }

                    return;
                case "function":
                    WriteFunction(writer, call, shape);
                    return;
            }

            if (shape?.Extras is { } extras && extras.TryGetValue(key, out var value))
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }
        }
    }

    private static void WriteFunction(Utf8JsonWriter writer, FunctionCallContent call, WireCallShape? shape)
    {
        writer.WritePropertyName("function");
        WriteObjectInKeyOrder(writer, shape?.FunctionKeyOrder, CanonicalFunctionKeys, shape?.FunctionExtras?.Keys, WriteKey);

        void WriteKey(string key)
        {
            switch (key)
            {
                case "name":
                    writer.WriteString("name", call.Name);
                    return;
                case "arguments":
                    var hasRaw = call.AdditionalProperties is { } properties && properties.ContainsKey(ChatMessageFacts.RawArgumentsKey);
                    if (shape is { HadArguments: false } && call.Arguments is null && !hasRaw)
                    {
                        return;
                    }

                    var arguments = ChatMessageFacts.ArgumentsJson(call);
                    if (!hasRaw && shape?.OriginalArguments is { } original && string.Equals(shape.OriginalArgumentsCompact, arguments, StringComparison.Ordinal))
                    {
                        arguments = original;
                    }

                    writer.WriteString("arguments", arguments);
                    return;
            }

            if (shape?.FunctionExtras is { } extras && extras.TryGetValue(key, out var value))
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }
        }
    }

    /// <summary>
    /// Writes one JSON object whose keys come, each once, first in the order they were read, then in the canonical
    /// order, then the remaining extra keys; <paramref name="writeKey"/> writes one key's member (or nothing).
    /// </summary>
    private static void WriteObjectInKeyOrder(Utf8JsonWriter writer, IEnumerable<string>? readOrder, IEnumerable<string> canonical, IEnumerable<string>? extraKeys, Action<string> writeKey)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject();
        WriteEach(readOrder);
        WriteEach(canonical);
        WriteEach(extraKeys);
        writer.WriteEndObject();

        void WriteEach(IEnumerable<string>? keys)
        {
            if (keys is null)
            {
                return;
            }

            foreach (var key in keys)
            {
                if (written.Add(key))
                {
                    writeKey(key);
                }
            }
        }
    }

    /// <summary>Writes a value held in additional properties, without reflection.</summary>
    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException(Invariant($"a value nests more than {MaxDepth} levels deep"));
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case JsonElement element:
                if (element.ValueKind == JsonValueKind.Undefined)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    element.WriteTo(writer);
                }

                return;
            case JsonNode node:
                node.WriteTo(writer);
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                return;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case IDictionary<string, object?> dictionary:
                writer.WriteStartObject();
                foreach (var pair in dictionary)
                {
                    writer.WritePropertyName(pair.Key);
                    WriteValue(writer, pair.Value, depth + 1);
                }

                writer.WriteEndObject();
                return;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                return;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            default:
                writer.WriteStringValue(value.ToString());
                return;
        }
    }

    /// <summary>A value as text: a string as is, anything else as its compact JSON.</summary>
    private static string ValueText(object? value)
    {
        if (value is string text)
        {
            return text;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, CompactWriter))
        {
            WriteValue(writer, value, 0);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    // ---------------------------------------------------------------- errors

    private static ChatFormatException Error(int index, string? field, string message) => new(message, index, field);

    private static ChatFormatException NotJson(JsonException ex)
    {
        var reason = ex.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var at = reason.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                reason = reason.Substring(0, at);
            }
        }

        var where = ex.LineNumber is { } line
            ? Invariant($" at line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}")
            : string.Empty;
        return new ChatFormatException(
            "The messages are not valid JSON" + where + ": " + reason.TrimEnd('.', ' ') + ". Fix the JSON there (a missing comma, quote or bracket is the usual cause); the messages are a JSON array such as [" + ExampleMessage + "].",
            null,
            null,
            ex);
    }

    /// <summary>What a JSON value is, in words: "a string", "the number 3", "an object".</summary>
    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + ManifestQuote.Of(value.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
