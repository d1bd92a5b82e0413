using System;
using System.Collections.Generic;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>
/// A context engine with a tool for every supported parameter type (and their nullable, array, list, record and class
/// forms, sync and async), tools whose results or failures are hostile (unpaired surrogates, huge messages, NaN, a
/// null Task, a message that throws), for the hardening regression tests and the generated-input property tests.
/// </summary>
internal static class FuzzEngineSource
{
    public const string EngineType = "Fuzz.FuzzEngine";

    /// <summary>Tools whose result is a string returned as-is (not necessarily JSON).</summary>
    public static readonly IReadOnlySet<string> RawTools = new HashSet<string>(StringComparer.Ordinal) { "raw_echo", "raw_cut", "raw_throw", "async_raw_cut", "no_args" };

    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Globalization;
        using System.Linq;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        namespace Fuzz;

        public enum Mood { Calm, Angry, [JsonStringEnumMemberName("very-happy")] VeryHappy }

        public sealed record Point(int X, int Y);

        public sealed record Filter(string Text, int Limit = 10, Mood Mood = Mood.Calm, List<string>? Tags = null, Point? Origin = null, Point[]? Points = null, DateTimeOffset? When = null);

        public sealed class Settings
        {
            public string Name { get; set; } = "default-name";
            public int? Size { get; set; }
            public double Ratio { get; set; } = 0.5;
            public char Letter { get; set; } = 'a';
            public Uri? Link { get; set; }
            public TimeSpan Span { get; set; }
        }

        public sealed class InitBox
        {
            public int[] Items { get; init; } = [7];
            public string? Note { get; init; }
            public required string Label { get; init; }
        }

        /// <summary>Validates in its constructor and setter, with a message holding an unpaired surrogate.</summary>
        public sealed record Range
        {
            private string _label = "";

            public Range(int low, int high)
            {
                if (low > high)
                {
                    throw new ArgumentException("low > high \ud800");
                }

                Low = low;
                High = high;
            }

            public int Low { get; }
            public int High { get; }

            public string Label
            {
                get => _label;
                set => _label = value.Length <= 3 ? value : throw new ArgumentOutOfRangeException(nameof(value), "a label has at most 3 characters");
            }
        }

        public sealed record Nullables(int? A, Mood? B, Guid? C, DateTime? D, double? E, char? F, string? G, Uri? H, TimeSpan? I, decimal? J);

        public sealed record Collections(int[] Ints, List<string> Strings, IReadOnlyList<Mood> Moods, double[] Ratios, long[][] Grid, List<Guid?> Guids, DateTime[] Dates);

        public sealed record Everything(
            string S, bool B, int I, long L, double D, decimal M, char C, Mood E, Guid G, TimeSpan T, DateTimeOffset O, TimeSpan Span, Uri U, int? N,
            string[] Arr, List<Point> List, Point P);

        /// <summary>A result whose getter throws while the dispatch writes it.</summary>
        public sealed class Exploding
        {
            public int Before => 1;
            public string Value => throw new InvalidOperationException("getter \udc00");
        }

        public sealed class ThrowingMessage : Exception
        {
            public override string Message => throw new InvalidOperationException("the message itself throws");
        }

        public sealed class NullMessage : Exception
        {
            public override string Message => null!;
        }

        [CompressionEngine("fuzz")]
        public sealed partial class FuzzEngine : ContextEngine
        {
            public override string Name => "fuzz";

            protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                => Task.FromResult(messages);

            /// <summary>The first <paramref name="at"/> UTF-16 code units: cutting inside a surrogate pair leaves half of it.</summary>
            private static string Cut(string text, int at) => text.Substring(0, Math.Clamp(at, 0, text.Length));

            [EngineTool("t_string")] public string[] TString(string v) => [v];
            [EngineTool("t_bool")] public bool TBool(bool v) => v;
            [EngineTool("t_sbyte")] public sbyte TSByte(sbyte v) => v;
            [EngineTool("t_byte")] public byte TByte(byte v) => v;
            [EngineTool("t_short")] public short TShort(short v) => v;
            [EngineTool("t_ushort")] public ushort TUShort(ushort v) => v;
            [EngineTool("t_int")] public int TInt(int v) => v;
            [EngineTool("t_uint")] public uint TUInt(uint v) => v;
            [EngineTool("t_long")] public long TLong(long v) => v;
            [EngineTool("t_ulong")] public ulong TULong(ulong v) => v;
            [EngineTool("t_float")] public float TFloat(float v) => v;
            [EngineTool("t_double")] public double TDouble(double v) => v;
            [EngineTool("t_decimal")] public decimal TDecimal(decimal v) => v;
            [EngineTool("t_char")] public char TChar(char v) => v;
            [EngineTool("t_enum")] public Mood TEnum(Mood v) => v;
            [EngineTool("t_guid")] public Guid TGuid(Guid v) => v;
            [EngineTool("t_date_time")] public DateTime TDateTime(DateTime v) => v;
            [EngineTool("t_date_time_offset")] public DateTimeOffset TDateTimeOffset(DateTimeOffset v) => v;
            [EngineTool("t_time_span")] public TimeSpan TTimeSpan(TimeSpan v) => v;
            [EngineTool("t_uri")] public Uri TUri(Uri v) => v;

            [EngineTool("t_nullables")]
            public Nullables TNullables(int? a, Mood? b, Guid? c, DateTime? d, double? e, char? f, string? g, Uri? h, TimeSpan? i, decimal? j) => new(a, b, c, d, e, f, g, h, i, j);

            [EngineTool("t_collections")]
            public Collections TCollections(int[] ints, List<string> strings, IReadOnlyList<Mood> moods, IEnumerable<double> ratios, long[][] grid, List<Guid?> guids, DateTime[] dates) =>
                new(ints, strings, moods, ratios.ToArray(), grid, guids, dates);

            [EngineTool("t_record")] public Filter TRecord(Filter filter) => filter;
            [EngineTool("t_class")] public Settings TClass(Settings settings) => settings;
            [EngineTool("t_init")] public InitBox TInit(InitBox box) => box;

            [EngineTool("t_defaults")]
            public string[] TDefaults(string text = "dflt", int count = 7, Mood mood = Mood.Angry, double? ratio = null, bool flag = true, double? half = 0.5, Guid? id = null) =>
                [text, count.ToString(CultureInfo.InvariantCulture), mood.ToString(), ratio?.ToString(CultureInfo.InvariantCulture) ?? "null", flag.ToString(), half?.ToString(CultureInfo.InvariantCulture) ?? "null", id?.ToString() ?? "null"];

            [EngineTool("t_validated")] public Range TValidated(Range range) => range;

            [EngineTool("t_everything")]
            public Everything TEverything(
                string s, bool b, int i, long l, double d, decimal m, char c, Mood e, Guid g, TimeSpan t, DateTimeOffset o, TimeSpan span, Uri u, int? n,
                string[] arr, List<Point> list, Point p) => new(s, b, i, l, d, m, c, e, g, t, o, span, u, n, arr, list, p);

            /// <summary>Cuts the text, maybe inside a surrogate pair, and returns it inside a serialized result.</summary>
            [EngineTool("t_cut")] public string[] TCut(string v, int at) => [Cut(v, at)];

            [EngineTool("async_task")]
            public async Task<Point> TaskAsync(int x, int y)
            {
                await Task.Yield();
                return new Point(x, y);
            }

            [EngineTool("async_value_task")]
            public ValueTask<string[]> ValueTaskAsync(string v, int at) => new(new[] { Cut(v, at) });

            [EngineTool("async_void_task")]
            public Task NoteAsync(string note) => note.Length > 1000 ? throw new InvalidOperationException("too long: " + note) : Task.CompletedTask;

            [EngineTool("async_void_value_task")]
            public ValueTask NoteValueAsync(string note) => note.Length > 1000 ? throw new InvalidOperationException("too long: " + note) : default;

            [EngineTool("async_record")]
            public async Task<Filter> RecordAsync(Filter filter)
            {
                await Task.Yield();
                return filter;
            }

            [EngineTool("async_raw_cut")]
            public Task<string> RawCutAsync(string v, int at) => Task.FromResult(Cut(v, at));

            /// <summary>A string result is returned as-is.</summary>
            [EngineTool("raw_echo")] public string RawEcho(string v) => v;

            /// <summary>A string result that may hold half a surrogate pair.</summary>
            [EngineTool("raw_cut")] public string RawCut(string v, int at) => Cut(v, at);

            /// <summary>Throws with the message cut, maybe inside a surrogate pair.</summary>
            [EngineTool("raw_throw")] public string RawThrow(string message, int at) => throw new InvalidOperationException(Cut(message, at));

            [EngineTool("failures")]
            public string Failures(int kind, string text = "") => throw Failure(kind, text);

            [EngineTool("async_failures")]
            public async Task<string> FailuresAsync(int kind, string text = "")
            {
                await Task.Yield();
                throw Failure(kind, text);
            }

            [EngineTool("not_finite")]
            public double[] NotFinite(int kind) => [1.5, kind % 3 == 0 ? double.NaN : kind % 3 == 1 ? double.PositiveInfinity : double.NegativeInfinity];

            [EngineTool("null_task")] public Task<string> NullTask() => null!;

            [EngineTool("exploding")] public Exploding[] Explode(int count) => Enumerable.Range(0, Math.Clamp(count, 0, 3)).Select(_ => new Exploding()).ToArray();

            [EngineTool("no_args")] public string NoArgs() => "none";

            [EngineTool("token_only")] public Task TokenOnly(CancellationToken cancellationToken) => Task.CompletedTask;

            private static Exception Failure(int kind, string text) => (kind % 8) switch
            {
                0 => new OperationCanceledException("cancelled, but not by the caller " + text),
                1 => new ThrowingMessage(),
                2 => new NullMessage(),
                3 => new InvalidOperationException(""),
                4 => new AggregateException("many " + text, new InvalidOperationException("inner")),
                5 => new ArgumentException(text + "\udc00" + text),
                6 => new FormatException(new string('m', 5000) + text),
                _ => new TaskCanceledException("task cancelled " + text),
            };
        }
        """;
}
