using BenchmarkDotNet.Running;

namespace CompactMemory.Benchmarks;

/// <summary>
/// Runs the benchmarks, for example:
/// <c>dotnet run -c Release --project tests/CompactMemory.Benchmarks -- --filter '*' --job short --exporters markdown</c>
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
