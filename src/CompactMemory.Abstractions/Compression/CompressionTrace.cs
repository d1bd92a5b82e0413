using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompactMemory.Compression;

/// <summary>
/// What an engine did to produce a <see cref="CompressedMemory"/>: its parameters, summaries of input and
/// output, and the steps it took. Serialises to the snake_case JSON of Compact Memory trace files, with the
/// fields in the original order; reading that JSON back gives an equal trace.
/// </summary>
public sealed class CompressionTrace
{
    /// <summary>Starts a trace for an engine.</summary>
    /// <param name="engineName">The id of the engine writing the trace.</param>
    public CompressionTrace(string engineName)
    {
        ArgumentGuard.NotNull(engineName, nameof(engineName));
        EngineName = engineName;
    }

    /// <summary>The id of the engine that wrote the trace (<c>engine_name</c>).</summary>
    public string EngineName { get; set; }

    /// <summary>The parameters the engine ran with, such as the budget (<c>strategy_params</c>).</summary>
    public JsonObject StrategyParams { get; set; } = new JsonObject();

    /// <summary>Facts about the input, such as its length (<c>input_summary</c>).</summary>
    public JsonObject InputSummary { get; set; } = new JsonObject();

    /// <summary>
    /// The steps in order (<c>steps</c>). Each step is a free-form object; <see cref="AddStep"/> writes the usual
    /// <c>{"type": …, "details": …}</c> shape, and a pipeline records whole sub-traces here.
    /// </summary>
    public IList<JsonObject> Steps { get; } = new List<JsonObject>();

    /// <summary>Facts about the output, such as its length (<c>output_summary</c>).</summary>
    public JsonObject OutputSummary { get; set; } = new JsonObject();

    /// <summary>Wall time of the compression in milliseconds (<c>processing_ms</c>).</summary>
    public double? ProcessingMs { get; set; }

    /// <summary>The first characters of the output (<c>final_compressed_object_preview</c>).</summary>
    public string? FinalCompressedObjectPreview { get; set; }

    /// <summary>Tokens of the input, by the tokenizer used (<c>original_tokens</c>).</summary>
    public int? OriginalTokens { get; set; }

    /// <summary>Tokens of the output, by the tokenizer used (<c>compressed_tokens</c>).</summary>
    public int? CompressedTokens { get; set; }

    /// <summary>Fields found in a trace file that this version does not know; kept so a round trip loses nothing.</summary>
    public JsonObject AdditionalFields { get; } = new JsonObject();

    /// <summary>Appends a step <c>{"type": stepType, "details": details}</c>.</summary>
    /// <param name="stepType">The step type, for example <c>"truncate"</c>.</param>
    /// <param name="details">The step's details; omitted from the JSON when <see langword="null"/>.</param>
    /// <returns>The step object that was appended.</returns>
    public JsonObject AddStep(string stepType, JsonObject? details = null)
    {
        ArgumentGuard.NotNull(stepType, nameof(stepType));
        var step = new JsonObject { ["type"] = stepType };
        if (details is not null)
        {
            step["details"] = details;
        }

        Steps.Add(step);
        return step;
    }

    /// <summary>Writes the trace as a JSON object with snake_case keys in the original order.</summary>
    /// <param name="writer">The writer to write to.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentGuard.NotNull(writer, nameof(writer));
        writer.WriteStartObject();
        writer.WriteString("engine_name", EngineName);
        JsonText.WriteNode(writer, "strategy_params", StrategyParams);
        JsonText.WriteNode(writer, "input_summary", InputSummary);
        writer.WritePropertyName("steps");
        writer.WriteStartArray();
        foreach (var step in Steps)
        {
            step.WriteTo(writer);
        }

        writer.WriteEndArray();
        JsonText.WriteNode(writer, "output_summary", OutputSummary);
        JsonText.WriteNumber(writer, "processing_ms", ProcessingMs);
        JsonText.WriteString(writer, "final_compressed_object_preview", FinalCompressedObjectPreview);
        JsonText.WriteNumber(writer, "original_tokens", OriginalTokens);
        JsonText.WriteNumber(writer, "compressed_tokens", CompressedTokens);
        foreach (var field in AdditionalFields)
        {
            JsonText.WriteNode(writer, field.Key, field.Value);
        }

        writer.WriteEndObject();
    }

    /// <summary>The trace as JSON text (indented with two spaces by default, like Compact Memory trace files).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="InvalidOperationException">
    /// A value in the trace is NaN or infinity, or the trace nests more than 256 levels deep; JSON cannot hold it.
    /// </exception>
    public string ToJson(bool indented = true) => JsonText.Write(WriteTo, indented);

    /// <summary>The trace as a JSON object (a deep copy).</summary>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="InvalidOperationException">The trace cannot be written as JSON (see <see cref="ToJson"/>).</exception>
    public JsonObject ToJsonObject() => (JsonObject)JsonNode.Parse(ToJson(indented: false), documentOptions: JsonText.ReadOptions)!;

    /// <summary>Reads a trace from JSON text.</summary>
    /// <param name="json">The JSON text of a trace file.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="FormatException">The text is not JSON, or not a trace; the message names the field at fault.</exception>
    public static CompressionTrace Parse(string json)
    {
        ArgumentGuard.NotNull(json, nameof(json));
        JsonNode? node;
        try
        {
            var utf8 = StrictUtf8.GetBytes(json);
            RequireUnicodeStrings(utf8);
            node = JsonNode.Parse(utf8, documentOptions: JsonText.ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new FormatException("A string in the trace is not valid Unicode (a lone surrogate, or an escaped one such as \\ud800); write traces with 'compress --output-trace', which escapes whole surrogate pairs.", ex);
        }

        if (node is not JsonObject obj)
        {
            throw new FormatException("A trace must be a JSON object.");
        }

        return FromJsonObject(obj);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// JSON may escape half of a surrogate pair (<c>"\ud800"</c>): such text parses, and reading the string later
    /// throws <see cref="InvalidOperationException"/>. Every escaped string and property name is decoded once here, so
    /// a trace that holds one is refused up front rather than failing wherever it is read.
    /// </summary>
    private static void RequireUnicodeStrings(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = JsonLimits.MaxDocumentDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                _ = reader.GetString();
            }
        }
    }

    /// <summary>Reads a trace from a JSON object (the object is copied, not kept).</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="FormatException">A field has the wrong type; the message names it.</exception>
    public static CompressionTrace FromJsonObject(JsonObject json)
    {
        ArgumentGuard.NotNull(json, nameof(json));
        var trace = new CompressionTrace(ReadString(json, "engine_name", required: true)!);
        foreach (var field in json)
        {
            switch (field.Key)
            {
                case "engine_name":
                    break;
                case "strategy_params":
                    trace.StrategyParams = ReadObject(field.Value, field.Key);
                    break;
                case "input_summary":
                    trace.InputSummary = ReadObject(field.Value, field.Key);
                    break;
                case "output_summary":
                    trace.OutputSummary = ReadObject(field.Value, field.Key);
                    break;
                case "steps":
                    ReadSteps(field.Value, trace.Steps);
                    break;
                case "processing_ms":
                    trace.ProcessingMs = ReadNumber<double>(field.Value, field.Key);
                    if (trace.ProcessingMs is { } ms && (double.IsNaN(ms) || double.IsInfinity(ms)))
                    {
                        // 1e999 reads as infinity, which no JSON writer can write back.
                        throw new FormatException($"Trace field '{field.Key}' must be a finite number.");
                    }

                    break;
                case "final_compressed_object_preview":
                    trace.FinalCompressedObjectPreview = ReadString(json, field.Key, required: false);
                    break;
                case "original_tokens":
                    trace.OriginalTokens = ReadNumber<int>(field.Value, field.Key);
                    break;
                case "compressed_tokens":
                    trace.CompressedTokens = ReadNumber<int>(field.Value, field.Key);
                    break;
                default:
                    trace.AdditionalFields[field.Key] = field.Value?.DeepClone();
                    break;
            }
        }

        return trace;
    }

    private static void ReadSteps(JsonNode? value, IList<JsonObject> steps)
    {
        if (value is null)
        {
            return;
        }

        if (value is not JsonArray array)
        {
            throw new FormatException("Trace field 'steps' must be a list of objects.");
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject step)
            {
                throw new FormatException($"Trace step {i} must be an object.");
            }

            steps.Add((JsonObject)step.DeepClone());
        }
    }

    private static string? ReadString(JsonObject json, string key, bool required)
    {
        if (!json.TryGetPropertyValue(key, out var value) || value is null)
        {
            if (required)
            {
                throw new FormatException($"Trace field '{key}' is missing.");
            }

            return null;
        }

        try
        {
            if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
            {
                return text;
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException($"Trace field '{key}' is not valid Unicode (an escaped lone surrogate such as \\ud800).", ex);
        }

        throw new FormatException($"Trace field '{key}' must be a string.");
    }

    private static JsonObject ReadObject(JsonNode? value, string key)
    {
        if (value is null)
        {
            return new JsonObject();
        }

        if (value is JsonObject obj)
        {
            return (JsonObject)obj.DeepClone();
        }

        throw new FormatException($"Trace field '{key}' must be an object.");
    }

    private static T? ReadNumber<T>(JsonNode? value, string key)
        where T : struct
    {
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.Number)
        {
            try
            {
                return scalar.GetValue<T>();
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
            {
                throw new FormatException($"Trace field '{key}' must be a {(typeof(T) == typeof(int) ? "whole number" : "number")}.");
            }
        }

        throw new FormatException($"Trace field '{key}' must be a number.");
    }
}
