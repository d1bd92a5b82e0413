using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// The host's cheap token estimates (the contract's chars/4 rule): what a host uses before a provider has reported
/// real usage. They are estimates — typically 20–30 % under a provider's count — and are named so.
/// </summary>
/// <remarks>
/// A message is measured as the length of its compact OpenAI-format JSON rendering (keys, quotes and tool calls
/// included, host-private <c>_</c> keys and reasoning excluded), computed without building the text. Each image part
/// counts 1,500 tokens instead of its bytes.
/// </remarks>
public static class RoughTokenEstimator
{
    /// <summary>Tokens charged per image part.</summary>
    public const int ImageTokens = 1500;

    /// <summary><c>(len(text) + 3) / 4</c>; 0 for empty or <see langword="null"/> text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The estimate.</returns>
    public static int EstimateTokensRough(string? text) => string.IsNullOrEmpty(text) ? 0 : Quarter(text!.Length);

    /// <summary>
    /// <c>((Σ rendered chars + 3) / 4) + 1500 × images</c> over the messages.
    /// </summary>
    /// <param name="messages">The messages.</param>
    /// <returns>The estimate.</returns>
    public static int EstimateMessagesTokensRough(IEnumerable<ChatMessage> messages)
    {
        ArgumentGuard.NotNull(messages, nameof(messages));
        long chars = 0;
        long images = 0;
        foreach (var message in messages)
        {
            if (message is null)
            {
                continue;
            }

            chars += RenderedLength(message);
            images += ChatMessageFacts.ImageCount(message);
        }

        return Saturate(chars == 0 ? 0 : (chars + 3) / 4 + images * ImageTokens);
    }

    /// <summary>
    /// The system prompt, the messages and the tool schemas: <c>(len(system)+3)/4 + messages + (len(tools JSON)+3)/4</c>.
    /// </summary>
    /// <param name="messages">The messages.</param>
    /// <param name="systemPrompt">A system prompt sent beside the messages; empty when none.</param>
    /// <param name="tools">The tool schemas sent with the request, or <see langword="null"/>.</param>
    /// <returns>The estimate.</returns>
    public static int EstimateRequestTokensRough(IEnumerable<ChatMessage> messages, string? systemPrompt = "", IEnumerable<ToolSchema>? tools = null)
    {
        long total = EstimateTokensRough(systemPrompt) + (long)EstimateMessagesTokensRough(messages);
        if (tools is not null)
        {
            long chars = 0;
            var first = true;
            foreach (var tool in tools)
            {
                if (tool is null)
                {
                    continue;
                }

                // {"type":"function","function":{"name":"…","description":"…","parameters":…}}
                chars += (first ? 2 : 1) + 60 + ChatMessageFacts.EscapedLength(tool.Name) + ChatMessageFacts.EscapedLength(tool.Description)
                    + (tool.Parameters.ValueKind == System.Text.Json.JsonValueKind.Undefined ? 4 : tool.Parameters.GetRawText().Length);
                first = false;
            }

            total += chars == 0 ? 0 : (chars + 3) / 4;
        }

        return Saturate(total);
    }

    /// <summary>The length of the message's compact OpenAI-format JSON, images stubbed, private keys and reasoning left out.</summary>
    private static long RenderedLength(ChatMessage message)
    {
        // {"role":"<role>","content":"<text>"}
        long length = 24 + ChatMessageFacts.EscapedLength(message.Role.Value);
        var calls = 0;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    length += ChatMessageFacts.EscapedLength(text.Text) + 1;
                    break;
                case FunctionCallContent call:
                    // {"id":"…","type":"function","function":{"name":"…","arguments":"…"}}
                    length += 60 + ChatMessageFacts.EscapedLength(call.CallId) + ChatMessageFacts.EscapedLength(call.Name) + ChatMessageFacts.ArgumentsLength(call) + 2;
                    calls++;
                    break;
                case FunctionResultContent result:
                    // ,"tool_call_id":"…"
                    length += 19 + ChatMessageFacts.EscapedLength(result.CallId) + ChatMessageFacts.EscapedLength(ChatMessageFacts.ResultText(result));
                    break;
                default:
                    if (ChatMessageFacts.IsImage(content))
                    {
                        length += 40; // {"type":"image_url","image_url":{…}} stub
                    }

                    break;
            }
        }

        if (calls > 0)
        {
            length += 15; // ,"tool_calls":[]
        }

        return length;
    }

    private static int Quarter(long chars) => Saturate((chars + 3) / 4);

    private static int Saturate(long value) => value > int.MaxValue ? int.MaxValue : value < 0 ? 0 : (int)value;
}
