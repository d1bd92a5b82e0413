using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>
/// Differential tests: the generated schema of every corpus tool equals what
/// <c>AIJsonUtilities.CreateFunctionJsonSchema(methodInfo)</c> produces for the same method, as JSON with key order
/// ignored. Two differences hold for every tool and are applied to Microsoft.Extensions.AI's side before comparing:
/// <list type="bullet">
/// <item>the root <c>title</c> (the C# method name) is dropped: the tool's name is the <c>[EngineTool]</c> name;</item>
/// <item>the root <c>description</c> moves to <see cref="ToolSchema.Description"/> (the bare <c>{name, description, parameters}</c> shape).</item>
/// </list>
/// Every other difference is named per tool in <see cref="SchemaCorpus.Differences"/>.
/// </summary>
public sealed class SchemaDifferentialTests
{
    private static readonly Lazy<(ToolCompilation Compiled, Type Engine, IReadOnlyList<ToolSchema> Schemas, IReadOnlyList<ToolSchema> Strict)> Corpus = new(() =>
    {
        var compiled = ToolCompilation.Compile("Corpus", SchemaCorpus.Source);
        var engine = compiled.Type(SchemaCorpus.EngineType);
        return (compiled, engine, compiled.Create(SchemaCorpus.EngineType).GetToolSchemas(), ToolCompilation.StrictSchemas(engine));
    });

    public static TheoryData<string> Tools()
    {
        var data = new TheoryData<string>();
        foreach (var name in SchemaCorpus.ToolNames())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_thirty_tools_and_every_one_is_generated()
    {
        var names = SchemaCorpus.ToolNames().ToArray();
        Assert.True(names.Length >= 30, $"only {names.Length} corpus tools");
        Assert.Equal(names.Order(StringComparer.Ordinal), Corpus.Value.Schemas.Select(s => s.Name));
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public void The_schema_equals_CreateFunctionJsonSchema(string tool)
    {
        var (expected, expectedDescription) = Expected(tool);
        var schema = Corpus.Value.Schemas.Single(s => s.Name == tool);

        Assert.Equal(expectedDescription, schema.Description);
        JsonAssert.Equal(expected, JsonAssert.Parse(schema.Parameters), tool);
    }

    /// <summary>
    /// The strict variant equals Microsoft.Extensions.AI's strict-mode transform (<c>RequireAllProperties</c>,
    /// <c>DisallowAdditionalProperties</c>, <c>MoveDefaultKeywordToDescription</c>) applied to the same schema, with two
    /// named differences: properties that were optional also accept <c>null</c> (so "leave it out" stays expressible),
    /// and the default value quoted in the description is minimally escaped JSON (<c>"a+b"</c>) where
    /// Microsoft.Extensions.AI puts its encoder's escapes into the text (<c>"a\u002Bb"</c>); both sides' quoted
    /// values are re-serialized the same way before comparing.
    /// </summary>
    [Theory]
    [MemberData(nameof(Tools))]
    public void The_strict_schema_equals_the_strict_transform_with_optional_properties_nullable(string tool)
    {
        var (expected, expectedDescription) = Expected(tool);
        MakeOptionalPropertiesNullable(expected);
        var strict = JsonNode.Parse(AIJsonUtilities.TransformSchema(
            System.Text.Json.JsonSerializer.SerializeToElement(expected),
            new AIJsonSchemaTransformOptions { RequireAllProperties = true, DisallowAdditionalProperties = true, MoveDefaultKeywordToDescription = true }).GetRawText());
        var schema = Corpus.Value.Strict.Single(s => s.Name == tool);

        Assert.Equal(expectedDescription, schema.Description);
        JsonAssert.Equal(NormalizeQuotedDefaults(strict), NormalizeQuotedDefaults(JsonAssert.Parse(schema.Parameters)), tool);
    }

    [Fact]
    public void Every_named_difference_is_a_real_difference()
    {
        foreach (var (tool, differences) in SchemaCorpus.Differences)
        {
            var method = SchemaCorpus.Method(Corpus.Value.Engine, tool);
            var reference = JsonNode.Parse(AIJsonUtilities.CreateFunctionJsonSchema(method).GetRawText())!;
            foreach (var difference in differences)
            {
                if (difference.Path.Length == 0)
                {
                    Assert.NotEqual(difference.Value, reference["description"]?.GetValue<string>());
                }
                else
                {
                    Assert.Null(Node(reference, difference.Path)!["description"]);
                }
            }
        }
    }

    /// <summary>Microsoft.Extensions.AI's schema for the tool with the global and the named differences applied, and the expected tool description.</summary>
    private static (JsonObject Schema, string Description) Expected(string tool)
    {
        var method = SchemaCorpus.Method(Corpus.Value.Engine, tool);
        var reference = JsonNode.Parse(AIJsonUtilities.CreateFunctionJsonSchema(method).GetRawText())!.AsObject();
        reference.Remove("title");
        var description = reference["description"]?.GetValue<string>() ?? string.Empty;
        reference.Remove("description");

        foreach (var difference in SchemaCorpus.Differences.GetValueOrDefault(tool, []))
        {
            if (difference.Path.Length == 0)
            {
                description = difference.Value;
            }
            else
            {
                Node(reference, difference.Path)!.AsObject()["description"] = difference.Value;
            }
        }

        return (reference, description);
    }

    private static JsonNode? Node(JsonNode root, string path)
    {
        var node = root;
        foreach (var segment in path.Split('/'))
        {
            node = node?[segment];
        }

        return node;
    }

    /// <summary>Rewrites the JSON value in "Default value: …" descriptions in one canonical escaping.</summary>
    private static JsonNode? NormalizeQuotedDefaults(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToArray())
                {
                    if (key == "description" && obj[key] is JsonValue text && text.GetValue<string>() is var description && description.Contains("Default value: ", StringComparison.Ordinal))
                    {
                        var at = description.IndexOf("Default value: ", StringComparison.Ordinal) + "Default value: ".Length;
                        var closing = description.EndsWith(')') && description.Contains(" (Default value: ", StringComparison.Ordinal) ? ")" : string.Empty;
                        var value = JsonNode.Parse(description[at..^closing.Length]);
                        obj[key] = description[..at] + (value?.ToJsonString(Relaxed) ?? "null") + closing;
                    }
                    else
                    {
                        NormalizeQuotedDefaults(obj[key]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    NormalizeQuotedDefaults(item);
                }

                break;
        }

        return node;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void MakeOptionalPropertiesNullable(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var (name, property) in properties)
            {
                if (!required.Contains(name) && property is JsonObject optional)
                {
                    AddNull(optional);
                }

                MakeOptionalPropertiesNullable(property);
            }
        }

        MakeOptionalPropertiesNullable(schema["items"]);
    }

    private static void AddNull(JsonObject schema)
    {
        switch (schema["type"])
        {
            case JsonValue single when single.GetValue<string>() != "null":
                schema["type"] = new JsonArray(single.GetValue<string>(), "null");
                break;
            case JsonArray types when !types.Any(t => t!.GetValue<string>() == "null"):
                types.Add("null");
                break;
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => v is null))
        {
            values.Add(null);
        }
    }
}
