using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using CompactMemory.Context;
using CsCheck;
using Microsoft.Extensions.AI;
using Xunit;
using Xunit.Abstractions;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>
/// Property tests of the generated dispatch with generated input (fixed seeds, single-threaded, so every run sees the
/// same cases): whatever the arguments text or tool name, a call never throws or faults, its result is JSON (except a
/// tool's own string) that encodes to strict UTF-8, and every error names the tool and stays short. The number of
/// cases is <see cref="Cases"/>; <c>tests/CompactMemory.Benchmarks/tool-fuzz.sh</c> runs a million.
/// </summary>
public sealed class ToolFuzzTests
{
    /// <summary>Set by the long fuzz run; a few thousand otherwise (seconds in CI).</summary>
    public const string CasesVariable = "COMPACTMEMORY_TOOL_FUZZ_CASES";

    internal static readonly Lazy<ToolCompilation> Compiled = new(() => ToolCompilation.Compile("Fuzz", FuzzEngineSource.Source));

    private readonly ITestOutputHelper _output;

    public ToolFuzzTests(ITestOutputHelper output) => _output = output;

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0 ? cases : 4000;

    private static IContextEngine NewEngine() => Compiled.Value.Create(FuzzEngineSource.EngineType);

    [Fact]
    public void Any_arguments_text_gives_json_that_encodes_to_utf8_and_errors_that_name_the_tool()
    {
        var engine = NewEngine();
        int errors = 0, results = 0;
        var clock = Stopwatch.StartNew();
        new ToolFuzz(engine).Call.Sample(
            call =>
            {
                if (ToolFuzz.Check(engine, call.Tool, call.Arguments, FuzzEngineSource.RawTools.Contains(call.Tool)))
                {
                    errors++;
                }
                else
                {
                    results++;
                }
            },
            seed: "0000000002bG",
            iter: Cases,
            threads: 1,
            print: call => call.Tool + "(" + ToolFuzz.Show(call.Arguments) + ")");

        _output.WriteLine($"{Cases:N0} generated calls in {clock.Elapsed.TotalSeconds:F1} s: {results:N0} results, {errors:N0} errors, 0 broken promises.");

        // The generators must reach the tools as well as the errors, or the property says little.
        Assert.True(results > Cases / 10, $"only {results} of {Cases} calls reached a result");
        Assert.True(errors > Cases / 10, $"only {errors} of {Cases} calls were errors");
    }

    [Fact]
    public void Any_tool_name_gives_its_tool_or_the_unknown_tool_error()
    {
        var engine = NewEngine();
        var tools = engine.GetToolSchemas().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        new ToolFuzz(engine).ToolName.Sample(
            name =>
            {
                var result = ToolCompilation.Call(engine, name, "{}");
                if (tools.Contains(name))
                {
                    ToolFuzz.CheckResult(name, "{}", result, FuzzEngineSource.RawTools.Contains(name));
                    return;
                }

                ToolFuzz.CheckResult(name, "{}", result, raw: true);

                using var document = JsonDocument.Parse(result);
                var message = ToolFuzz.ErrorMessage(document.RootElement);
                Assert.NotNull(message);
                Assert.StartsWith("Unknown context engine tool: ", message, StringComparison.Ordinal);
                Assert.True(message.Length <= "Unknown context engine tool: ".Length + 100, message);
                if (name.Length <= 100 && !HasUnpairedSurrogate(name))
                {
                    Assert.Equal("Unknown context engine tool: " + name, message);
                }
            },
            seed: "0000000003cH",
            iter: Cases,
            threads: 1,
            print: ToolFuzz.Show);
        _output.WriteLine($"{Cases:N0} generated tool names in {clock.Elapsed.TotalSeconds:F1} s, 0 broken promises.");
    }

    /// <summary>
    /// The oracle is System.Text.Json with Microsoft.Extensions.AI's default options: a value it writes reaches the
    /// tool as the value it reads back, and the result is what it writes for that value.
    /// </summary>
    [Fact]
    public void Values_written_by_System_Text_Json_reach_the_tool_as_it_reads_them()
    {
        var engine = NewEngine();
        var options = AIJsonUtilities.DefaultOptions;
        var text = TextPiece.Array[0, 6].Select(string.Concat);
        var gen = Gen.Frequency<(string Tool, Type Type, object Value)>(
            (2, text.Select(v => ("t_string", typeof(string), (object)v))),
            (1, Gen.Int.Select(v => ("t_int", typeof(int), (object)v))),
            (1, Gen.Long.Select(v => ("t_long", typeof(long), (object)v))),
            (1, Gen.Long.Select(v => ("t_ulong", typeof(ulong), (object)unchecked((ulong)v)))),
            (1, Gen.Int[-128, 127].Select(v => ("t_sbyte", typeof(sbyte), (object)(sbyte)v))),
            (1, Gen.Double.Where(double.IsFinite).Select(v => ("t_double", typeof(double), (object)v))),
            (1, Gen.Double.Where(d => double.IsFinite((float)d)).Select(v => ("t_float", typeof(float), (object)(float)v))),
            (1, Gen.Long.Select(v => ("t_decimal", typeof(decimal), (object)(v / 1000m)))),
            (1, Gen.Bool.Select(v => ("t_bool", typeof(bool), (object)v))),
            (1, Gen.Char.Where(c => !char.IsSurrogate(c)).Select(v => ("t_char", typeof(char), (object)v))),
            (1, Gen.Int[0, 1 << 30].Select(v => ("t_guid", typeof(Guid), (object)new Guid(v, (short)v, (short)(v >> 3), 1, 2, 3, 4, 5, 6, 7, 8)))),
            (1, Gen.Long[0, DateTime.MaxValue.Ticks].Select(v => ("t_date_time", typeof(DateTime), (object)new DateTime(v, DateTimeKind.Utc)))),
            (1, Gen.Long[TimeSpan.MinValue.Ticks, TimeSpan.MaxValue.Ticks].Select(v => ("t_time_span", typeof(TimeSpan), (object)new TimeSpan(v)))),
            (1, text.Select(v => ("t_uri", typeof(Uri), (object)new Uri("https://example.com/" + Uri.EscapeDataString(v)))))
        );
        var clock = Stopwatch.StartNew();
        gen.Sample(
            call =>
            {
                var argument = JsonSerializer.Serialize(call.Value, call.Type, options);
                var read = JsonSerializer.Deserialize(argument, call.Type, options);
                var expected = JsonSerializer.Serialize(call.Tool == "t_string" ? new[] { (string)read! } : read, call.Tool == "t_string" ? typeof(string[]) : call.Type, options);
                var actual = ToolCompilation.Call(engine, call.Tool, "{\"v\": " + argument + "}");
                JsonAssert.Equal(expected, actual);
            },
            seed: "0000000004dI",
            iter: Cases,
            threads: 1,
            print: call => call.Tool + " " + ToolFuzz.Show(Convert.ToString(call.Value, CultureInfo.InvariantCulture)));
        _output.WriteLine($"{Cases:N0} generated values in {clock.Elapsed.TotalSeconds:F1} s, all read as System.Text.Json reads them.");
    }

    /// <summary>
    /// Cutting text inside a surrogate pair is a common bug in tools; their strings still come back as text that encodes
    /// to UTF-8: as-is when valid, with each unpaired surrogate replaced by U+FFFD otherwise (what a UTF-8 encoder that
    /// does not throw makes of it), in raw results, in serialized results and in exception messages alike.
    /// </summary>
    [Fact]
    public void Strings_with_unpaired_surrogates_come_back_with_U_FFFD_in_their_place()
    {
        var engine = NewEngine();
        var gen = Gen.Select(TextPiece.Array[0, 8].Select(string.Concat), Gen.Int[0, 40], Gen.OneOf("raw_cut", "async_raw_cut", "t_cut", "async_value_task", "raw_throw"));
        var clock = Stopwatch.StartNew();
        gen.Sample(
            (value, at, tool) =>
            {
                var cut = value[..Math.Clamp(at, 0, value.Length)];
                var lenient = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(cut));
                var argumentName = tool == "raw_throw" ? "message" : "v";
                var arguments = "{\"" + argumentName + "\": " + JsonSerializer.Serialize(value) + ", \"at\": " + at.ToString(CultureInfo.InvariantCulture) + "}";
                var result = ToolCompilation.Call(engine, tool, arguments);
                ToolFuzz.CheckResult(tool, arguments, result, raw: FuzzEngineSource.RawTools.Contains(tool));
                switch (tool)
                {
                    case "raw_cut" or "async_raw_cut":
                        Assert.Equal(lenient, result);
                        break;
                    case "raw_throw":
                        Assert.Equal(ContextEngine.ErrorJson("Context engine tool 'raw_throw' failed: " + (lenient.Length == 0 ? "InvalidOperationException" : lenient)), result);
                        break;
                    default:
                        JsonAssert.Equal(JsonSerializer.Serialize(new[] { lenient }, AIJsonUtilities.DefaultOptions), result);
                        break;
                }
            },
            seed: "0000000005eJ",
            iter: Cases,
            threads: 1);
        _output.WriteLine($"{Cases:N0} generated cut strings in {clock.Elapsed.TotalSeconds:F1} s, all returned as valid Unicode.");
    }

    /// <summary>Valid text with surrogate pairs (escaped and literal), for cutting.</summary>
    private static readonly Gen<string> TextPiece = Gen.OneOf(
        Gen.Char["abc xyz"].Array[1, 6].Select(chars => new string(chars)),
        Gen.Const("😀"), Gen.Const("𝄞"), Gen.Const("é"), Gen.Const("\"q\""), Gen.Const("\\"), Gen.Const("\n"), Gen.Const("\uFFFD"), Gen.Const("\u2028"));

    private static bool HasUnpairedSurrogate(string text) => text.Where((c, i) =>
        char.IsHighSurrogate(c) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]) : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]))).Any();
}
