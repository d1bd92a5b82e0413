using System.Collections.Generic;
using System.Text.Json;

namespace CompactMemory.Context;

/// <summary>How a message's <c>content</c> was written on the wire.</summary>
internal enum WireContentKind
{
    /// <summary>No <c>content</c> key.</summary>
    Absent,

    /// <summary><c>"content": null</c>.</summary>
    Null,

    /// <summary><c>"content": "…"</c>.</summary>
    String,

    /// <summary><c>"content": [ …parts… ]</c>.</summary>
    List,

    /// <summary><c>"content": { … }</c> (tool results only).</summary>
    Object,
}

/// <summary>
/// What <see cref="OpenAIChatFormat"/> remembers of a parsed message so that writing it back gives the same JSON: its
/// key order and the shape of its content. Kept in <see cref="Microsoft.Extensions.AI.ChatMessage.RawRepresentation"/>
/// (copies of the message keep it); only shapes, never values, so an edited message is written as it is now.
/// </summary>
internal sealed class WireMessageShape
{
    public WireMessageShape(string[] keyOrder, WireContentKind content, bool hadToolCallId)
    {
        KeyOrder = keyOrder;
        Content = content;
        HadToolCallId = hadToolCallId;
    }

    /// <summary>The message's keys, in their original order.</summary>
    public string[] KeyOrder { get; }

    /// <summary>How the content was written.</summary>
    public WireContentKind Content { get; }

    /// <summary>Whether a tool message had a <c>tool_call_id</c> string.</summary>
    public bool HadToolCallId { get; }
}

/// <summary>What is remembered of a text part of a content list (bare string or object, key order).</summary>
internal sealed class WireTextPartShape
{
    public static readonly WireTextPartShape Bare = new(null);

    public WireTextPartShape(string[]? keyOrder)
    {
        KeyOrder = keyOrder;
    }

    /// <summary>The part object's keys in order; <see langword="null"/> for a bare string item.</summary>
    public string[]? KeyOrder { get; }

    /// <summary>True for a bare string item of a content list.</summary>
    public bool IsBare => KeyOrder is null;
}

/// <summary>What is remembered of a tool call: which id keys it had, its <c>type</c>, key orders and unknown keys.</summary>
internal sealed class WireCallShape
{
    public required string[] KeyOrder { get; init; }

    public required string[] FunctionKeyOrder { get; init; }

    public bool HadId { get; init; }

    public bool HadCallId { get; init; }

    /// <summary>The <c>type</c> value as written, or <see langword="null"/> when the call had no <c>type</c>.</summary>
    public JsonElement? Type { get; init; }

    public bool HadArguments { get; init; }

    /// <summary>The arguments text as written (only when it was a JSON object), and its compact form.</summary>
    public string? OriginalArguments { get; init; }

    public string? OriginalArgumentsCompact { get; init; }

    /// <summary>Unknown keys of the call object, in order.</summary>
    public Dictionary<string, JsonElement>? Extras { get; init; }

    /// <summary>Unknown keys of the <c>function</c> object, in order.</summary>
    public Dictionary<string, JsonElement>? FunctionExtras { get; init; }
}
