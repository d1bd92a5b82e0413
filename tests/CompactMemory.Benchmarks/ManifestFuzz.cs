using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CompactMemory.Manifest;
using CompactMemory.Tests.Manifest;
using CsCheck;

namespace CompactMemory.Benchmarks;

/// <summary>
/// The long run of the manifest property tests (not in CI): the same generators and the same promise check as
/// tests/CompactMemory.Tests/Manifest/ManifestPropertyTests.cs, with many more cases, reporting per generator the
/// slowest read (a read over 10 ms is timed three times and the best counts) and the largest allocation seen.
/// <c>dotnet run -c Release --project tests/CompactMemory.Benchmarks -- manifest-fuzz [cases] [seed]</c>
/// (default 100,000 cases for the light generators, a tenth of that for the heavy ones; seed 1). Exits 1 on the first
/// broken promise, printing the case.
/// </summary>
public static class ManifestFuzz
{
    public static int Run(string[] args)
    {
        var cases = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var seed = args.Length > 2 ? ulong.Parse(args[2], CultureInfo.InvariantCulture) : 1UL;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "manifest-fuzz: {0:N0} cases per light generator, seed {1}", cases, seed));
        Console.WriteLine("| generator | cases | seconds | slowest read (ms) | most allocated in one read (MB) | largest input (chars) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var ok = true;
        ok &= Fuzz("YAML-like text", HostileManifests.YamlishText, cases, seed, text => EngineManifestReader.Read(text), text => text.Length, text => text);
        ok &= Fuzz("YAML-like text as UTF-8", HostileManifests.YamlishText.Select(text => Encoding.UTF8.GetBytes(text)), cases, seed + 1, bytes => EngineManifestReader.ReadUtf8(bytes), bytes => bytes.Length, Convert.ToHexString);
        ok &= Fuzz("byte mutations of a valid manifest", HostileManifests.MutatedValidBytes, cases, seed + 2, bytes => EngineManifestReader.ReadUtf8(bytes), bytes => bytes.Length, Convert.ToHexString);
        ok &= Fuzz("random bytes", Gen.Byte.Array[0, 4_000], cases, seed + 3, bytes => EngineManifestReader.ReadUtf8(bytes), bytes => bytes.Length, Convert.ToHexString);
        ok &= Fuzz("alias amplification", HostileManifests.AliasAmplification, cases / 10, seed + 4, text => EngineManifestReader.Read(text), text => text.Length, text => text);
        ok &= Fuzz("long scalars", HostileManifests.LongScalars, cases / 10, seed + 5, text => EngineManifestReader.Read(text), text => text.Length, text => text);
        Console.WriteLine(ok ? "All promises held." : "A promise was broken.");
        return ok ? 0 : 1;
    }

    private static bool Fuzz<T>(string name, Gen<T> gen, int cases, ulong seed, Func<T, ManifestReadResult> read, Func<T, int> size, Func<T, string> print)
    {
        var random = new PCG(7, seed);
        var total = Stopwatch.StartNew();
        var slowest = 0.0;
        long mostAllocated = 0;
        var largest = 0;
        for (var i = 0; i < cases; i++)
        {
            var value = gen.Generate(random, null!, out _);
            var lines = value is string text ? HostileManifests.Lines(text) : int.MaxValue;
            var watch = Stopwatch.StartNew();
            var failure = HostileManifests.Check(() => read(value), lines, out var allocated);
            var elapsed = watch.Elapsed.TotalMilliseconds;

            // A slow read is timed again (the best of three counts): on a shared machine one garbage collection
            // or a neighbour's build is noise, while an input that is really slow stays slow.
            for (var again = 0; again < 2 && elapsed > 10; again++)
            {
                watch.Restart();
                read(value);
                elapsed = Math.Min(elapsed, watch.Elapsed.TotalMilliseconds);
            }

            slowest = Math.Max(slowest, elapsed);
            mostAllocated = Math.Max(mostAllocated, allocated);
            largest = Math.Max(largest, size(value));
            if (failure is not null)
            {
                var shown = print(value);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: case {1} of seed {2}: {3}\n{4}", name, i, seed, failure, shown.Length > 2_000 ? shown[..2_000] + "…" : shown));
                return false;
            }
        }

        Console.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            "| {0} | {1:N0} | {2:F1} | {3:F1} | {4:F1} | {5:N0} |",
            name,
            cases,
            total.Elapsed.TotalSeconds,
            slowest,
            mostAllocated / (1024.0 * 1024.0),
            largest));
        return true;
    }
}
