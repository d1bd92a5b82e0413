using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompactMemory.Compression;

/// <summary>The one way results and traces are written as JSON: readable (non-ASCII kept as is), two-space indents.</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = JsonLimits.MaxDocumentDepth };
    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = JsonLimits.MaxDocumentDepth };

    /// <summary>The options every trace and result is read back with: as deep as anything written.</summary>
    public static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = JsonLimits.MaxDocumentDepth };

    /// <summary>Writes JSON; a value that cannot be written (NaN, infinity, too deep) is reported as one clear exception.</summary>
    /// <exception cref="InvalidOperationException">A value cannot be written as JSON.</exception>
    public static string Write(Action<Utf8JsonWriter> write, bool indented)
    {
        using var stream = new MemoryStream();
        try
        {
            using var writer = new Utf8JsonWriter(stream, indented ? Indented : Compact);
            write(writer);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException(
                "This cannot be written as JSON: a value in it is NaN or infinity, or it nests more than "
                + JsonLimits.MaxDocumentDepth.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + " levels deep. Set finite numbers and flatter values in metadata, trace steps and parameters. (" + ex.Message + ")",
                ex);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void WriteNode(Utf8JsonWriter writer, string name, JsonNode? node)
    {
        writer.WritePropertyName(name);
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    public static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
