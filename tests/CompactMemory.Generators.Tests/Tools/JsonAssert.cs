using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>JSON comparisons that ignore key order (and only key order).</summary>
internal static class JsonAssert
{
    public static void Equal(string expected, string actual) => Equal(JsonNode.Parse(expected), JsonNode.Parse(actual));

    public static void Equal(JsonNode? expected, JsonNode? actual, string? context = null)
    {
        var e = Sorted(expected);
        var a = Sorted(actual);
        Assert.True(
            JsonNode.DeepEquals(e, a),
            (context is null ? string.Empty : context + "\n") + "expected: " + e?.ToJsonString() + "\nactual:   " + a?.ToJsonString());
    }

    /// <summary>A copy with every object's keys in ordinal order; arrays keep their order.</summary>
    public static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    public static JsonNode Parse(JsonElement element) => JsonNode.Parse(element.GetRawText())!;
}
