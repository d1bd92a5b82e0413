using System;
using System.Collections.Generic;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using CompactMemory.Compression;
using CompactMemory.Registry;

namespace CompactMemory.Benchmarks;

/// <summary>
/// Resolving one engine by id among 500 and creating it: through <see cref="EngineRegistry"/> (descriptors with
/// generated factories) versus what a user does without the SDK: scan an assembly for <see cref="CompressionEngineAttribute"/>
/// and activate the match, either scanning on every lookup or with a hand-built id-to-type cache.
/// </summary>
[MemoryDiagnoser]
public class EngineLookupBenchmarks
{
    private EngineRegistry _registry = null!;
    private Assembly _assembly = null!;
    private Dictionary<string, Type> _typeMap = null!;

    /// <summary>The id looked up: first, middle and last engine, so a scan that stops at the first match shows its position cost.</summary>
    [Params("engine_000", "engine_250", "engine_499")]
    public string Id { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var engines = GeneratedEngines.Build();
        _assembly = engines.Assembly;

        _registry = new EngineRegistry();
        var source = EngineSource.FromPackage("bench");
        foreach (var descriptor in engines.Descriptors)
        {
            _registry.Register(descriptor, source);
        }

        // Warm the registry once: the first lookup builds its id index.
        if (_registry.Ids.Count != GeneratedEngines.Count)
        {
            throw new InvalidOperationException($"Registry lists {_registry.Ids.Count} engines; expected {GeneratedEngines.Count}.");
        }

        _typeMap = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in _assembly.GetTypes())
        {
            if (Attribute.GetCustomAttribute(type, typeof(CompressionEngineAttribute)) is CompressionEngineAttribute attribute)
            {
                _typeMap.Add(attribute.Id, type);
            }
        }

        // Every variant must create the same engine, or the comparison means nothing.
        foreach (var engine in new[] { Registry_CreateCompressionEngine(), Reflection_ScanAndActivate(), Reflection_CachedTypeMap_Activate() })
        {
            if (engine.Id != Id)
            {
                throw new InvalidOperationException($"Expected engine '{Id}', got '{engine.Id}' ({engine.GetType().FullName}).");
            }
        }
    }

    [Benchmark(Baseline = false)]
    public CompressionEngine Registry_CreateCompressionEngine() => _registry.CreateCompressionEngine(Id);

    /// <summary>No cache: every lookup enumerates the assembly's types and reads their attributes until the id matches.</summary>
    [Benchmark(Baseline = true)]
    public CompressionEngine Reflection_ScanAndActivate()
    {
        foreach (var type in _assembly.GetTypes())
        {
            if (Attribute.GetCustomAttribute(type, typeof(CompressionEngineAttribute)) is CompressionEngineAttribute attribute
                && string.Equals(attribute.Id, Id, StringComparison.Ordinal))
            {
                return (CompressionEngine)Activator.CreateInstance(type)!;
            }
        }

        throw new InvalidOperationException($"No engine '{Id}'.");
    }

    /// <summary>The fairer hand-written variant: the id-to-type map is built once (in setup), each lookup only activates.</summary>
    [Benchmark]
    public CompressionEngine Reflection_CachedTypeMap_Activate() => (CompressionEngine)Activator.CreateInstance(_typeMap[Id])!;
}
