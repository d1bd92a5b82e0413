using System;
using System.Collections.Generic;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using CompactMemory.Registry;

namespace CompactMemory.Benchmarks;

/// <summary>
/// The one-off start-up side of the comparison: building the id index for 500 engines, then resolving and creating
/// the first engine. The registry registers the generated descriptors and builds its index; the reflection variant
/// scans the assembly's attributes into a dictionary and activates. (Reflection's own metadata caches are
/// process-wide, so after the first iteration this is the steady-state cost of a rebuild, not a truly cold start.)
/// </summary>
[MemoryDiagnoser]
public class EngineIndexBuildBenchmarks
{
    private const string FirstId = "engine_250";

    private Assembly _assembly = null!;
    private IReadOnlyList<EngineDescriptor> _descriptors = null!;

    [GlobalSetup]
    public void Setup()
    {
        var engines = GeneratedEngines.Build();
        _assembly = engines.Assembly;
        _descriptors = engines.Descriptors;
    }

    [Benchmark(Baseline = false)]
    public object Registry_RegisterAllAndCreateFirst()
    {
        var registry = new EngineRegistry();
        var source = EngineSource.FromPackage("bench");
        foreach (var descriptor in _descriptors)
        {
            registry.Register(descriptor, source);
        }

        return registry.CreateCompressionEngine(FirstId);
    }

    [Benchmark(Baseline = true)]
    public object Reflection_BuildTypeMapAndActivateFirst()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in _assembly.GetTypes())
        {
            if (Attribute.GetCustomAttribute(type, typeof(CompressionEngineAttribute)) is CompressionEngineAttribute attribute)
            {
                map.Add(attribute.Id, type);
            }
        }

        return Activator.CreateInstance(map[FirstId])!;
    }
}
