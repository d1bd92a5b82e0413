using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;

namespace CompactMemory.Generators.Tools;

/// <summary>
/// Emits the tool members of one engine: the precomputed schema constants and their cache, <c>GetToolSchemas</c>,
/// <c>GetStrictToolSchemas</c>, <c>HandleToolCallAsync</c> (a switch over tool names), one invoke method per tool,
/// one reader per argument type and one writer per result type. Everything is C# 7.3 with <c>global::</c> names, and
/// the file's <c>auto-generated</c> header keeps it out of the consumer's nullable analysis.
/// </summary>
internal sealed class ToolDispatchEmitter
{
    private const string Json = "global::System.Text.Json.";
    private const string JsonNull = Json + "JsonValueKind.Null";
    private readonly string Support;
    private const string ValueTaskOfString = "global::System.Threading.Tasks.ValueTask<string>";
    private const string SchemaList = "global::System.Collections.Generic.IReadOnlyList<global::CompactMemory.Context.ToolSchema>";

    private readonly SourceWriter _w;
    private readonly Dictionary<ToolTypeModel, string> _readerNames = new();
    private readonly List<ToolTypeModel> _readers = new();
    private readonly Dictionary<ToolTypeModel, string> _writerNames = new();
    private readonly List<ToolTypeModel> _writers = new();

    public ToolDispatchEmitter(SourceWriter writer, string supportClass)
    {
        Support = supportClass;
        _w = writer;
    }

    public void Emit(EngineModel engine, IReadOnlyList<ToolModel> tools, string toolsJson, string strictToolsJson)
    {
        var host = tools[0].Host;
        var isOverride = engine.DerivesFromContextEngineBase || host.BaseMembers == ToolBaseMembers.Overridable;
        var modifiers = isOverride ? "public override " : host.IsSealed ? "public " : "public virtual ";

        _w.Line("private const string __CompactMemory_ToolsJson = " + CSharpLiteral.String(toolsJson) + ";");
        _w.Line("private const string __CompactMemory_StrictToolsJson = " + CSharpLiteral.String(strictToolsJson) + ";");
        _w.Line("private static " + SchemaList + " __CompactMemory_toolSchemas;");
        _w.Line("private static " + SchemaList + " __CompactMemory_strictToolSchemas;");
        _w.Line();

        _w.Line("/// <summary>The tools this engine offers the model, generated from its <c>[EngineTool]</c> methods; the same list on every call.</summary>");
        _w.Line("/// <returns>The tool schemas.</returns>");
        _w.Open(modifiers + SchemaList + " GetToolSchemas()");
        _w.Line("return global::System.Threading.Volatile.Read(ref __CompactMemory_toolSchemas) ?? " + Support + ".Cache(ref __CompactMemory_toolSchemas, __CompactMemory_ToolsJson);");
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>");
        _w.Line("/// The tool schemas for strict mode: every property required (formerly optional ones accept <c>null</c>, meaning");
        _w.Line("/// \"use the default\"), <c>additionalProperties: false</c> on every object, defaults described in the text.");
        _w.Line("/// </summary>");
        _w.Line("/// <returns>The strict tool schemas; the same list on every call.</returns>");
        _w.Open("public static " + (host.BaseHasStrictSchemas ? "new " : string.Empty) + SchemaList + " GetStrictToolSchemas()");
        _w.Line("return global::System.Threading.Volatile.Read(ref __CompactMemory_strictToolSchemas) ?? " + Support + ".Cache(ref __CompactMemory_strictToolSchemas, __CompactMemory_StrictToolsJson);");
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>Runs the tool the model called. Bad arguments and tool failures come back as <c>{\"error\": …}</c>, never as exceptions.</summary>");
        _w.Line("/// <param name=\"name\">The tool name.</param>");
        _w.Line("/// <param name=\"argumentsJson\">The arguments object as JSON text; empty means no arguments.</param>");
        _w.Line("/// <param name=\"context\">The live conversation and other host context.</param>");
        _w.Line("/// <param name=\"cancellationToken\">Cancels the call; when it is cancelled the call ends cancelled.</param>");
        _w.Line("/// <returns>The tool result as JSON (or the text a tool returned).</returns>");
        _w.Open(modifiers + ValueTaskOfString + " HandleToolCallAsync(string name, string argumentsJson, global::CompactMemory.Context.ToolCallContext context = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken))");
        _w.Open("switch (name)");
        for (var i = 0; i < tools.Count; i++)
        {
            _w.Line("case " + CSharpLiteral.String(tools[i].Name) + ":");
            _w.Line("    return __CompactMemory_Tool" + Number(i) + "(argumentsJson, context, cancellationToken);");
        }

        _w.Line("default:");
        _w.Line("    return new " + ValueTaskOfString + "(global::CompactMemory.Context.ContextEngine.UnknownToolError(name));");
        _w.Close();
        _w.Close();

        for (var i = 0; i < tools.Count; i++)
        {
            _w.Line();
            EmitTool(tools[i], i);
        }

        // Readers and writers register the nested ones they call, so the lists grow while they are emitted.
        for (var i = 0; i < _readers.Count; i++)
        {
            _w.Line();
            EmitReader(_readers[i], _readerNames[_readers[i]]);
        }

        for (var i = 0; i < _writers.Count; i++)
        {
            _w.Line();
            EmitWriter(_writers[i], _writerNames[_writers[i]]);
        }

    }

    private void EmitTool(ToolModel tool, int index)
    {
        var isAsync = tool.Return.Await != ToolAwaitKind.None;
        string Return(string expression) => isAsync ? expression : "new " + ValueTaskOfString + "(" + expression + ")";

        _w.Line("// [EngineTool(" + CSharpLiteral.String(tool.Name) + ")] " + tool.MethodName);
        _w.Open("private " + (isAsync ? "async " : string.Empty) + ValueTaskOfString + " __CompactMemory_Tool" + Number(index)
            + "(string argumentsJson, global::CompactMemory.Context.ToolCallContext context, global::System.Threading.CancellationToken cancellationToken)");
        _w.Line("const string tool = " + CSharpLiteral.String(tool.Name) + ";");
        var anyArgument = false;
        var call = new StringBuilder("this.").Append(tool.MethodName).Append('(');
        for (var i = 0; i < tool.Parameters.Count; i++)
        {
            var parameter = tool.Parameters[i];
            call.Append(i == 0 ? string.Empty : ", ");
            switch (parameter.Kind)
            {
                case ToolParameterKind.CancellationToken:
                    call.Append("cancellationToken");
                    break;
                case ToolParameterKind.Context:
                    call.Append("context");
                    break;
                default:
                    var codeType = parameter.Type!.CodeTypeName;
                    _w.Line(codeType + " arg" + Number(i) + " = default(" + codeType + ");");
                    call.Append("arg").Append(Number(i));
                    anyArgument = true;
                    break;
            }
        }

        call.Append(')');
        _w.Line(Json + "JsonDocument document;");
        _w.Line("string error = " + Support + ".ParseArguments(tool, argumentsJson, out document);");
        _w.Open("if (error != null)");
        _w.Line("return " + Return("error") + ";");
        _w.Close();
        _w.Line();
        if (anyArgument)
        {
            EmitArguments(tool, Return);
        }
        else
        {
            // No arguments to read: the text only had to be a JSON object (whose property names are valid Unicode).
            _w.Line("error = " + Support + ".NoArguments(tool, document);");
            _w.Open("if (error != null)");
            _w.Line("return " + Return("error") + ";");
            _w.Close();
        }

        _w.Line();
        if (isAsync)
        {
            _w.Open("try");
            if (tool.Return.Await == ToolAwaitKind.Task)
            {
                // A Task can be null (a ValueTask cannot): that is the method's mistake, said plainly.
                _w.Line("var task = " + call + ";");
                _w.Open("if (task == null)");
                _w.Line("return " + Support + ".NullTask(tool);");
                _w.Close();
                _w.Line();
                EmitResult(tool.Return, "await task.ConfigureAwait(false)", "return ");
            }
            else
            {
                EmitResult(tool.Return, "await " + call + ".ConfigureAwait(false)", "return ");
            }

            _w.Close();
            _w.Line("// The caller's own cancellation ends the call cancelled; anything else, cancellation included, is the tool failing.");
            _w.Open("catch (global::System.OperationCanceledException) when (cancellationToken.IsCancellationRequested)");
            _w.Line("throw;");
            _w.Close();
            _w.Open("catch (global::System.Exception exception)");
            _w.Line("return " + Support + ".Failed(tool, exception);");
            _w.Close();
        }
        else
        {
            _w.Line("string result;");
            _w.Open("try");
            EmitResult(tool.Return, call.ToString(), "result = ");
            _w.Close();
            _w.Line("// The caller's own cancellation ends the call cancelled; anything else, cancellation included, is the tool failing.");
            _w.Open("catch (global::System.OperationCanceledException) when (cancellationToken.IsCancellationRequested)");
            _w.Line("return new " + ValueTaskOfString + "(global::System.Threading.Tasks.Task.FromCanceled<string>(cancellationToken));");
            _w.Close();
            _w.Open("catch (global::System.Exception exception)");
            _w.Line("return new " + ValueTaskOfString + "(" + Support + ".Failed(tool, exception));");
            _w.Close();
            _w.Line();
            _w.Line("return new " + ValueTaskOfString + "(result);");
        }

        _w.Close();
    }

    /// <summary>
    /// Reads the arguments in one pass over the object: each property is matched to a parameter by its exact name (as
    /// Microsoft.Extensions.AI binds arguments); a repeated name takes the last value, as System.Text.Json does.
    /// </summary>
    private void EmitArguments(ToolModel tool, System.Func<string, string> wrapReturn)
    {
        _w.Line("string argument = null;");
        foreach (var i in ArgumentIndexes(tool))
        {
            _w.Line("bool has" + Number(i) + " = false;");
        }

        _w.Open("using (document)");
        _w.Open("try");
        _w.Open("foreach (var property in document.RootElement.EnumerateObject())");
        _w.Line("argument = null;");
        _w.Line("int slot;");
        _w.Open("try");
        var first = true;
        foreach (var i in ArgumentIndexes(tool))
        {
            _w.Open((first ? "if" : "else if") + " (property.NameEquals(" + CSharpLiteral.String(tool.Parameters[i].Name) + "))");
            _w.Line("slot = " + Number(i) + ";");
            _w.Close();
            first = false;
        }

        _w.Open("else");
        _w.Line("// Unknown arguments are ignored, as Microsoft.Extensions.AI ignores them; their names must still be valid Unicode.");
        _w.Line(Support + ".CheckName(property);");
        _w.Line("continue;");
        _w.Close();
        _w.Close();
        _w.Open("catch (global::System.InvalidOperationException)");
        _w.Line("throw " + Support + ".BadName(property);");
        _w.Close();
        _w.Line();
        _w.Open("switch (slot)");
        foreach (var i in ArgumentIndexes(tool))
        {
            var parameter = tool.Parameters[i];
            var type = parameter.Type!;
            _w.Line("case " + Number(i) + ":");
            _w.Indent();
            _w.Line("argument = " + CSharpLiteral.String(parameter.Name) + ";");

            // A null for an optional parameter that cannot be null means "use the default" (the strict schemas offer
            // null for exactly that); a later null undoes an earlier value, so the last one wins here too.
            EmitAssignment(!type.AllowsNull && parameter.DefaultExpression is not null, "arg" + Number(i), "has" + Number(i), type);
            _w.Line("break;");
            _w.Unindent();
        }

        _w.Close();
        _w.Close();
        foreach (var i in ArgumentIndexes(tool))
        {
            var parameter = tool.Parameters[i];
            _w.Line();
            _w.Open("if (!has" + Number(i) + ")");
            if (parameter.DefaultExpression is not null)
            {
                _w.Line("arg" + Number(i) + " = " + parameter.DefaultExpression + ";");
            }
            else
            {
                _w.Line("argument = " + CSharpLiteral.String(parameter.Name) + ";");
                _w.Line("throw " + Support + ".Missing(" + CSharpLiteral.String(Expected(parameter.Type!)) + ");");
            }

            _w.Close();
        }

        _w.Close();
        _w.Open("catch (" + Support + ".ArgumentError argumentError)");
        _w.Line("return " + wrapReturn("argumentError.ToJson(tool, argument)") + ";");
        _w.Close();
        _w.Close();
    }

    private static IEnumerable<int> ArgumentIndexes(ToolModel tool)
    {
        for (var i = 0; i < tool.Parameters.Count; i++)
        {
            if (tool.Parameters[i].Kind == ToolParameterKind.Argument)
            {
                yield return i;
            }
        }
    }

    /// <summary>Reads <c>property.Value</c> into a local and marks it present; with <paramref name="nullMeansOmitted"/> a JSON null marks it absent instead.</summary>
    private void EmitAssignment(bool nullMeansOmitted, string local, string has, ToolTypeModel type)
    {
        if (nullMeansOmitted)
        {
            _w.Open("if (property.Value.ValueKind != " + JsonNull + ")");
        }

        _w.Line(local + " = " + Reader(type) + "(property.Value);");
        _w.Line(has + " = true;");
        if (nullMeansOmitted)
        {
            _w.Close();
            _w.Open("else");
            _w.Line(has + " = false;");
            _w.Close();
            _w.Line();
        }
    }

    private void EmitResult(ToolReturnModel result, string invocation, string assign)
    {
        switch (result.Kind)
        {
            case ToolReturnKind.Void:
                _w.Line(invocation + ";");
                _w.Line(assign + Support + ".Ok;");
                break;
            case ToolReturnKind.String:
                // A string is the tool's answer as it is (usually JSON the method wrote itself); null is JSON null, and an
                // unpaired surrogate becomes U+FFFD as in every other result, so the text always encodes to UTF-8.
                _w.Line(assign + Support + ".Result(" + invocation + ");");
                break;
            default:
                _w.Line(result.Type!.CodeTypeName + " returned = " + invocation + ";");
                _w.Line(Support + ".Output output = " + Support + ".Rent();");
                _w.Line(Writer(result.Type) + "(output.Writer, returned);");
                _w.Line(assign + Support + ".Finish(output);");
                break;
        }
    }

    private string Reader(ToolTypeModel type) => Register(type, _readerNames, _readers, "__CompactMemory_Read");

    private string Writer(ToolTypeModel type) => Register(type, _writerNames, _writers, "__CompactMemory_Write");

    private static string Register(ToolTypeModel type, Dictionary<ToolTypeModel, string> names, List<ToolTypeModel> order, string prefix)
    {
        if (!names.TryGetValue(type, out var name))
        {
            name = prefix + Number(order.Count);
            names.Add(type, name);
            order.Add(type);
        }

        return name;
    }

    private void EmitReader(ToolTypeModel type, string name)
    {
        var expected = CSharpLiteral.String(Expected(type));
        _w.Line("// Reads " + Expected(type) + ".");
        _w.Open("private static " + type.CodeTypeName + " " + name + "(" + Json + "JsonElement element)");

        // Whatever System.Text.Json throws while this value is read becomes an error about this value, so the path names it.
        _w.Open("try");
        if (type.AllowsNull)
        {
            _w.Open("if (element.ValueKind == " + JsonNull + ")");
            _w.Line("return null;");
            _w.Close();
            _w.Line();
        }

        switch (type.Kind)
        {
            case ToolTypeKind.Enum:
                EmitEnumReader(type, expected);
                break;
            case ToolTypeKind.Array:
            case ToolTypeKind.List:
                EmitCollectionReader(type, expected);
                break;
            case ToolTypeKind.Object:
                EmitObjectReader(type, expected);
                break;
            default:
                _w.Line("return " + PrimitiveRead(type.Kind, expected) + ";");
                break;
        }

        _w.Close();
        _w.Open("catch (global::System.Exception exception) when (!(exception is " + Support + ".ArgumentError))");
        _w.Line("throw " + Support + ".Unreadable(element, " + expected + ", exception);");
        _w.Close();
        _w.Close();
    }

    private string PrimitiveRead(ToolTypeKind kind, string expected)
    {
        var args = "(element, " + expected + ")";
        return kind switch
        {
            ToolTypeKind.String => Support + ".ReadString" + args,
            ToolTypeKind.Boolean => Support + ".ReadBoolean" + args,
            ToolTypeKind.Char => Support + ".ReadChar" + args,
            ToolTypeKind.SByte => Integer("sbyte", expected),
            ToolTypeKind.Byte => Integer("byte", expected),
            ToolTypeKind.Int16 => Integer("short", expected),
            ToolTypeKind.UInt16 => Integer("ushort", expected),
            ToolTypeKind.Int32 => Integer("int", expected),
            ToolTypeKind.UInt32 => Integer("uint", expected),
            ToolTypeKind.Int64 => Integer("long", expected),
            ToolTypeKind.UInt64 => Support + ".ReadUInt64" + args,
            ToolTypeKind.Single => Support + ".ReadSingle" + args,
            ToolTypeKind.Double => Support + ".ReadDouble" + args,
            ToolTypeKind.Decimal => Support + ".ReadDecimal" + args,
            ToolTypeKind.Guid => Support + ".ReadGuid" + args,
            ToolTypeKind.DateTime => Support + ".ReadDateTime" + args,
            ToolTypeKind.DateTimeOffset => Support + ".ReadDateTimeOffset" + args,
            ToolTypeKind.TimeSpan => Support + ".ReadTimeSpan" + args,
            _ => Support + ".ReadUri" + args,
        };
    }

    private string Integer(string type, string expected) =>
        "(" + type + ")" + Support + ".ReadInteger(element, " + expected + ", " + type + ".MinValue, " + type + ".MaxValue)";

    private void EmitEnumReader(ToolTypeModel type, string expected)
    {
        _w.Open("if (element.ValueKind == " + Json + "JsonValueKind.String)");

        // Exact names first without allocating; then, as System.Text.Json's enum converter does, any case.
        foreach (var member in type.EnumMembers)
        {
            _w.Open("if (element.ValueEquals(" + CSharpLiteral.String(member.JsonName) + "))");
            _w.Line("return " + type.TypeName + "." + member.MemberName + ";");
            _w.Close();
            _w.Line();
        }

        if (type.EnumMembers.Count > 0)
        {
            _w.Line("string text = element.GetString();");
            foreach (var member in type.EnumMembers)
            {
                _w.Open("if (string.Equals(text, " + CSharpLiteral.String(member.JsonName) + ", global::System.StringComparison.OrdinalIgnoreCase))");
                _w.Line("return " + type.TypeName + "." + member.MemberName + ";");
                _w.Close();
                _w.Line();
            }
        }

        _w.Line("throw " + Support + ".Invalid(element, " + expected + ");");
        _w.Close();
        _w.Line();
        _w.Line("throw " + Support + ".Mismatch(element, " + expected + ");");
    }

    private void EmitCollectionReader(ToolTypeModel type, string expected)
    {
        var element = type.Element!;
        _w.Open("if (element.ValueKind != " + Json + "JsonValueKind.Array)");
        _w.Line("throw " + Support + ".Mismatch(element, " + expected + ");");
        _w.Close();
        _w.Line();
        _w.Line("var items = new global::System.Collections.Generic.List<" + element.CodeTypeName + ">(element.GetArrayLength());");
        _w.Line("int index = 0;");
        _w.Open("try");
        _w.Open("foreach (var item in element.EnumerateArray())");
        _w.Line("items.Add(" + Reader(element) + "(item));");
        _w.Line("index++;");
        _w.Close();
        _w.Close();
        _w.Open("catch (" + Support + ".ArgumentError error)");
        _w.Line("throw error.Within(index);");
        _w.Close();
        _w.Line();
        _w.Line(type.Kind == ToolTypeKind.Array ? "return items.ToArray();" : "return items;");
    }

    private void EmitObjectReader(ToolTypeModel type, string expected)
    {
        _w.Open("if (element.ValueKind != " + Json + "JsonValueKind.Object)");
        _w.Line("throw " + Support + ".Mismatch(element, " + expected + ");");
        _w.Close();
        _w.Line();

        var properties = type.Properties;
        var assignable = new List<int>();
        for (var i = 0; i < properties.Count; i++)
        {
            if (properties[i].Assignment != ToolPropertyAssignment.None)
            {
                assignable.Add(i);
                _w.Line(properties[i].Type.CodeTypeName + " p" + Number(i) + " = default(" + properties[i].Type.CodeTypeName + ");");
                _w.Line("bool has" + Number(i) + " = false;");
            }
        }

        if (assignable.Count > 0)
        {
            EmitPropertyLoop(properties, assignable);
        }

        foreach (var i in assignable)
        {
            var property = properties[i];
            if (property.IsRequired)
            {
                _w.Open("if (!has" + Number(i) + ")");
                _w.Line("throw " + Support + ".Missing(" + CSharpLiteral.String(property.JsonName) + ", " + CSharpLiteral.String(Expected(property.Type)) + ");");
                _w.Close();
                _w.Line();
            }
            else if (property.DefaultExpression is not null)
            {
                _w.Open("if (!has" + Number(i) + ")");
                _w.Line("p" + Number(i) + " = " + property.DefaultExpression + ";");
                _w.Close();
                _w.Line();
            }
        }

        // Constructor arguments in parameter order; required members and init-only properties in the initializer.
        var arguments = new string[type.ConstructorArity];
        var initializer = new List<string>();
        var optionalInit = false;
        foreach (var i in assignable)
        {
            var property = properties[i];
            switch (property.Assignment)
            {
                case ToolPropertyAssignment.Constructor:
                    arguments[property.ConstructorIndex] = "p" + Number(i);
                    break;
                case ToolPropertyAssignment.Initializer:
                    initializer.Add(property.MemberName + " = p" + Number(i));
                    break;
                case ToolPropertyAssignment.OptionalInitializer:
                    optionalInit = true;
                    break;
            }
        }

        // The type's own code runs here (constructor, initializers, setters): what it throws rejects this value.
        var construct = "new " + type.TypeName + "(" + string.Join(", ", arguments) + ")";
        _w.Line(type.TypeName + " value;");
        _w.Open("try");
        if (optionalInit)
        {
            // An omitted init-only property keeps the value the type gives it: read it from an instance built the same way.
            _w.Line("var defaults = " + construct + Initializer(initializer) + ";");
            foreach (var i in assignable)
            {
                var property = properties[i];
                if (property.Assignment == ToolPropertyAssignment.OptionalInitializer)
                {
                    initializer.Add(property.MemberName + " = has" + Number(i) + " ? p" + Number(i) + " : defaults." + property.MemberName);
                }
            }
        }

        _w.Line("value = " + construct + Initializer(initializer) + ";");
        foreach (var i in assignable)
        {
            if (properties[i].Assignment == ToolPropertyAssignment.Setter)
            {
                _w.Open("if (has" + Number(i) + ")");
                _w.Line("value." + properties[i].MemberName + " = p" + Number(i) + ";");
                _w.Close();
            }
        }

        _w.Close();
        _w.Open("catch (global::System.Exception exception) when (!(exception is " + Support + ".ArgumentError))");
        _w.Line("throw " + Support + ".Rejected(" + CSharpLiteral.String(DisplayName(type.TypeName)) + ", exception);");
        _w.Close();
        _w.Line();
        _w.Line("return value;");
    }

    private void EmitPropertyLoop(EquatableArray<ToolPropertyModel> properties, List<int> assignable)
    {
        _w.Line("string current = null;");
        _w.Open("try");
        _w.Open("foreach (var property in element.EnumerateObject())");
        _w.Line("current = null;");
        _w.Line("int slot;");

        // Exact names first without allocating; then any case, as AIJsonUtilities.DefaultOptions reads properties. A name
        // that is not valid Unicode (a JSON escape of an unpaired surrogate) makes System.Text.Json throw: an error here.
        _w.Open("try");
        var first = true;
        foreach (var i in assignable)
        {
            _w.Open((first ? "if" : "else if") + " (property.NameEquals(" + CSharpLiteral.String(properties[i].JsonName) + "))");
            _w.Line("slot = " + Number(i) + ";");
            _w.Close();
            first = false;
        }

        _w.Open("else");
        _w.Line("string propertyName = property.Name;");
        first = true;
        foreach (var i in assignable)
        {
            _w.Open((first ? "if" : "else if") + " (string.Equals(propertyName, " + CSharpLiteral.String(properties[i].JsonName) + ", global::System.StringComparison.OrdinalIgnoreCase))");
            _w.Line("slot = " + Number(i) + ";");
            _w.Close();
            first = false;
        }

        _w.Open("else");
        _w.Line("// Unknown properties are ignored, as System.Text.Json does by default.");
        _w.Line("continue;");
        _w.Close();
        _w.Close();
        _w.Close();
        _w.Open("catch (global::System.InvalidOperationException)");
        _w.Line("throw " + Support + ".BadName(property);");
        _w.Close();
        _w.Line();
        _w.Open("switch (slot)");
        foreach (var i in assignable)
        {
            var property = properties[i];
            _w.Line("case " + Number(i) + ":");
            _w.Indent();
            _w.Line("current = " + CSharpLiteral.String(property.JsonName) + ";");

            // A null where the schema has none, for an optional property, means "leave it out" (strict schemas send that).
            var nullMeansOmitted = !property.Type.AllowsNull && (property.DefaultExpression is not null || !property.IsRequired);
            EmitAssignment(nullMeansOmitted, "p" + Number(i), "has" + Number(i), property.Type);
            _w.Line("break;");
            _w.Unindent();
        }

        _w.Close();
        _w.Close();
        _w.Close();
        _w.Open("catch (" + Support + ".ArgumentError error)");
        _w.Line("throw error.Within(current);");
        _w.Close();
        _w.Line();
    }

    private static string Initializer(List<string> assignments) =>
        assignments.Count == 0 ? string.Empty : " { " + string.Join(", ", assignments) + " }";

    private void EmitWriter(ToolTypeModel type, string name)
    {
        _w.Open("private static void " + name + "(" + Json + "Utf8JsonWriter writer, " + type.CodeTypeName + " value)");
        var value = "value";
        if (type.IsNullableValueType)
        {
            _w.Open("if (!value.HasValue)");
            _w.Line("writer.WriteNullValue();");
            _w.Line("return;");
            _w.Close();
            _w.Line();
            value = "value.Value";
        }
        else if (type.IsReferenceType)
        {
            _w.Open("if ((object)value == null)");
            _w.Line("writer.WriteNullValue();");
            _w.Line("return;");
            _w.Close();
            _w.Line();
        }

        switch (type.Kind)
        {
            case ToolTypeKind.Enum:
                _w.Open("switch (" + value + ")");
                foreach (var member in type.EnumMembers)
                {
                    if (!member.IsAlias)
                    {
                        _w.Line("case " + type.TypeName + "." + member.MemberName + ":");
                        _w.Line("    writer.WriteStringValue(" + CSharpLiteral.String(member.JsonName) + ");");
                        _w.Line("    break;");
                    }
                }

                _w.Line("default:");
                _w.Line("    // A value without a member is written as its number, as System.Text.Json does.");
                _w.Line("    writer.WriteNumberValue(global::System.Convert.ToDecimal(" + value + ", global::System.Globalization.CultureInfo.InvariantCulture));");
                _w.Line("    break;");
                _w.Close();
                break;
            case ToolTypeKind.Array:
            case ToolTypeKind.List:
                _w.Line("writer.WriteStartArray();");
                _w.Open("foreach (var item in " + value + ")");
                _w.Line(Writer(type.Element!) + "(writer, item);");
                _w.Close();
                _w.Line();
                _w.Line("writer.WriteEndArray();");
                break;
            case ToolTypeKind.Object:
                EmitObjectWriter(type, value);
                break;
            default:
                _w.Line(PrimitiveWrite(type.Kind, value) + ";");
                break;
        }

        _w.Close();
    }

    private void EmitObjectWriter(ToolTypeModel type, string value)
    {
        _w.Line("writer.WriteStartObject();");
        for (var i = 0; i < type.Properties.Count; i++)
        {
            var property = type.Properties[i];
            if (!property.IsReadable)
            {
                continue;
            }

            var local = "property" + Number(i);
            var write = new[]
            {
                "writer.WritePropertyName(" + CSharpLiteral.String(property.JsonName) + ");",
                Writer(property.Type) + "(writer, " + local + ");",
            };
            _w.Line(property.Type.CodeTypeName + " " + local + " = " + value + "." + property.MemberName + ";");

            // Null properties are left out: AIJsonUtilities.DefaultOptions ignores nulls when writing.
            var check = property.Type.IsNullableValueType ? local + ".HasValue" : property.Type.IsReferenceType ? "(object)" + local + " != null" : null;
            if (check is null)
            {
                _w.Line(write[0]);
                _w.Line(write[1]);
            }
            else
            {
                _w.Open("if (" + check + ")");
                _w.Line(write[0]);
                _w.Line(write[1]);
                _w.Close();
                _w.Line();
            }
        }

        _w.Line("writer.WriteEndObject();");
    }

    private string PrimitiveWrite(ToolTypeKind kind, string value) => kind switch
    {
        ToolTypeKind.String => "writer.WriteStringValue(" + value + ")",
        ToolTypeKind.Boolean => "writer.WriteBooleanValue(" + value + ")",
        ToolTypeKind.Char => "writer.WriteStringValue(" + value + ".ToString())",
        ToolTypeKind.SByte or ToolTypeKind.Int16 or ToolTypeKind.Int32 => "writer.WriteNumberValue((int)" + value + ")",
        ToolTypeKind.Byte or ToolTypeKind.UInt16 or ToolTypeKind.UInt32 => "writer.WriteNumberValue((uint)" + value + ")",
        ToolTypeKind.Int64 => "writer.WriteNumberValue((long)" + value + ")",
        ToolTypeKind.UInt64 => "writer.WriteNumberValue((ulong)" + value + ")",
        ToolTypeKind.Single => Support + ".WriteNumber(writer, (float)" + value + ")",
        ToolTypeKind.Double => Support + ".WriteNumber(writer, (double)" + value + ")",
        ToolTypeKind.Decimal => "writer.WriteNumberValue((decimal)" + value + ")",
        ToolTypeKind.TimeSpan => "writer.WriteStringValue(" + value + ".ToString(\"c\", global::System.Globalization.CultureInfo.InvariantCulture))",
        ToolTypeKind.Uri => "writer.WriteStringValue(" + value + ".OriginalString)",

        // Guid, DateTime, DateTimeOffset: the writer's ISO 8601 / "D" formats are System.Text.Json's.
        _ => "writer.WriteStringValue(" + value + ")",
    };

    /// <summary>What a value must be, for error messages: <c>an integer</c>, <c>one of "a", "b"</c>, <c>an array or null</c>.</summary>
    public static string Expected(ToolTypeModel type)
    {
        var text = type.Kind switch
        {
            ToolTypeKind.String => "a string",
            ToolTypeKind.Boolean => "a boolean",
            ToolTypeKind.Char => "a string of one character",
            ToolTypeKind.SByte => "an integer from -128 to 127",
            ToolTypeKind.Byte => "an integer from 0 to 255",
            ToolTypeKind.Int16 => "an integer from -32768 to 32767",
            ToolTypeKind.UInt16 => "an integer from 0 to 65535",
            ToolTypeKind.Int32 or ToolTypeKind.Int64 => "an integer",
            ToolTypeKind.UInt32 => "an integer from 0 to 4294967295",
            ToolTypeKind.UInt64 => "an integer from 0 to 18446744073709551615",
            ToolTypeKind.Single or ToolTypeKind.Double or ToolTypeKind.Decimal => "a number",
            ToolTypeKind.Guid => "a GUID string",
            ToolTypeKind.DateTime or ToolTypeKind.DateTimeOffset => "an ISO 8601 date-time string",
            ToolTypeKind.TimeSpan => "a time span string ([-][d.]hh:mm:ss[.fffffff])",
            ToolTypeKind.Uri => "a URI string",
            ToolTypeKind.Enum => EnumExpected(type),
            ToolTypeKind.Array or ToolTypeKind.List => "an array",
            _ => "an object",
        };
        return type.AllowsNull ? text + " or null" : text;
    }

    private static string EnumExpected(ToolTypeModel type)
    {
        var builder = new StringBuilder("one of ");
        for (var i = 0; i < type.EnumMembers.Count; i++)
        {
            builder.Append(i == 0 ? string.Empty : ", ").Append('"').Append(type.EnumMembers[i].JsonName).Append('"');
        }

        return builder.ToString();
    }

    /// <summary>A type as errors name it: without <c>global::</c>.</summary>
    private static string DisplayName(string typeName) => typeName.Replace("global::", string.Empty);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
