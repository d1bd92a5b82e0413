using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using CompactMemory.Registry;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CompactMemory.Generators.Tests.Aggregation;

/// <summary>
/// The generated <c>services.AddCompactMemoryEngines()</c>: compiled in a host, called, and its registration resolved by
/// invoking the descriptor's factory (only the DI abstractions are referenced, so a minimal collection stands in).
/// </summary>
public sealed class DependencyInjectionTests
{
    private const string Startup = """
        using Microsoft.Extensions.DependencyInjection;

        namespace Host.Di
        {
            public static class Startup
            {
                public static IServiceCollection Configure(IServiceCollection services) => services.AddCompactMemoryEngines();
            }
        }
        """;

    private static readonly Lazy<BuiltProject> A = new(() => LibraryBuilder.Build("Acme.LibA", GeneratorHarness.References, AggregationTests.LibraryA));

    [Fact]
    public void AddCompactMemoryEngines_adds_one_registry_singleton_with_built_ins_and_every_catalog_engine()
    {
        var host = LibraryBuilder.Build("Host.Di", LibraryBuilder.WithSdk(A.Value), Startup);
        var configure = LibraryBuilder.Load(host, A.Value).GetType("Host.Di.Startup", throwOnError: true)!.GetMethod("Configure")!;
        var services = new ServiceList();

        configure.Invoke(null, [services]);
        configure.Invoke(null, [services]);

        var descriptor = Assert.Single(services);
        Assert.Equal(typeof(EngineRegistry), descriptor.ServiceType);
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        var registry = Assert.IsType<EngineRegistry>(descriptor.ImplementationFactory!(new NoServices()));
        Assert.Subset(new HashSet<string>(registry.Ids), new HashSet<string> { "none", "first_last", "stopword_pruner", "pipeline", "a1", "a2" });
        Assert.Equal("built-in", registry.Get("first_last").Source.Label);
        Assert.Equal("plugin (Acme.LibA)", registry.Get("a2").Source.Label);
    }

    [Fact]
    public void Without_the_DI_abstractions_no_service_collection_extension_is_generated()
    {
        var references = GeneratorHarness.References
            .Where(r => Path.GetFileName(r.Display) != "Microsoft.Extensions.DependencyInjection.Abstractions.dll")
            .Append(A.Value.Reference);
        var host = LibraryBuilder.Build("Host.NoDi", references, "namespace Host.NoDi { public static class Nothing { } }");

        var text = host.GeneratedText("CompactMemoryEngines.g.cs")!;
        Assert.Contains("AddCompactMemoryEngines(this global::CompactMemory.Registry.EngineRegistry registry)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("IServiceCollection", text, StringComparison.Ordinal);
    }

    private sealed class ServiceList : List<ServiceDescriptor>, IServiceCollection
    {
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
