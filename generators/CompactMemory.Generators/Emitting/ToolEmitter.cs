using System;
using System.Collections.Generic;
using System.Text;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using CompactMemory.Generators.Tools;

namespace CompactMemory.Generators.Emitting;

/// <summary>Emits tool schemas (as JSON text) and the reflection-free tool dispatch.</summary>
internal static class ToolEmitter
{
    /// <summary>The engine's <c>tools.json</c>: a JSON array of <c>{"name", "description", "parameters"}</c>, compact.</summary>
    public static string ToolsJson(EquatableArray<ToolModel> tools) => ToolsJson(tools, strict: false);

    /// <summary>
    /// Writes <c>GetToolSchemas</c>, <c>GetStrictToolSchemas</c> and <c>HandleToolCallAsync</c> (with their helpers)
    /// into the engine's partial class body; nothing when no tool is supported.
    /// </summary>
    public static void EmitMembers(SourceWriter writer, EngineModel engine, string supportClass)
    {
        try
        {
            var supported = new List<ToolModel>();
            foreach (var tool in engine.Tools)
            {
                if (tool.IsSupported)
                {
                    supported.Add(tool);
                }
            }

            if (supported.Count == 0)
            {
                return;
            }

            // Emit into a buffer first, so a failure leaves the engine's class empty rather than half written.
            var members = new SourceWriter();
            new ToolDispatchEmitter(members, supportClass).Emit(engine, supported, ToolsJson(engine.Tools, strict: false), ToolsJson(engine.Tools, strict: true));
            var lines = members.ToString().Split('\n');
            for (var i = 0; i < lines.Length - 1; i++)
            {
                writer.Line(lines[i]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The generator never throws: no members means the engine keeps the contract's defaults (no tools).
        }
    }

    private static string ToolsJson(EquatableArray<ToolModel> tools, bool strict)
    {
        try
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
                builder.Append("{\"name\":").Append(JsonText.String(tool.Name))
                    .Append(",\"description\":").Append(JsonText.String(tool.Description))
                    .Append(",\"parameters\":").Append(ToolSchemaWriter.Parameters(tool, strict)).Append('}');
            }

            return builder.Append(']').ToString();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return "[]";
        }
    }
}
