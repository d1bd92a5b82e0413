namespace CompactMemory.Generators.Tests.Tools;

/// <summary>A context engine whose tools echo what they received, for the dispatch and error tests.</summary>
internal static class DispatchEngineSource
{
    public const string EngineType = "Dispatch.DispatchEngine";

    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Globalization;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        namespace Dispatch;

        public enum Mood { Calm, Angry }

        public sealed record Point(int X, int Y);

        public sealed record Filter(string Text, int Limit = 10, Mood Mood = Mood.Calm, List<string>? Tags = null, Point? Origin = null);

        public sealed class Settings
        {
            public string Name { get; set; } = "default-name";
            public int? Size { get; set; }
            public double Ratio { get; set; } = 0.5;
            public int Computed => 42;
        }

        public sealed class InitBox
        {
            public int[] Items { get; init; } = [7];
            public string? Note { get; init; }
            public required string Label { get; init; }
        }

        public sealed record Report(
            int Count, string? Note, Mood Mood, DateTime At, DateTimeOffset When, TimeSpan Took, Guid Id, Uri Link,
            decimal Price, float Score, double Ratio, char Grade, int[] Values, List<Point> Points, int? Missing, Mood? MaybeMood,
            IReadOnlyList<string> Names, string Text, long Big, ulong Huge, byte Small);

        [CompressionEngine("dispatch")]
        public sealed partial class DispatchEngine : ContextEngine
        {
            public override string Name => "dispatch";

            public List<string> Notes { get; } = new();

            public CancellationToken LastToken { get; private set; }

            protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                => Task.FromResult(messages);

            private static string Show(object? value) => value switch
            {
                null => "null",
                string s => "'" + s + "'",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                System.Collections.IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Show)) + "]",
                _ => value.ToString() ?? "",
            };

            private static string Join(params object?[] values) => string.Join("|", values.Select(Show));

            [EngineTool("echo_ints")]
            public string EchoInts(int a, long b, byte c, sbyte d, short e, ushort f, uint g, ulong h) => Join(a, b, c, d, e, f, g, h);

            [EngineTool("echo_numbers")]
            public string EchoNumbers(float f, double d, decimal m) => Join(f, d, m);

            [EngineTool("echo_defaults")]
            public string EchoDefaults(string text = "dflt", int count = 7, Mood mood = Mood.Angry, double? ratio = null, bool flag = true, double? half = 0.5) => Join(text, count, mood, ratio, flag, half);

            [EngineTool("echo_nullable")]
            public string EchoNullable(int? a, string? b, Mood? c, Guid? d) => Join(a, b, c, d);

            [EngineTool("echo_enum")]
            public string EchoEnum(Mood mood) => Join(mood);

            [EngineTool("echo_arrays")]
            public string EchoArrays(int[] values, List<string> names, IReadOnlyList<Mood> moods, IEnumerable<double> ratios, int[][] grid) =>
                Join(values, names, moods, ratios, grid);

            [EngineTool("echo_record")]
            public string EchoRecord(Filter filter) => Join(filter.Text, filter.Limit, filter.Mood, filter.Tags, filter.Origin?.X, filter.Origin?.Y);

            [EngineTool("echo_records")]
            public string EchoRecords(List<Point> points) => Join(points.Select(p => p.X * 10 + p.Y));

            [EngineTool("echo_settings")]
            public string EchoSettings(Settings settings) => Join(settings.Name, settings.Size, settings.Ratio);

            [EngineTool("echo_init")]
            public string EchoInit(InitBox box) => Join(box.Items, box.Note, box.Label);

            [EngineTool("echo_misc")]
            public string EchoMisc(Guid id, DateTime at, DateTimeOffset when, TimeSpan span, Uri link, char letter) =>
                Join(id, at.ToString("O", CultureInfo.InvariantCulture), when.ToString("O", CultureInfo.InvariantCulture), span, link.OriginalString, letter.ToString());

            [EngineTool("echo_bytes")]
            public string EchoBytes(byte small, ushort medium) => Join(small, medium);

            [EngineTool("token")]
            public string Token(CancellationToken cancellationToken)
            {
                LastToken = cancellationToken;
                return "token";
            }

            [EngineTool("context")]
            public string Context(string tag, ToolCallContext? context) => tag + ":" + (context?.Messages?.Count.ToString(CultureInfo.InvariantCulture) ?? "none");

            [EngineTool("async_task")]
            public async Task<int> DoubleAsync(int x)
            {
                await Task.Yield();
                return x * 2;
            }

            [EngineTool("async_value_task")]
            public async ValueTask<Point> PointAsync(int x, int y)
            {
                await Task.Yield();
                return new Point(x, y);
            }

            [EngineTool("async_void_task")]
            public async Task NoteAsync(string note)
            {
                await Task.Yield();
                Notes.Add(note);
            }

            [EngineTool("async_void_value_task")]
            public ValueTask NoteValueAsync(string note)
            {
                Notes.Add(note);
                return default;
            }

            [EngineTool("async_string")]
            public Task<string> TextAsync() => Task.FromResult("{\"raw\": true}");

            [EngineTool("void_tool")]
            public void Note(string note) => Notes.Add(note);

            [EngineTool("report")]
            public Report MakeReport() => new(
                3, null, Mood.Angry, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc), new DateTimeOffset(2024, 5, 6, 7, 8, 9, 120, TimeSpan.FromHours(2)),
                TimeSpan.FromMinutes(90.5), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), new Uri("https://example.com/a b?q=1"),
                12.50m, 0.1f, 1e20, 'Z', [1, 2, 3], [new Point(1, 2)], null, Mood.Calm, ["x", "é \"quoted\" <tag> & +"], "line\nbreak\ttab", long.MinValue, ulong.MaxValue, 255);

            [EngineTool("report_null")]
            public Report? MakeNull() => null;

            [EngineTool("numbers")]
            public double[] Numbers() => [1.5, -0.0, 1e-7, 100, double.Epsilon];

            [EngineTool("moods")]
            public IEnumerable<Mood> Moods() => [Mood.Calm, (Mood)7];

            [EngineTool("maybe")]
            public int? Maybe(bool some) => some ? 5 : null;

            [EngineTool("text")]
            public string Text() => "plain text, not JSON";

            [EngineTool("text_null")]
            public string? TextNull() => null;

            [EngineTool("throws")]
            public string Throws() => throw new InvalidOperationException("boom \"quoted\"");

            [EngineTool("cancels")]
            public string Cancels() => throw new OperationCanceledException("inner timeout");

            [EngineTool("async_throws")]
            public async Task<string> ThrowsAsync()
            {
                await Task.Yield();
                throw new InvalidOperationException("async boom");
            }

            [EngineTool("wait")]
            public async Task<string> WaitAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return "never";
            }

            [EngineTool("wait_sync")]
            public string WaitSync(CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return "not cancelled";
            }

            [EngineTool("no_args")]
            public string NoArgs() => "none";

            [EngineTool("required")]
            public string Required(string query, int limit, Point origin) => Join(query, limit, origin.X);
        }
        """;
}
