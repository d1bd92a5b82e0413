using System.Text.Encodings.Web;
using System.Text.Json;

namespace CompactMemory.Cli;

/// <summary>How the CLI writes JSON for people and programs: non-ASCII kept readable, indented where it is a document.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions Compact { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
