using BenchmarkDotNet.Running;

namespace CompactMemory.Benchmarks;

/// <summary>
/// Runs the benchmarks, for example:
/// <c>dotnet run -c Release --project tests/CompactMemory.Benchmarks -- --filter '*' --job short --exporters markdown</c>.
/// <c>-- manifest-fuzz [cases] [seed]</c> runs the long manifest property run instead (<see cref="ManifestFuzz"/>);
/// <c>-- context-compare [conversations] [seed]</c> prints the context compactors' tokens and invariant violations
/// (<see cref="Context.PeerComparison"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "manifest-fuzz")
        {
            return ManifestFuzz.Run(args);
        }

        if (args.Length > 0 && args[0] == "context-compare")
        {
            return Context.PeerComparison.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
