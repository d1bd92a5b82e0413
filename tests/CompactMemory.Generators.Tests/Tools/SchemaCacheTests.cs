using System;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using CompactMemory.Context;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>The schema members: cached, strict where asked, and the same as the stamped <c>tools.json</c>.</summary>
public sealed class SchemaCacheTests
{
    private static ToolCompilation Compiled => DispatchTests.Compiled.Value;

    [Fact]
    public void GetToolSchemas_returns_the_same_list_every_time()
    {
        var engine = Compiled.Create(DispatchEngineSource.EngineType);
        var first = engine.GetToolSchemas();

        Assert.Same(first, engine.GetToolSchemas());
        Assert.Same(first, Compiled.Create(DispatchEngineSource.EngineType).GetToolSchemas());
        Assert.Same(ToolCompilation.StrictSchemas(engine.GetType()), ToolCompilation.StrictSchemas(engine.GetType()));
        Assert.Throws<NotSupportedException>(() => ((System.Collections.Generic.IList<ToolSchema>)first).Add(first[0]));
    }

    [Fact]
    public void GetToolSchemas_does_not_allocate_after_the_first_call()
    {
        var engine = Compiled.Create(DispatchEngineSource.EngineType);
        engine.GetToolSchemas();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            engine.GetToolSchemas();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_strict_schemas_require_every_property_and_allow_no_other()
    {
        var engine = Compiled.Create(DispatchEngineSource.EngineType);
        var strict = ToolCompilation.StrictSchemas(engine.GetType());

        Assert.Equal(engine.GetToolSchemas().Select(s => s.Name), strict.Select(s => s.Name));
        var objects = 0;
        foreach (var schema in strict)
        {
            objects += AssertStrict(JsonAssert.Parse(schema.Parameters), schema.Name);
        }

        Assert.True(objects > strict.Count, "nested objects were checked too");

        // Formerly optional properties accept null (meaning "use the default"), and the default moves into the description.
        var defaults = JsonAssert.Parse(strict.Single(s => s.Name == "echo_defaults").Parameters);
        Assert.Equal("""["integer","null"]""", defaults["properties"]!["count"]!["type"]!.ToJsonString());
        Assert.Equal("Default value: 7", defaults["properties"]!["count"]!["description"]!.GetValue<string>());
        Assert.Null(defaults["properties"]!["count"]!["default"]);
        Assert.Equal("""["Calm","Angry",null]""", defaults["properties"]!["mood"]!["enum"]!.ToJsonString());
    }

    [Fact]
    public void The_stamped_tools_json_is_what_GetToolSchemas_returns()
    {
        var engine = Compiled.Create(DispatchEngineSource.EngineType);
        var stamped = Compiled.Assembly.GetCustomAttributes<EnginePackageManifestAttribute>().Single(a => a.EngineId == "dispatch").ToolsJson;
        var schemas = new JsonArray(engine.GetToolSchemas()
            .Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["description"] = s.Description, ["parameters"] = JsonAssert.Parse(s.Parameters) })
            .ToArray());

        JsonAssert.Equal(JsonNode.Parse(stamped), schemas);
        Assert.Equal(
            schemas.Select(s => s!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal),
            schemas.Select(s => s!["name"]!.GetValue<string>()));
    }

    /// <summary>Checks every object schema below <paramref name="node"/>; returns how many there were.</summary>
    private static int AssertStrict(JsonNode? node, string tool)
    {
        if (node is not JsonObject schema)
        {
            return 0;
        }

        var count = 0;
        if (schema["properties"] is JsonObject properties)
        {
            count++;
            Assert.False(schema["additionalProperties"]!.GetValue<bool>(), tool);
            Assert.Equal(properties.Select(p => p.Key), schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
            foreach (var property in properties)
            {
                Assert.Null(property.Value!["default"]);
                count += AssertStrict(property.Value, tool);
            }
        }

        return count + AssertStrict(schema["items"], tool);
    }
}
