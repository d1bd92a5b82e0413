using System;
using System.Globalization;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Generators.Tools;

/// <summary>
/// A parameter's default value twice: as the schema's <c>default</c> (JSON text exactly as System.Text.Json writes the
/// value) and as the C# expression the dispatch passes when the argument is omitted.
/// </summary>
internal static class ToolDefaults
{
    /// <summary>False when the default cannot be written in JSON (NaN, infinities) or in C#.</summary>
    public static bool TryCreate(IParameterSymbol parameter, ToolTypeModel type, out string? json, out string? expression)
    {
        json = null;
        expression = null;
        if (!parameter.HasExplicitDefaultValue)
        {
            if (parameter.IsOptional)
            {
                // [Optional] without a value: the runtime passes default(T); Microsoft.Extensions.AI shows no default.
                expression = "default(" + type.CodeTypeName + ")";
                return true;
            }

            return false;
        }

        var value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            // `= null` or `= default`: value types other than Nullable<T> get their zero value.
            expression = "default(" + type.CodeTypeName + ")";
            json = type.IsNullableValueType || type.IsReferenceType ? "null" : ZeroJson(type);
            return json is not null;
        }

        return type.Kind == ToolTypeKind.Enum
            ? TryEnum(value, type, out json, out expression)
            : TryConstant(value, type, out json, out expression);
    }

    private static string? ZeroJson(ToolTypeModel type) => type.Kind switch
    {
        ToolTypeKind.Guid => "\"00000000-0000-0000-0000-000000000000\"",
        ToolTypeKind.DateTime => "\"0001-01-01T00:00:00\"",
        ToolTypeKind.DateTimeOffset => "\"0001-01-01T00:00:00+00:00\"",
        ToolTypeKind.TimeSpan => "\"00:00:00\"",
        ToolTypeKind.Boolean => "false",
        ToolTypeKind.Char => "\"\\u0000\"",
        ToolTypeKind.Enum => null,
        ToolTypeKind.SByte or ToolTypeKind.Byte or ToolTypeKind.Int16 or ToolTypeKind.UInt16 or ToolTypeKind.Int32
            or ToolTypeKind.UInt32 or ToolTypeKind.Int64 or ToolTypeKind.UInt64 or ToolTypeKind.Single or ToolTypeKind.Double
            or ToolTypeKind.Decimal => "0",
        _ => null,
    };

    private static bool TryEnum(object value, ToolTypeModel type, out string? json, out string? expression)
    {
        // The constant is the underlying number; System.Text.Json writes the member's name when one has that value.
        var number = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "0";
        expression = "(" + type.CodeTypeName + ")(" + number + ")";
        json = number;
        if (type.EnumValues.Count == type.EnumMembers.Count)
        {
            for (var i = 0; i < type.EnumMembers.Count; i++)
            {
                if (!type.EnumMembers[i].IsAlias && string.Equals(type.EnumValues[i], number, StringComparison.Ordinal))
                {
                    json = JsonText.String(type.EnumMembers[i].JsonName);
                    break;
                }
            }
        }

        return true;
    }

    private static bool TryConstant(object value, ToolTypeModel type, out string? json, out string? expression)
    {
        json = null;
        expression = null;
        var invariant = CultureInfo.InvariantCulture;
        switch (value)
        {
            case string text:
                json = JsonText.String(text);
                expression = CSharpLiteral.String(text);
                return true;
            case bool flag:
                json = flag ? "true" : "false";
                expression = json;
                return true;
            case char c:
                json = JsonText.String(c.ToString());
                expression = "(char)" + ((int)c).ToString(invariant);
                return true;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    return false;
                }

                json = d.ToString("R", invariant);
                expression = "(" + json + "D)";
                return true;
            case float f:
                if (float.IsNaN(f) || float.IsInfinity(f))
                {
                    return false;
                }

                json = f.ToString("R", invariant);
                expression = "(" + json + "F)";
                return true;
            case decimal m:
                json = m.ToString(invariant);
                expression = "(" + json + "M)";
                return true;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                json = Convert.ToString(value, invariant)!;
                expression = "(" + type.TypeName + ")(" + json + (value is ulong ? "UL" : value is long ? "L" : value is uint ? "U" : string.Empty) + ")";
                return true;
            default:
                return false;
        }
    }
}
