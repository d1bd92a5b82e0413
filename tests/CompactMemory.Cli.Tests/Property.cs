using System;
using CsCheck;

namespace CompactMemory.Cli.Tests;

/// <summary>
/// Runs a property over a fixed, seeded sequence of generated cases, so every CI run checks the same inputs (CsCheck's
/// own <c>Sample</c> uses its seed for the first case only). On a failure it hands the failing case's seed to CsCheck,
/// which reproduces it, shrinks it, and reports the seed to run it again.
/// </summary>
internal static class Property
{
    public static void ForAll<T1, T2>(Gen<(T1, T2)> gen, Action<T1, T2> assert, int cases, ulong seed, Func<(T1, T2), string>? print = null) =>
        ForAll(gen, t => assert(t.Item1, t.Item2), cases, seed, print);

    public static void ForAll<T1, T2, T3>(Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> assert, int cases, ulong seed, Func<(T1, T2, T3), string>? print = null) =>
        ForAll(gen, t => assert(t.Item1, t.Item2, t.Item3), cases, seed, print);

    public static void ForAll<T>(Gen<T> gen, Action<T> assert, int cases, ulong seed, Func<T, string>? print = null)
    {
        var pcg = new PCG(1, seed);
        for (var i = 0; i < cases; i++)
        {
            var state = pcg.State;
            var value = gen.Generate(pcg, null, out _);
            try
            {
                assert(value);
            }
            catch (Exception first)
            {
                var reproduce = pcg.ToString(state);
                try
                {
                    gen.Sample(assert, seed: reproduce, iter: 200, threads: 1, print: print);
                }
                catch (CsCheckException shrunk)
                {
                    throw new InvalidOperationException($"Case {i} of seed {seed} failed: {first.Message}\n{shrunk.Message}", shrunk);
                }

                throw new InvalidOperationException($"Case {i} of seed {seed} failed (seed \"{reproduce}\"): {first.Message}\nInput: {(print is null ? value?.ToString() : print(value))}", first);
            }
        }
    }
}
