using System.Collections.Generic;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using CompactMemory.Manifest;
using CompactMemory.Tests.Manifest;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace CompactMemory.Benchmarks;

/// <summary>
/// The manifest reader on the worst shapes found (tests/CompactMemory.Tests/Manifest/HostileManifests.cs, each as
/// large as the 1 MiB cap allows), from text and from UTF-8 bytes, plus a small valid manifest for scale. The
/// promise measured: any input of at most 1 MiB is read in at most 100 ms and 32 MB allocated.
/// <c>dotnet run -c Release --project tests/CompactMemory.Benchmarks -- --filter '*ManifestReaderBenchmarks*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class ManifestReaderBenchmarks
{
    private string _text = string.Empty;
    private byte[] _bytes = [];

    /// <summary>Every hostile shape, and the valid manifest.</summary>
    public static IEnumerable<string> Shapes => HostileManifests.Shapes.Keys.Prepend("valid_manifest");

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _text = Shape == "valid_manifest" ? HostileManifests.Valid : HostileManifests.Shapes[Shape]();
        _bytes = Encoding.UTF8.GetBytes(_text);
    }

    [Benchmark(Baseline = true)]
    public int ReadText() => EngineManifestReader.Read(_text).Problems.Count;

    [Benchmark]
    public int ReadUtf8() => EngineManifestReader.ReadUtf8(_bytes).Problems.Count;
}

/// <summary>
/// What a naive reader costs on the same input: YamlDotNet's deserializer to plain objects (no limits, no checks,
/// no messages), on the shapes it can read without blowing up, against the manifest reader in the same run.
/// <c>dotnet run -c Release --project tests/CompactMemory.Benchmarks -- --filter '*ManifestNaiveComparison*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class ManifestNaiveComparison
{
    private string _text = string.Empty;
    private readonly IDeserializer _deserializer = new DeserializerBuilder().Build();

    /// <summary>
    /// Shapes the deserializer survives: the tag-prefix bomb takes it 20 s and 8.6 GB at half size, and the deep
    /// nesting shapes overflow nothing but are refused by the reader at depth 33 anyway.
    /// </summary>
    [Params("valid_manifest", "megabyte_of_scalars", "one_long_line", "many_bad_authors", "alias_node_bomb", "alias_long_bad_authors")]
    public string Shape { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup() => _text = Shape == "valid_manifest" ? HostileManifests.Valid : HostileManifests.Shapes[Shape]();

    [Benchmark(Baseline = true)]
    public int ManifestReader() => EngineManifestReader.Read(_text).Problems.Count;

    [Benchmark]
    public object? YamlDotNetDeserialize()
    {
        try
        {
            return _deserializer.Deserialize<object>(_text);
        }
        catch (YamlException)
        {
            return null;
        }
    }
}
