using CompactMemory.Generators.Helpers;

namespace CompactMemory.Generators.Tools;

/// <summary>
/// Emits <c>__CompactMemoryToolSupport</c>, the private helpers the generated dispatch shares: argument parsing and
/// primitive readers with their error messages, result writing, and the schema cache. It is nested in each engine
/// (a generator cannot add a shared file from the per-engine output) and written for C# 7.3.
/// </summary>
internal static class ToolSupportEmitter
{
    public const string ClassName = "__CompactMemoryToolSupport";

    private const string Json = "global::System.Text.Json.";
    private const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";

    public static void Emit(SourceWriter w)
    {
        w.Line("/// <summary>Helpers of the generated tool dispatch.</summary>");
        w.Open("private static class " + ClassName);
        w.Line("internal const string Ok = \"{\\\"ok\\\": true}\";");
        w.Line();
        w.Line("// Results are written through one reusable buffer per thread; a nested use simply gets a new one.");
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static Output t_output;");
        w.Line();

        EmitArgumentError(w);
        EmitOutput(w);
        EmitParsing(w);
        EmitReaders(w);
        EmitWriting(w);
        EmitSchemas(w);
        w.Close();
    }

    private static void EmitArgumentError(SourceWriter w)
    {
        w.Line("/// <summary>A bad argument; the path is completed while the exception leaves the nested readers.</summary>");
        w.Open("internal sealed class ArgumentError : global::System.Exception");
        w.Line("private readonly bool _missing;");
        w.Line("private string _path;");
        w.Line();
        w.Open("internal ArgumentError(string message, bool missing, string path) : base(message)");
        w.Line("_missing = missing;");
        w.Line("_path = path;");
        w.Close();
        w.Line();
        w.Open("internal ArgumentError Within(string property)");
        w.Line("_path = \".\" + property + _path;");
        w.Line("return this;");
        w.Close();
        w.Line();
        w.Open("internal ArgumentError Within(int index)");
        w.Line("_path = \"[\" + index.ToString(" + Invariant + ") + \"]\" + _path;");
        w.Line("return this;");
        w.Close();
        w.Line();
        w.Open("internal string ToJson(string tool, string argument)");
        w.Line("string where = argument + _path;");
        w.Line("return global::CompactMemory.Context.ContextEngine.ErrorJson(_missing");
        w.Line("    ? \"Tool '\" + tool + \"': missing required argument '\" + where + \"' (\" + Message + \").\"");
        w.Line("    : \"Tool '\" + tool + \"': argument '\" + where + \"' must be \" + Message + \".\");");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitOutput(SourceWriter w)
    {
        w.Line("/// <summary>A buffer and a JSON writer for one result.</summary>");
        w.Open("internal sealed class Output");
        w.Line("internal readonly global::System.IO.MemoryStream Stream;");
        w.Line("internal readonly " + Json + "Utf8JsonWriter Writer;");
        w.Line();
        w.Open("internal Output()");
        w.Line("Stream = new global::System.IO.MemoryStream();");
        w.Line("// The relaxed encoder writes text as Microsoft.Extensions.AI's default options do (no \\u escapes for non-ASCII).");
        w.Line("Writer = new " + Json + "Utf8JsonWriter(Stream, new " + Json + "JsonWriterOptions { Encoder = global::System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitParsing(SourceWriter w)
    {
        w.Line("/// <summary>Parses the arguments object; empty text and <c>null</c> mean no arguments. Returns an error JSON or null.</summary>");
        w.Open("internal static string ParseArguments(string tool, string json, out " + Json + "JsonDocument document)");
        w.Open("if (string.IsNullOrWhiteSpace(json))");
        w.Line("document = " + Json + "JsonDocument.Parse(\"{}\");");
        w.Line("return null;");
        w.Close();
        w.Line();
        w.Open("try");
        w.Line("document = " + Json + "JsonDocument.Parse(json);");
        w.Close();
        w.Open("catch (" + Json + "JsonException)");
        w.Line("document = null;");
        w.Line("return global::CompactMemory.Context.ContextEngine.ErrorJson(\"Tool '\" + tool + \"': the arguments are not valid JSON.\");");
        w.Close();
        w.Open("catch (global::System.ArgumentException)");
        w.Line("document = null;");
        w.Line("return global::CompactMemory.Context.ContextEngine.ErrorJson(\"Tool '\" + tool + \"': the arguments are not valid JSON.\");");
        w.Close();
        w.Line();
        w.Line(Json + "JsonValueKind kind = document.RootElement.ValueKind;");
        w.Open("if (kind == " + Json + "JsonValueKind.Object)");
        w.Line("return null;");
        w.Close();
        w.Line();
        w.Line("string got = Kind(document.RootElement);");
        w.Line("document.Dispose();");
        w.Open("if (kind == " + Json + "JsonValueKind.Null)");
        w.Line("document = " + Json + "JsonDocument.Parse(\"{}\");");
        w.Line("return null;");
        w.Close();
        w.Line();
        w.Line("document = null;");
        w.Line("return global::CompactMemory.Context.ContextEngine.ErrorJson(\"Tool '\" + tool + \"': the arguments must be a JSON object; got \" + got + \".\");");
        w.Close();
        w.Line();

        w.Line("/// <summary>The JSON kind of a value, for error messages.</summary>");
        w.Open("internal static string Kind(" + Json + "JsonElement element)");
        w.Open("switch (element.ValueKind)");
        w.Line("case " + Json + "JsonValueKind.Object: return \"an object\";");
        w.Line("case " + Json + "JsonValueKind.Array: return \"an array\";");
        w.Line("case " + Json + "JsonValueKind.String: return \"a string\";");
        w.Line("case " + Json + "JsonValueKind.Number: return \"a number\";");
        w.Line("case " + Json + "JsonValueKind.True:");
        w.Line("case " + Json + "JsonValueKind.False: return \"a boolean\";");
        w.Line("default: return \"null\";");
        w.Close();
        w.Close();
        w.Line();

        w.Line("/// <summary>The value has the wrong JSON kind: names the kind.</summary>");
        w.Open("internal static ArgumentError Mismatch(" + Json + "JsonElement element, string expected)");
        w.Line("return new ArgumentError(expected + \"; got \" + Kind(element), false, string.Empty);");
        w.Close();
        w.Line();
        w.Line("/// <summary>The value has the right kind but cannot be converted: shows it (shortened).</summary>");
        w.Open("internal static ArgumentError Invalid(" + Json + "JsonElement element, string expected)");
        w.Line("string raw = element.GetRawText();");
        w.Open("if (raw.Length > 60)");
        w.Line("raw = raw.Substring(0, 57) + \"...\";");
        w.Close();
        w.Line();
        w.Line("return new ArgumentError(expected + \"; got \" + raw, false, string.Empty);");
        w.Close();
        w.Line();
        w.Open("internal static ArgumentError Missing(string expected)");
        w.Line("return new ArgumentError(expected, true, string.Empty);");
        w.Close();
        w.Line();
        w.Open("internal static ArgumentError Missing(string property, string expected)");
        w.Line("return new ArgumentError(expected, true, \".\" + property);");
        w.Close();
        w.Line();
        w.Open("internal static string Failed(string tool, global::System.Exception exception)");
        w.Line("return global::CompactMemory.Context.ContextEngine.ErrorJson(\"Context engine tool '\" + tool + \"' failed: \" + exception.Message);");
        w.Close();
        w.Line();
    }

    private static void EmitReaders(SourceWriter w)
    {
        const string Element = "(" + Json + "JsonElement element, string expected)";
        const string IsString = "if (element.ValueKind == " + Json + "JsonValueKind.String)";

        w.Open("internal static string ReadString" + Element);
        w.Open(IsString);
        w.Line("return element.GetString();");
        w.Close();
        w.Line();
        w.Line("throw Mismatch(element, expected);");
        w.Close();
        w.Line();

        w.Open("internal static bool ReadBoolean" + Element);
        w.Open("if (element.ValueKind == " + Json + "JsonValueKind.True)");
        w.Line("return true;");
        w.Close();
        w.Line();
        w.Open("if (element.ValueKind == " + Json + "JsonValueKind.False)");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line("throw Mismatch(element, expected);");
        w.Close();
        w.Line();

        w.Open("internal static char ReadChar" + Element);
        w.Open(IsString);
        w.Line("string text = element.GetString();");
        w.Open("if (text.Length == 1)");
        w.Line("return text[0];");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Line("throw Mismatch(element, expected);");
        w.Close();
        w.Line();

        w.Line("// Numbers may also come as strings: Microsoft.Extensions.AI's default options allow reading them so.");
        w.Open("internal static long ReadInteger(" + Json + "JsonElement element, string expected, long min, long max)");
        w.Line("long value;");
        w.Open("if (element.ValueKind == " + Json + "JsonValueKind.Number)");
        w.Open("if (element.TryGetInt64(out value) && value >= min && value <= max)");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Open(IsString);
        w.Open("if (long.TryParse(element.GetString(), global::System.Globalization.NumberStyles.AllowLeadingSign, " + Invariant + ", out value) && value >= min && value <= max)");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Line("throw Mismatch(element, expected);");
        w.Close();
        w.Line();

        w.Open("internal static ulong ReadUInt64" + Element);
        w.Line("ulong value;");
        w.Open("if (element.ValueKind == " + Json + "JsonValueKind.Number)");
        w.Open("if (element.TryGetUInt64(out value))");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Open(IsString);
        w.Open("if (ulong.TryParse(element.GetString(), global::System.Globalization.NumberStyles.None, " + Invariant + ", out value))");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Line("throw Mismatch(element, expected);");
        w.Close();
        w.Line();

        Number(w, "double", "ReadDouble", "TryGetDouble", "Float", finiteCheck: true);
        Number(w, "float", "ReadSingle", "TryGetSingle", "Float", finiteCheck: true);
        Number(w, "decimal", "ReadDecimal", "TryGetDecimal", "Number", finiteCheck: false);

        Text(w, "global::System.Guid", "ReadGuid", "element.TryGetGuid(out value)");
        Text(w, "global::System.DateTime", "ReadDateTime", "element.TryGetDateTime(out value)");
        Text(w, "global::System.DateTimeOffset", "ReadDateTimeOffset", "element.TryGetDateTimeOffset(out value)");
        Text(w, "global::System.TimeSpan", "ReadTimeSpan", "global::System.TimeSpan.TryParseExact(element.GetString(), \"c\", " + Invariant + ", out value)");
        Text(w, "global::System.Uri", "ReadUri", "global::System.Uri.TryCreate(element.GetString(), global::System.UriKind.RelativeOrAbsolute, out value)");
    }

    private static void Number(SourceWriter w, string type, string name, string tryGet, string styles, bool finiteCheck)
    {
        var finite = finiteCheck ? " && !" + type + ".IsNaN(value) && !" + type + ".IsInfinity(value)" : string.Empty;
        w.Open("internal static " + type + " " + name + "(" + Json + "JsonElement element, string expected)");
        w.Line(type + " value;");
        w.Open("if (element.ValueKind == " + Json + "JsonValueKind.Number)");
        w.Open("if (element." + tryGet + "(out value)" + finite + ")");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Open("if (element.ValueKind == " + Json + "JsonValueKind.String)");
        w.Open("if (" + type + ".TryParse(element.GetString(), global::System.Globalization.NumberStyles." + styles + ", " + Invariant + ", out value)" + finite + ")");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Line("throw Mismatch(element, expected);");
        w.Close();
        w.Line();
    }

    private static void Text(SourceWriter w, string type, string name, string tryParse)
    {
        w.Open("internal static " + type + " " + name + "(" + Json + "JsonElement element, string expected)");
        w.Open("if (element.ValueKind == " + Json + "JsonValueKind.String)");
        w.Line(type + " value;");
        w.Open("if (" + tryParse + ")");
        w.Line("return value;");
        w.Close();
        w.Line();
        w.Line("throw Invalid(element, expected);");
        w.Close();
        w.Line();
        w.Line("throw Mismatch(element, expected);");
        w.Close();
        w.Line();
    }

    private static void EmitWriting(SourceWriter w)
    {
        w.Open("internal static Output Rent()");
        w.Line("Output output = t_output;");
        w.Open("if (output == null)");
        w.Line("return new Output();");
        w.Close();
        w.Line();
        w.Line("t_output = null;");
        w.Line("output.Stream.SetLength(0);");
        w.Line("output.Writer.Reset(output.Stream);");
        w.Line("return output;");
        w.Close();
        w.Line();
        w.Open("internal static string Finish(Output output)");
        w.Line("output.Writer.Flush();");
        w.Line("string text = global::System.Text.Encoding.UTF8.GetString(output.Stream.GetBuffer(), 0, (int)output.Stream.Length);");
        w.Line("// Keep the buffer for the next result unless one huge result made it worth giving back.");
        w.Open("if (output.Stream.Capacity <= 1024 * 1024)");
        w.Line("t_output = output;");
        w.Close();
        w.Line();
        w.Line("return text;");
        w.Close();
        w.Line();
    }

    private static void EmitSchemas(SourceWriter w)
    {
        const string Schema = "global::CompactMemory.Context.ToolSchema";
        const string List = "global::System.Collections.Generic.IReadOnlyList<" + Schema + ">";
        w.Line("/// <summary>Parses the precomputed schemas once; every later call gets the same list.</summary>");
        w.Open("internal static " + List + " Cache(ref " + List + " field, string json)");
        w.Line("var schemas = new global::System.Collections.Generic.List<" + Schema + ">();");
        w.Open("using (var document = " + Json + "JsonDocument.Parse(json))");
        w.Open("foreach (var tool in document.RootElement.EnumerateArray())");
        w.Line("schemas.Add(new " + Schema + "(tool.GetProperty(\"name\").GetString(), tool.GetProperty(\"description\").GetString(), tool.GetProperty(\"parameters\").Clone()));");
        w.Close();
        w.Close();
        w.Line();
        w.Line(List + " created = new global::System.Collections.ObjectModel.ReadOnlyCollection<" + Schema + ">(schemas);");
        w.Line("return global::System.Threading.Interlocked.CompareExchange(ref field, created, null) ?? created;");
        w.Close();
    }
}
