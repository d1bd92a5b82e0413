using CompactMemory.Generators.Model;

namespace CompactMemory.Generators.Tools;

/// <summary>
/// Writes a tool's parameters schema in the shape of <c>AIJsonUtilities.CreateFunctionJsonSchema</c>, minus the root
/// <c>title</c> and <c>description</c> (the tool's name and description carry them). The strict variant is what
/// Microsoft.Extensions.AI sends for strict mode (every property required, <c>additionalProperties: false</c> on every
/// object, <c>default</c> moved into the description), and in addition makes every formerly optional property
/// nullable, so the model can still leave it out by sending <c>null</c>.
/// </summary>
internal static class ToolSchemaWriter
{
    private const string TimeSpanComment = "Represents a System.TimeSpan value.";
    private const string TimeSpanPattern = @"^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d{1,7})?$";

    public static string Parameters(ToolModel tool, bool strict)
    {
        var json = new JsonBuilder();
        json.StartObject();
        json.Name("type").String("object");
        json.Name("properties").StartObject();
        var anyRequired = false;
        foreach (var parameter in tool.Parameters)
        {
            if (parameter.Kind == ToolParameterKind.Argument && parameter.Type is not null)
            {
                json.Name(parameter.Name);
                Node(json, parameter.Type, parameter.Description, parameter.DefaultJson, strict, optional: !parameter.IsRequired);
                anyRequired |= parameter.IsRequired;
            }
        }

        json.EndObject();
        if (strict)
        {
            json.Name("additionalProperties").Bool(false);
        }

        if (strict || anyRequired)
        {
            json.Name("required").StartArray();
            foreach (var parameter in tool.Parameters)
            {
                if (parameter.Kind == ToolParameterKind.Argument && (strict || parameter.IsRequired))
                {
                    json.String(parameter.Name);
                }
            }

            json.EndArray();
        }

        return json.EndObject().ToString();
    }

    private static void Node(JsonBuilder json, ToolTypeModel type, string? description, string? defaultJson, bool strict, bool optional)
    {
        var nullable = type.AllowsNull || (strict && optional);
        if (strict && defaultJson is not null)
        {
            // Microsoft.Extensions.AI's MoveDefaultKeywordToDescription wording.
            description = description is null ? "Default value: " + defaultJson : description + " (Default value: " + defaultJson + ")";
            defaultJson = null;
        }

        json.StartObject();
        if (description is not null)
        {
            json.Name("description").String(description);
        }

        switch (type.Kind)
        {
            case ToolTypeKind.String:
                Type(json, "string", nullable);
                break;
            case ToolTypeKind.Char:
                Type(json, "string", nullable);
                json.Name("minLength").Raw("1");
                json.Name("maxLength").Raw("1");
                break;
            case ToolTypeKind.Boolean:
                Type(json, "boolean", nullable);
                break;
            case ToolTypeKind.SByte:
            case ToolTypeKind.Byte:
            case ToolTypeKind.Int16:
            case ToolTypeKind.UInt16:
            case ToolTypeKind.Int32:
            case ToolTypeKind.UInt32:
            case ToolTypeKind.Int64:
            case ToolTypeKind.UInt64:
                Type(json, "integer", nullable);
                break;
            case ToolTypeKind.Single:
            case ToolTypeKind.Double:
            case ToolTypeKind.Decimal:
                Type(json, "number", nullable);
                break;
            case ToolTypeKind.Guid:
                Type(json, "string", nullable);
                json.Name("format").String("uuid");
                break;
            case ToolTypeKind.DateTime:
            case ToolTypeKind.DateTimeOffset:
                Type(json, "string", nullable);
                json.Name("format").String("date-time");
                break;
            case ToolTypeKind.TimeSpan:
                json.Name("$comment").String(TimeSpanComment);
                Type(json, "string", nullable);
                json.Name("pattern").String(TimeSpanPattern);
                break;
            case ToolTypeKind.Uri:
                Type(json, "string", nullable);
                json.Name("format").String("uri");
                break;
            case ToolTypeKind.Enum:
                Type(json, "string", nullable);
                json.Name("enum").StartArray();
                foreach (var member in type.EnumMembers)
                {
                    json.String(member.JsonName);
                }

                if (nullable)
                {
                    json.Null();
                }

                json.EndArray();
                break;
            case ToolTypeKind.Array:
            case ToolTypeKind.List:
                Type(json, "array", nullable);
                json.Name("items");
                Node(json, type.Element!, type.Element!.TypeDescription, null, strict, optional: false);
                break;
            case ToolTypeKind.Object:
                Type(json, "object", nullable);
                ObjectBody(json, type, strict);
                break;
        }

        if (defaultJson is not null)
        {
            json.Name("default").Raw(defaultJson);
        }

        json.EndObject();
    }

    private static void ObjectBody(JsonBuilder json, ToolTypeModel type, bool strict)
    {
        json.Name("properties").StartObject();
        var anyRequired = false;
        foreach (var property in type.Properties)
        {
            json.Name(property.JsonName);
            Node(json, property.Type, property.Description, property.DefaultJson, strict, optional: !property.IsRequired);
            anyRequired |= property.IsRequired;
        }

        json.EndObject();
        if (strict)
        {
            json.Name("additionalProperties").Bool(false);
        }

        if (strict || anyRequired)
        {
            json.Name("required").StartArray();
            foreach (var property in type.Properties)
            {
                if (strict || property.IsRequired)
                {
                    json.String(property.JsonName);
                }
            }

            json.EndArray();
        }
    }

    private static void Type(JsonBuilder json, string name, bool nullable)
    {
        json.Name("type");
        if (nullable)
        {
            json.StartArray().String(name).String("null").EndArray();
        }
        else
        {
            json.String(name);
        }
    }
}
