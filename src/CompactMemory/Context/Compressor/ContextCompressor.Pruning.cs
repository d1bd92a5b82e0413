using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>Phase 1: the cheap, model-free trim of old tool output, and the per-message estimate the budgets use.</summary>
public sealed partial class ContextCompressor
{
    /// <summary>Tool output at least this long is a dedupe candidate.</summary>
    private const int DedupeMinLength = 200;

    /// <summary>Old tool output longer than this is replaced by a one-line summary.</summary>
    private const int SummarizeMinLength = 200;

    /// <summary>Tool-call arguments longer than this have their long string leaves cut.</summary>
    private const int ArgumentsTruncateThreshold = 500;

    /// <summary>String leaves longer than this are cut to this length.</summary>
    private const int ArgumentLeafMax = 200;

    /// <summary>
    /// Trims old tool output without a model: an older tool output identical to a newer one becomes a duplicate marker;
    /// outside the protected tail, long tool output becomes a one-line summary of the call, images in tool results
    /// become a marker, and long string values in tool-call arguments are cut (the arguments stay valid JSON).
    /// The tail kept verbatim is <see cref="ContextEngine.ProtectLastN"/> messages or <see cref="TailTokenBudget"/>
    /// tokens, whichever is more. The input is not changed.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="currentTokens">The host's token estimate (unused: the trim is the same at any size).</param>
    /// <returns>The trimmed messages (the same list when nothing changed) and how many messages were changed.</returns>
    public override ToolResultPruning PruneToolResultsOnly(IReadOnlyList<ChatMessage> messages, int? currentTokens = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckElements(messages);
        var tokens = EstimateAll(messages);
        var (pruned, count) = Prune(messages, tokens, ProtectLastN, TailTokenBudget);
        return new ToolResultPruning(count == 0 ? messages : pruned, count);
    }

    /// <summary>The per-message estimates of a conversation, computed once.</summary>
    private static int[] EstimateAll(IReadOnlyList<ChatMessage> messages)
    {
        var tokens = new int[messages.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = EstimateMessage(messages[i]);
        }

        return tokens;
    }

    /// <summary>
    /// <c>content_len / 4 + 10 + Σ len(arguments) / 4</c>: text parts by length, 6,400 characters per image, a tool
    /// result by its text, each tool call's arguments by their JSON length.
    /// </summary>
    internal static int EstimateMessage(ChatMessage message)
    {
        long contentLength = 0;
        long argumentTokens = 0;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    contentLength += text.Text?.Length ?? 0;
                    break;
                case FunctionCallContent call:
                    argumentTokens += ChatMessageFacts.ArgumentsLength(call) / 4;
                    break;
                case FunctionResultContent result:
                    contentLength += ResultLength(result);
                    break;
                default:
                    if (ChatMessageFacts.IsImage(content))
                    {
                        contentLength += 6400;
                    }

                    break;
            }
        }

        var total = contentLength / 4 + 10 + argumentTokens;
        return total > int.MaxValue ? int.MaxValue : (int)total;
    }

    private static long ResultLength(FunctionResultContent result)
    {
        switch (result.Result)
        {
            case null:
                return 0;
            case string s:
                return s.Length;
            case IEnumerable<AIContent> parts:
                long length = 0;
                foreach (var part in parts)
                {
                    if (part is TextContent text)
                    {
                        length += text.Text?.Length ?? 0;
                    }
                    else if (ChatMessageFacts.IsImage(part))
                    {
                        length += 6400;
                    }
                }

                return length;
            default:
                return ChatMessageFacts.ResultText(result).Length;
        }
    }

    /// <summary>
    /// The index where the protected tail starts: walking back from the end, messages are counted until one would
    /// exceed <paramref name="budget"/> once at least <paramref name="minCount"/> are counted; the count is a floor.
    /// </summary>
    private static int ProtectedTailBoundary(int[] tokens, int minCount, int? budget)
    {
        var n = tokens.Length;
        var minProtect = Math.Min(minCount, n);
        if (budget is not { } limit)
        {
            return Math.Max(0, n - minCount);
        }

        long accumulated = 0;
        var counted = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            if (accumulated + tokens[i] > limit && counted >= minProtect)
            {
                break;
            }

            accumulated += tokens[i];
            counted++;
        }

        return n - Math.Max(counted, minProtect);
    }

    /// <summary>
    /// The three passes of the trim on a copy of the list; <paramref name="tokens"/> is updated for every changed message.
    /// </summary>
    private static (List<ChatMessage> Messages, int Pruned) Prune(IReadOnlyList<ChatMessage> messages, int[] tokens, int protectTailCount, int? protectTailTokens)
    {
        var n = messages.Count;
        var result = new List<ChatMessage>(n);
        for (var i = 0; i < n; i++)
        {
            result.Add(messages[i]);
        }

        if (n == 0)
        {
            return (result, 0);
        }

        var boundary = ProtectedTailBoundary(tokens, protectTailCount, protectTailTokens);
        var changed = new bool[n];

        // Pass 1: an older tool output equal to a newer one (≥ 200 characters) becomes the duplicate marker.
        HashSet<Hash128>? seen = null;
        for (var i = n - 1; i >= 0; i--)
        {
            if (!ChatMessageFacts.IsTool(result[i]) || ChatMessageFacts.ToolResult(result[i]) is not { } toolResult)
            {
                continue;
            }

            if (ScalarResultText(toolResult) is not { Length: >= DedupeMinLength } text)
            {
                continue;
            }

            seen ??= new HashSet<Hash128>();
            if (!seen.Add(Hash128.Of(text)))
            {
                result[i] = WithResult(result[i], toolResult, DuplicateToolOutputMarker);
                changed[i] = true;
            }
        }

        // Pass 2: outside the protected tail, long tool output becomes a one-line summary; images become markers.
        Dictionary<string, FunctionCallContent>? calls = null;
        for (var i = 0; i < boundary; i++)
        {
            var message = result[i];
            if (!ChatMessageFacts.IsTool(message) || ChatMessageFacts.ToolResult(message) is not { } toolResult)
            {
                continue;
            }

            switch (toolResult.Result)
            {
                case IEnumerable<AIContent> parts:
                    if (ReplaceImages(parts, ScreenshotRemovedMarker) is { } stripped)
                    {
                        result[i] = WithResult(message, toolResult, stripped);
                        changed[i] = true;
                    }

                    break;
                default:
                    if (MultimodalSummary(toolResult.Result) is { } summaryText)
                    {
                        result[i] = WithResult(message, toolResult, ScreenshotRemovedPrefix + Prefix(summaryText, 200));
                        changed[i] = true;
                        break;
                    }

                    if (ScalarResultText(toolResult) is { Length: > SummarizeMinLength } text
                        && !string.Equals(text, DuplicateToolOutputMarker, StringComparison.Ordinal)
                        && !string.Equals(text, LegacyPrunePlaceholder, StringComparison.Ordinal))
                    {
                        calls ??= IndexCalls(result);
                        calls.TryGetValue(toolResult.CallId ?? string.Empty, out var call);
                        var line = ToolResultSummaries.OneLine(call?.Name ?? "unknown", call is null ? null : ArgumentsOf(call), text);
                        result[i] = WithResult(message, toolResult, line);
                        changed[i] = true;
                    }

                    break;
            }
        }

        // Pass 3: outside the protected tail, long string leaves of long tool-call arguments are cut, JSON kept valid.
        for (var i = 0; i < boundary; i++)
        {
            var message = result[i];
            if (!ChatMessageFacts.HasToolCalls(message))
            {
                continue;
            }

            List<AIContent>? contents = null;
            for (var c = 0; c < message.Contents.Count; c++)
            {
                if (message.Contents[c] is not FunctionCallContent call || ChatMessageFacts.ArgumentsLength(call) <= ArgumentsTruncateThreshold)
                {
                    continue;
                }

                if (TruncateArguments(call) is { } truncated)
                {
                    contents ??= new List<AIContent>(message.Contents);
                    contents[c] = truncated;
                }
            }

            if (contents is not null)
            {
                var copy = ChatMessageFacts.Copy(message);
                copy.Contents = contents;
                result[i] = copy;
                changed[i] = true;
            }
        }

        var pruned = 0;
        for (var i = 0; i < n; i++)
        {
            if (changed[i])
            {
                pruned++;
                tokens[i] = EstimateMessage(result[i]);
            }
        }

        return (result, pruned);
    }

    /// <summary>Every tool call by its id; a later call with the same id wins.</summary>
    private static Dictionary<string, FunctionCallContent> IndexCalls(List<ChatMessage> messages)
    {
        var calls = new Dictionary<string, FunctionCallContent>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (!ChatMessageFacts.IsAssistant(message))
            {
                continue;
            }

            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call && call.CallId is not null)
                {
                    calls[call.CallId] = call;
                }
            }
        }

        return calls;
    }

    /// <summary>A call's arguments as a dictionary; arguments kept as raw text are parsed when they are a JSON object.</summary>
    private static IDictionary<string, object?>? ArgumentsOf(FunctionCallContent call) =>
        call.Arguments ?? ChatMessageFacts.ParseArguments(ChatMessageFacts.ArgumentsJson(call));

    /// <summary>The text of a result that is not a list of parts (and not multimodal), or <see langword="null"/>.</summary>
    private static string? ScalarResultText(FunctionResultContent result) => result.Result switch
    {
        null => null,
        string s => s,
        IEnumerable<AIContent> => null,
        _ when MultimodalSummary(result.Result) is not null => null,
        _ => ChatMessageFacts.ResultText(result),
    };

    /// <summary>The <c>text_summary</c> of a <c>{"_multimodal": …, "text_summary": …}</c> result, or <see langword="null"/>.</summary>
    private static string? MultimodalSummary(object? result)
    {
        switch (result)
        {
            case JsonElement { ValueKind: JsonValueKind.Object } element when element.TryGetProperty("_multimodal", out _):
                return element.TryGetProperty("text_summary", out var summary) && summary.ValueKind == JsonValueKind.String ? summary.GetString() ?? string.Empty : string.Empty;
            case IReadOnlyDictionary<string, object?> dictionary when dictionary.ContainsKey("_multimodal"):
                return dictionary.TryGetValue("text_summary", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;
            default:
                return null;
        }
    }

    /// <summary>A copy of the parts with every image replaced by a text marker, or <see langword="null"/> when there is no image.</summary>
    private static List<AIContent>? ReplaceImages(IEnumerable<AIContent> parts, string marker)
    {
        List<AIContent>? copy = null;
        var index = 0;
        foreach (var part in parts)
        {
            if (ChatMessageFacts.IsImage(part))
            {
                if (copy is null)
                {
                    copy = new List<AIContent>();
                    var j = 0;
                    foreach (var earlier in parts)
                    {
                        if (j++ == index)
                        {
                            break;
                        }

                        copy.Add(earlier);
                    }
                }

                copy.Add(new TextContent(marker));
            }
            else
            {
                copy?.Add(part);
            }

            index++;
        }

        return copy;
    }

    /// <summary>A copy of a tool message whose result is <paramref name="result"/>.</summary>
    private static ChatMessage WithResult(ChatMessage message, FunctionResultContent old, object? result)
    {
        var copy = ChatMessageFacts.Copy(message);
        var contents = new List<AIContent>(message.Contents.Count);
        foreach (var content in message.Contents)
        {
            contents.Add(ReferenceEquals(content, old)
                ? new FunctionResultContent(old.CallId, result) { AdditionalProperties = old.AdditionalProperties, Exception = old.Exception }
                : content);
        }

        copy.Contents = contents;
        return copy;
    }

    private static string Prefix(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text.Substring(0, cut);
    }

    /// <summary>
    /// The call with its long string leaves cut, or <see langword="null"/> when nothing is cut or the arguments are not
    /// valid JSON. Arguments held as JSON values are cut value by value; anything else goes through the JSON text.
    /// </summary>
    private static FunctionCallContent? TruncateArguments(FunctionCallContent call)
    {
        if (call.Arguments is not { } arguments || !AllJsonValues(arguments))
        {
            return TruncateArgumentLeaves(ChatMessageFacts.ArgumentsJson(call)) is { } text ? ChatMessageFacts.WithArgumentsJson(call, text) : null;
        }

        Dictionary<string, object?>? cut = null;
        foreach (var pair in arguments)
        {
            object? value = pair.Value;
            switch (pair.Value)
            {
                case JsonElement element when HasLongLeaf(element):
                    var buffer = new ArrayBufferWriter<byte>();
                    using (var writer = new Utf8JsonWriter(buffer, RelaxedWriter))
                    {
                        WriteTruncated(writer, element);
                    }

                    using (var document = JsonDocument.Parse(buffer.WrittenMemory))
                    {
                        value = document.RootElement.Clone();
                    }

                    break;
                case string text when text.Length > ArgumentLeafMax:
                    value = Prefix(text, ArgumentLeafMax) + ArgumentTruncationSuffix;
                    break;
                default:
                    continue;
            }

            if (cut is null)
            {
                cut = new Dictionary<string, object?>(arguments, StringComparer.Ordinal);
            }

            cut[pair.Key] = value;
        }

        return cut is null ? null : new FunctionCallContent(call.CallId, call.Name, cut)
        {
            AdditionalProperties = call.AdditionalProperties,
            Exception = call.Exception,
        };
    }

    private static bool AllJsonValues(IDictionary<string, object?> arguments)
    {
        foreach (var pair in arguments)
        {
            if (pair.Value is not (null or JsonElement or string or bool or int or long or double or float or decimal))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly JsonWriterOptions RelaxedWriter = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>
    /// The arguments with every string leaf longer than 200 characters cut to 200 plus <see cref="ArgumentTruncationSuffix"/>,
    /// keys, numbers, literals and nesting unchanged, non-ASCII text literal; <see langword="null"/> when the text is not
    /// valid JSON or has no long leaf.
    /// </summary>
    internal static string? TruncateArgumentLeaves(string argumentsJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(argumentsJson, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (!HasLongLeaf(document.RootElement))
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>(argumentsJson.Length);
            using (var writer = new Utf8JsonWriter(buffer, RelaxedWriter))
            {
                WriteTruncated(writer, document.RootElement);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    private static bool HasLongLeaf(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                // The raw text (quotes and escapes included) is never shorter than the string it encodes.
                return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length - 2 > ArgumentLeafMax
                    && element.GetString()!.Length > ArgumentLeafMax;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (HasLongLeaf(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (HasLongLeaf(item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static void WriteTruncated(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                writer.WriteStringValue(text.Length > ArgumentLeafMax ? Prefix(text, ArgumentLeafMax) + ArgumentTruncationSuffix : text);
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    WriteTruncated(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteTruncated(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>A 128-bit content hash (MD5, used only to find equal tool outputs, not for security).</summary>
    private readonly record struct Hash128(ulong High, ulong Low)
    {
        public static Hash128 Of(string text)
        {
            var byteCount = Encoding.UTF8.GetByteCount(text);
            var rented = ArrayPool<byte>.Shared.Rent(byteCount);
            try
            {
                var written = Encoding.UTF8.GetBytes(text, 0, text.Length, rented, 0);
                Span<byte> digest = stackalloc byte[16];
#pragma warning disable CA5351 // Equality of tool outputs, not security: a fast, well-distributed 128-bit digest is all that is needed.
                MD5.HashData(rented.AsSpan(0, written), digest);
#pragma warning restore CA5351
                return new Hash128(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest.Slice(8)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
