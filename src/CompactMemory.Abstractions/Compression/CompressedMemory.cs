using System.Text.Json.Nodes;

namespace CompactMemory.Compression;

/// <summary>
/// The result of every <see cref="CompressionEngine.Compress(string, int, CompressionOptions?)"/>: the compressed
/// text plus what produced it. Deconstructs into <c>(memory, trace)</c>:
/// <code>var (memory, trace) = engine.Compress(text, budget: 200);</code>
/// </summary>
public sealed class CompressedMemory
{
    /// <summary>Creates a result.</summary>
    /// <param name="text">The compressed text.</param>
    public CompressedMemory(string text)
    {
        ArgumentGuard.NotNull(text, nameof(text));
        Text = text;
    }

    /// <summary>The compressed text.</summary>
    public string Text { get; }

    /// <summary>Engine-specific facts about the result.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The id of the engine that produced the result.</summary>
    public string? EngineId { get; init; }

    /// <summary>A JSON snapshot of the configuration the engine ran with (always an object, for every engine).</summary>
    public JsonObject? EngineConfig { get; init; }

    /// <summary>The trace, or <see langword="null"/> when the engine ran with tracing disabled.</summary>
    public CompressionTrace? Trace { get; init; }

    /// <summary>Deconstructs into the result itself and its trace.</summary>
    /// <param name="memory">This result.</param>
    /// <param name="trace">Its trace, when there is one.</param>
    public void Deconstruct(out CompressedMemory memory, out CompressionTrace? trace)
    {
        memory = this;
        trace = Trace;
    }

    /// <summary>The result as indented JSON with the keys <c>text, metadata, engine_id, engine_config, trace</c>.</summary>
    /// <returns>The JSON text.</returns>
    /// <exception cref="System.InvalidOperationException">
    /// A value in the result is NaN or infinity, or it nests more than 256 levels deep; JSON cannot hold it.
    /// </exception>
    public string ToJson() => JsonText.Write(
        writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("text", Text);
            JsonText.WriteNode(writer, "metadata", Metadata);
            JsonText.WriteString(writer, "engine_id", EngineId);
            JsonText.WriteNode(writer, "engine_config", EngineConfig);
            writer.WritePropertyName("trace");
            if (Trace is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                Trace.WriteTo(writer);
            }

            writer.WriteEndObject();
        },
        indented: true);
}
