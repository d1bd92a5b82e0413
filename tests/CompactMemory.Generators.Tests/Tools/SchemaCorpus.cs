using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>
/// The differential corpus: one context engine with one tool per signature shape, compiled once with the generator.
/// Every tool's generated schema is compared with <c>AIJsonUtilities.CreateFunctionJsonSchema</c> for the same method.
/// </summary>
internal static class SchemaCorpus
{
    public const string EngineType = "Corpus.CorpusEngine";

    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        namespace Corpus;

        public enum Color { Red, GreenBlue, Blue }

        public enum Fancy { [JsonStringEnumMemberName("first-one")] First, Second }

        [Description("A shade, described by its type.")]
        public enum Shade { Light, Dark }

        [JsonConverter(typeof(JsonStringEnumConverter))]
        public enum Converted { Up, Down }

        public sealed record Point(int X, [property: Description("The y.")] double? Y);

        [Description("A record described by its type.")]
        public sealed record DescRec([Description("The x.")] int X, string? Note = null, int Count = 4, Color Tint = Color.Blue);

        public sealed class Options
        {
            public string Name { get; set; } = "";
            public List<Point>? Points { get; set; }
            public Color Tint { get; set; }
            public int ReadOnly => 3;
            public int Field = 1;
            public IReadOnlyList<string> Tags { get; set; } = [];
            public Shade Shade { get; set; }
            public static int Static { get; set; }
        }

        public sealed record Outer(string Title, List<Point> Points, DescRec? Extra);

        public sealed class InitOnly
        {
            public int A { get; init; }
            public string? B { get; init; } = "b";
        }

        public sealed class ReqMember
        {
            public required int A { get; set; }
            public string B { get; set; } = "z";
            public required string C { get; init; }
        }

        public sealed class CtorOnly
        {
            public CtorOnly(int a, string b = "q") { A = a; B = b; }
            public int A { get; }
            public string B { get; }
        }

        public sealed class Named
        {
            [JsonPropertyName("the_name")] public string N { get; set; } = "";
            [JsonIgnore] public int Hidden { get; set; }
            [JsonRequired] public int R { get; set; }
            public string URLValue { get; set; } = "";
            public int ID { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Sometimes { get; set; }
        }

        public record BaseRec(int A) { public int BaseProp { get; set; } }

        public sealed record DerivedRec(int A, int B) : BaseRec(A) { public int Extra { get; set; } }

        [Description("A type description.")]
        public sealed record TD(int A);

        public sealed class Ordered
        {
            [JsonPropertyOrder(2)] public int Z { get; set; }
            public int A { get; set; }
            [JsonPropertyOrder(-1)] public int M { get; set; }
        }

        public sealed class WithNullables
        {
            public Color? Tint { get; set; }
            public TimeSpan? Span { get; set; }
            public char? Letter { get; set; }
            public Guid? Id { get; set; }
            public Uri? Link { get; set; }
            public DateTimeOffset? When { get; set; }
        }

        public sealed class Box<T>
        {
            public T Value { get; set; } = default!;
        }

        public sealed class ParamlessAndOther
        {
            public ParamlessAndOther() { }
            public ParamlessAndOther(int a) { A = a; }
            public int A { get; set; }
        }

        public sealed class Marked
        {
            [JsonConstructor]
            public Marked(string name) { Name = name; }
            public Marked() { }
            public string Name { get; } = "";
            public int Extra { get; set; }
        }

        /// <summary>A documented record.</summary>
        /// <param name="Alpha">The alpha value.</param>
        /// <param name="Beta">Not used: the attribute wins.</param>
        public sealed record XmlRec(int Alpha, [property: Description("Beta attribute.")] int Beta)
        {
            /// <summary>The gamma value.</summary>
            public int Gamma { get; set; }
        }

        #nullable disable
        public sealed class OblClass
        {
            public string S { get; set; }
            public List<string> L { get; set; }
        }
        #nullable enable

        [CompressionEngine("corpus")]
        public sealed partial class CorpusEngine : ContextEngine
        {
            public override string Name => "corpus";

            protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                => Task.FromResult(messages);

            [EngineTool("t_simple")] public string Simple(string query, int limit) => "";

            [EngineTool("t_described")]
            [Description("Described method.")]
            public string Described([Description("The query.")] string query, [Description("How many.")] int limit = 2) => "";

            [EngineTool("t_defaults")]
            public string Defaults(string q = "x", int n = 5, double d = 1.5, bool b = true, string? s = null, Color c = Color.GreenBlue,
                int? ni = null, int? ni2 = 3, long l = -2, float f = 0.25f, decimal m = 1.25m, bool off = false) => "";

            [EngineTool("t_integers")] public string Integers(byte a, sbyte b, short c, ushort d, int e, uint f, long g, ulong h) => "";

            [EngineTool("t_integer_defaults")]
            public string IntegerDefaults(byte a = 255, sbyte b = -128, short c = -3, ushort d = 65535, uint f = 4000000000, ulong h = ulong.MaxValue, long g = long.MinValue) => "";

            [EngineTool("t_floats")]
            public string Floats(float a, double b, decimal c, float f2 = 0.1f, double big = 1e20, double small = 1e-7, double whole = 100, decimal scaled = 0.10m, double negZero = -0.0) => "";

            [EngineTool("t_char")] public string Char(char c, char d = 'a') => "";

            [EngineTool("t_guid_dates")] public string GuidDates(Guid g, DateTime dt, DateTimeOffset dto, TimeSpan ts, Uri u) => "";

            [EngineTool("t_struct_defaults")]
            public string StructDefaults(Guid g = default, DateTime dt = default, DateTimeOffset dto = default, TimeSpan ts = default) => "";

            [EngineTool("t_nullable_values")]
            public string NullableValues(int? a, double? b, bool? c, Guid? d, DateTime? e, TimeSpan? f, Color? g, char? h, DateTimeOffset? i) => "";

            [EngineTool("t_nullable_refs")] public string NullableRefs(string? a, Uri? b, int[]? c, List<string>? d, Point? e) => "";

            [EngineTool("t_enum")] public string Enum(Color c, Color? maybe = null, Color? c2 = Color.Red, Shade shade = Shade.Dark) => "";

            [EngineTool("t_enum_names")] public string EnumNames(Fancy f, Converted v, Fancy other = Fancy.First) => "";

            [EngineTool("t_arrays")] public string Arrays(int[] a, string[] b, Color[] c, double[][] jagged) => "";

            [EngineTool("t_lists")]
            public string Lists(List<int> a, IList<string> b, IReadOnlyList<Color> c, IEnumerable<double> d, ICollection<bool> e, IReadOnlyCollection<long> f) => "";

            [EngineTool("t_record")] public string Record(Point p) => "";

            [EngineTool("t_record_defaults")] public string RecordDefaults(DescRec r) => "";

            [EngineTool("t_class")] public string Class(Options o) => "";

            [EngineTool("t_nested")] public string Nested(Outer o) => "";

            [EngineTool("t_init")] public string Init(InitOnly r) => "";

            [EngineTool("t_required_members")] public string RequiredMembers(ReqMember r) => "";

            [EngineTool("t_ctor_class")] public string CtorClass(CtorOnly c) => "";

            [EngineTool("t_json_attributes")] public string JsonAttributes(Named n) => "";

            [EngineTool("t_derived")] public string Derived(DerivedRec r) => "";

            [EngineTool("t_nullable_object")] public string NullableObject(Options? o, WithNullables w) => "";

            [EngineTool("t_nullable_record_param")] public string NullableRecordParam(Outer? o = null) => "";

            #nullable disable
            [EngineTool("t_oblivious")] public string Oblivious(string s, string[] arr, List<string> l, Point p, int? ni, string d = null) => "";
            #nullable enable

            [EngineTool("t_oblivious_properties")] public string ObliviousProperties(OblClass o, OblClass? maybe) => "";

            [EngineTool("t_cancellation")] public string Cancellation(string a, CancellationToken cancellationToken) => "";

            [EngineTool("t_cancellation_default")] public string CancellationDefault(string a, CancellationToken cancellationToken = default) => "";

            [EngineTool("t_async_task")] public Task<int> AsyncTask(string x) => Task.FromResult(1);

            [EngineTool("t_async_value_task")] public ValueTask AsyncValueTask(int n = 1) => default;

            [EngineTool("t_no_params")] public string NoParams() => "";

            [EngineTool("t_optional_refs")] public string OptionalRefs(Point? p = null, string[]? arr = null, Uri? u = null) => "";

            [EngineTool("t_list_of_records")] public string ListOfRecords(List<Point> pts, Point[] arr, IReadOnlyList<DescRec> described) => "";

            [EngineTool("t_param_type_description")] public string ParamTypeDescription([Description("Param description.")] TD t, TD t2, Shade s) => "";

            [EngineTool("t_description_and_default")] public string DescriptionAndDefault([Description("Limit description.")] int n = 5, string s = "x") => "";

            [EngineTool("t_json_order")] public string JsonOrder(Ordered o) => "";

            [EngineTool("t_params")] public string Params(params int[] values) => "";

            [EngineTool("t_generic_class")] public string GenericClass(Box<int> box, Box<string> text) => "";

            [EngineTool("t_constructor_choice")] public string ConstructorChoice(ParamlessAndOther a, Marked m) => "";

            [EngineTool("t_escaping")]
            [Description("Quotes \" and \\ backslashes, tabs\t and unicode é ✓.")]
            public string Escaping([Description("Line one\nline two.")] string @class = "a\"b\\c") => "";

            /// <summary>Finds <paramref name="query"/> in the <see cref="Point"/> list, <see langword="null"/> aside.</summary>
            /// <param name="query">The words to find.</param>
            /// <param name="limit">Not used: the attribute wins.</param>
            [EngineTool("t_xml")]
            public string Xml(string query, [Description("Attribute wins.")] int limit = 3) => "";

            [EngineTool("t_xml_record")] public string XmlRecord(XmlRec r) => "";

            /// <summary>Not used: the attribute wins.</summary>
            [EngineTool("t_engine_description", Description = "From EngineTool.")]
            [Description("From the Description attribute.")]
            public string EngineDescription(int a) => "";
        }
        """;

    /// <summary>
    /// Where the generated schema deliberately differs from Microsoft.Extensions.AI's for a corpus tool, beyond the
    /// root <c>title</c> and <c>description</c> every tool drops (see <c>SchemaDifferentialTests</c>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Difference[]> Differences = new Dictionary<string, Difference[]>(StringComparer.Ordinal)
    {
        ["t_xml"] =
        [
            Difference.ToolDescription("Finds query in the Point list, null aside.", "the XML <summary>: Microsoft.Extensions.AI reads no XML documentation"),
            Difference.Description("properties/query", "The words to find.", "the XML <param>: Microsoft.Extensions.AI reads no XML documentation"),
        ],
        ["t_xml_record"] =
        [
            Difference.Description("properties/r/properties/alpha", "The alpha value.", "the record's XML <param>: Microsoft.Extensions.AI reads no XML documentation"),
            Difference.Description("properties/r/properties/gamma", "The gamma value.", "the property's XML <summary>: Microsoft.Extensions.AI reads no XML documentation"),
        ],
        ["t_engine_description"] =
        [
            Difference.ToolDescription("From EngineTool.", "[EngineTool(Description = …)] overrides [Description], which is all Microsoft.Extensions.AI sees"),
        ],
    };

    public static IEnumerable<string> ToolNames()
    {
        foreach (var line in Source.Split('\n'))
        {
            var at = line.IndexOf("[EngineTool(\"", StringComparison.Ordinal);
            if (at >= 0)
            {
                var start = at + "[EngineTool(\"".Length;
                yield return line[start..line.IndexOf('"', start)];
            }
        }
    }

    public static MethodInfo Method(Type engine, string tool) =>
        engine.GetMethods().Single(m => m.GetCustomAttribute<EngineToolAttribute>()?.Name == tool);
}

/// <summary>One deliberate difference: a description we add where Microsoft.Extensions.AI has none, or a different tool description.</summary>
/// <param name="Path">Slash-separated path of the schema node ("" for the tool description).</param>
/// <param name="Value">What we produce there.</param>
/// <param name="Why">Why we differ.</param>
internal sealed record Difference(string Path, string Value, string Why)
{
    public static Difference ToolDescription(string value, string why) => new(string.Empty, value, why);

    public static Difference Description(string path, string value, string why) => new(path, value, why);
}
