using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompactMemory.Compression;

/// <summary>
/// The limits on JSON values the SDK copies and writes (configuration extras, compression parameters, status extras),
/// checked without recursion so a hostile value is refused with a message instead of overflowing the stack or failing
/// half-way through writing a trace.
/// </summary>
internal static class JsonLimits
{
    /// <summary>The deepest a configuration or parameter value may nest (objects and arrays inside it).</summary>
    public const int MaxValueDepth = 128;

    /// <summary>The deepest a written or read trace or result may nest; room for 16 nested pipelines of deep values.</summary>
    public const int MaxDocumentDepth = 256;

    /// <summary>
    /// The problem with a value, or <see langword="null"/> when it can be copied and written: it nests more than
    /// <see cref="MaxValueDepth"/> levels, or holds a number JSON cannot represent (NaN, infinity).
    /// </summary>
    /// <param name="node">The value.</param>
    /// <returns>What is wrong, in words that end a sentence starting with the value's name.</returns>
    public static string? Problem(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        var pending = new Stack<(JsonNode Node, int Depth)>();
        pending.Push((node, 1));
        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            switch (current)
            {
                case JsonObject obj:
                    if (depth > MaxValueDepth)
                    {
                        return TooDeep();
                    }

                    foreach (var property in obj)
                    {
                        if (property.Value is not null)
                        {
                            pending.Push((property.Value, depth + 1));
                        }
                    }

                    break;
                case JsonArray array:
                    if (depth > MaxValueDepth)
                    {
                        return TooDeep();
                    }

                    foreach (var item in array)
                    {
                        if (item is not null)
                        {
                            pending.Push((item, depth + 1));
                        }
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number)
                    && (double.IsNaN(number) || double.IsInfinity(number)):
                    return "holds " + number.ToString(CultureInfo.InvariantCulture) + ", which JSON cannot represent; use null or a finite number";
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<float>(out var single)
                    && (float.IsNaN(single) || float.IsInfinity(single)):
                    return "holds " + single.ToString(CultureInfo.InvariantCulture) + ", which JSON cannot represent; use null or a finite number";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="ConfigurationException"/> when <see cref="Problem"/> finds one.</summary>
    /// <param name="node">The value.</param>
    /// <param name="name">What the value is, for example <c>Engine setting 'x'</c>.</param>
    /// <exception cref="ConfigurationException">The value cannot be copied or written.</exception>
    public static void Require(JsonNode? node, string name)
    {
        if (Problem(node) is { } problem)
        {
            throw new ConfigurationException(name + " " + problem + ".");
        }
    }

    /// <summary>A short JSON rendering of a value for messages; never throws, at most 200 characters.</summary>
    /// <param name="node">The value.</param>
    /// <returns>The rendering.</returns>
    public static string Describe(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        if (Problem(node) is not null)
        {
            return node switch
            {
                JsonObject => "an object that cannot be written as JSON",
                JsonArray => "a list that cannot be written as JSON",
                _ => "a number JSON cannot represent",
            };
        }

        string text;
        try
        {
            text = node.ToJsonString();
        }
        catch (System.Exception ex) when (ex is System.InvalidOperationException or System.ArgumentException)
        {
            return "a value that cannot be written as JSON";
        }

        return text.Length <= 200
            ? text
            : new System.Text.StringBuilder(200).Append(text, 0, char.IsHighSurrogate(text[196]) ? 196 : 197).Append("...").ToString();
    }

    private static string TooDeep() =>
        "is nested more than " + MaxValueDepth.ToString(CultureInfo.InvariantCulture) + " levels deep (objects and lists inside each other); flatten it";
}
