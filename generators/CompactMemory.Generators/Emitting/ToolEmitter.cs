using System.Text;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;

namespace CompactMemory.Generators.Emitting;

/// <summary>Emits tool schemas (as JSON text) and the reflection-free tool dispatch.</summary>
internal static class ToolEmitter
{
    /// <summary>The engine's <c>tools.json</c>: a JSON array of <c>{"name", "description", "parameters"}</c>, compact.</summary>
    public static string ToolsJson(EquatableArray<ToolModel> tools)
    {
        var builder = new StringBuilder("[");
        var first = true;
        foreach (var tool in tools)
        {
            if (!tool.IsSupported)
            {
                continue;
            }

            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            builder.Append("{\"name\":").Append(JsonString(tool.Name))
                .Append(",\"description\":").Append(JsonString(tool.Description))
                .Append(",\"parameters\":").Append(tool.ParametersSchemaJson).Append('}');
        }

        return builder.Append(']').ToString();
    }

    /// <summary>Writes <c>GetToolSchemas</c> and <c>HandleToolCallAsync</c> into the engine's partial class body.</summary>
    public static void EmitMembers(SourceWriter writer, EngineModel engine)
    {
        _ = writer;
        _ = engine;
    }

    internal static string JsonString(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
