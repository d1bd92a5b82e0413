using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.Compression;
using CompactMemory.Generators.Tests.Infrastructure;
using CompactMemory.Registry;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Generators.Tests.Aggregation;

/// <summary>
/// Compile-time aggregation across assemblies: a host sees the catalogs of the engine libraries it references (read
/// from their assembly attribute, no reflection at run time) and lists them after its own.
/// </summary>
public sealed class AggregationTests
{
    internal const string LibraryA = """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Acme.LibA
        {
            [CompressionEngine("a2", DisplayName = "A two")]
            public sealed class A2 : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("a2:" + text) { EngineId = Id };
            }

            [CompressionEngine("a1")]
            internal sealed class A1 : CompressionEngine
            {
                public A1(EngineConfig? config = null) : base(config) { }

                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("a1:" + text) { EngineId = Id };
            }
        }
        """;

    private const string LibraryZ = """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Zed
        {
            [CompressionEngine("z1")]
            public sealed class Z1 : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("z1:" + text) { EngineId = Id };
            }
        }
        """;

    private const string HostB = """
        using CompactMemory.Registry;

        namespace Host.B
        {
            public static class Program
            {
                public static EngineRegistry Registry() => new EngineRegistry().AddCompactMemoryEngines();
            }
        }
        """;

    private const string HostC = """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Host.C
        {
            [CompressionEngine("c1")]
            public sealed class C1 : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("c1:" + text) { EngineId = Id };
            }
        }
        """;

    private static readonly Lazy<BuiltProject> A = new(() => LibraryBuilder.Build("Acme.LibA", GeneratorHarness.References, LibraryA));
    private static readonly Lazy<BuiltProject> Z = new(() => LibraryBuilder.Build("Zed.LibZ", GeneratorHarness.References, LibraryZ));

    [Fact]
    public void A_host_without_engines_aggregates_the_referenced_library_and_registers_it()
    {
        var b = LibraryBuilder.Build("Host.B", LibraryBuilder.WithSdk(A.Value), HostB);

        var text = b.GeneratedText("CompactMemoryEngines.g.cs");
        Assert.NotNull(text);
        Assert.DoesNotContain("EngineCatalogAttribute", text, StringComparison.Ordinal);
        Assert.DoesNotContain("class Host_BEngineCatalog", text, StringComparison.Ordinal);
        Assert.Single(b.Run.Results[0].GeneratedSources);

        var assembly = LibraryBuilder.Load(b, A.Value);
        Assert.Null(assembly.GetCustomAttribute<EngineCatalogAttribute>());
        Assert.Equal(["a1", "a2"], AllIds(assembly, "Host.B"));

        var registry = (EngineRegistry)assembly.GetType("Host.B.Program", throwOnError: true)!.GetMethod("Registry")!.Invoke(null, null)!;
        Assert.Equal(["a1", "a2"], registry.Ids);
        Assert.Equal("plugin (Acme.LibA)", registry.Get("a1").Source.Label);
        Assert.Equal("A two", registry.Get("a2").DisplayName);
        var config = new EngineConfig();
        Assert.Same(config, registry.CreateCompressionEngine("a1", config).Config);
        Assert.Equal("a2:x", registry.CreateCompressionEngine("a2").Compress("x", 5).Text);
    }

    [Fact]
    public void A_host_with_its_own_engine_lists_its_catalog_first_then_references_in_ordinal_order()
    {
        var c = LibraryBuilder.Build("Host.C", LibraryBuilder.WithSdk(Z.Value, A.Value), HostC);

        var assembly = LibraryBuilder.Load(c, A.Value, Z.Value);
        var catalogs = (IReadOnlyList<EngineCatalog>)Aggregate(assembly, "Host.C").GetProperty("Catalogs")!.GetValue(null)!;

        Assert.Equal(["Host.C", "Acme.LibA", "Zed.LibZ"], catalogs.Select(catalog => catalog.GetType().Assembly.GetName().Name!).ToArray());
        Assert.Equal(["c1", "a1", "a2", "z1"], AllIds(assembly, "Host.C"));
        Assert.Same(assembly.GetCustomAttribute<EngineCatalogAttribute>()!.CatalogType, catalogs[0].GetType());
    }

    [Fact]
    public void Each_referenced_catalog_is_listed_once_even_through_a_library_that_aggregates_it()
    {
        var c = LibraryBuilder.Build("Host.C", LibraryBuilder.WithSdk(A.Value), HostC);
        var d = LibraryBuilder.Build("Host.D", LibraryBuilder.WithSdk(A.Value, c), "namespace Host.D { public static class Nothing { } }");

        var assembly = LibraryBuilder.Load(d, A.Value, c);

        Assert.Equal(["a1", "a2", "c1"], AllIds(assembly, "Host.D"));
    }

    [Fact]
    public void Libraries_whose_names_read_alike_as_identifiers_get_distinct_catalogs()
    {
        var libraries = new[] { "Acme.X", "Acme_X", "Acme-X" }
            .Select((name, i) => LibraryBuilder.Build(name, GeneratorHarness.References, $$"""
                namespace Lib{{i}}
                {
                    [CompactMemory.CompressionEngine("engine{{i}}")]
                    public sealed class Engine : CompactMemory.Compression.CompressionEngine
                    {
                        public override CompactMemory.Compression.CompressedMemory Compress(string text, int budget, CompactMemory.Compression.CompressionOptions? options = null) => new(text);
                    }
                }
                """))
            .ToArray();

        var host = LibraryBuilder.Build("Host.Alike", LibraryBuilder.WithSdk(libraries), "namespace Host.Alike { public static class Nothing { } }");

        Assert.Equal(["engine0", "engine1", "engine2"], AllIds(LibraryBuilder.Load(host, libraries), "Host.Alike").Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_host_without_the_runtime_gets_the_catalog_list_but_no_registry_extension()
    {
        var references = GeneratorHarness.References.Where(r => Path.GetFileName(r.Display) != "CompactMemory.dll").Append(A.Value.Reference);
        var b = LibraryBuilder.Build("Host.NoRuntime", references, "namespace Host.NoRuntime { public static class Nothing { } }");

        var text = b.GeneratedText("CompactMemoryEngines.g.cs")!;
        Assert.Contains("Acme_LibAEngineCatalog()", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AddCompactMemoryEngines", text, StringComparison.Ordinal);
        Assert.Equal(["a1", "a2"], AllIds(LibraryBuilder.Load(b, A.Value), "Host.NoRuntime"));
    }

    [Fact]
    public void A_library_without_CompactMemory_references_generates_nothing()
    {
        var framework = GeneratorHarness.References.Where(r => !Path.GetFileName(r.Display)!.StartsWith("CompactMemory", StringComparison.Ordinal));
        var plain = LibraryBuilder.Build("Plain", framework, "namespace Plain { public sealed class CompressionEngineAttribute(string id) : System.Attribute { public string Id => id; } [CompressionEngine(\"look_alike\")] public sealed class LookAlike { } }");

        Assert.Empty(plain.Run.Results[0].GeneratedSources);
    }

    [Fact]
    public void A_library_with_the_contracts_but_no_engines_and_no_engine_references_generates_nothing()
    {
        var contractsOnly = LibraryBuilder.Build("ContractsOnly", GeneratorHarness.References, "namespace ContractsOnly { public static class Nothing { public static System.Type T => typeof(CompactMemory.EngineCatalog); } }");

        Assert.Empty(contractsOnly.Run.Results[0].GeneratedSources);
    }

    [Fact]
    public void A_library_with_no_engines_referencing_a_library_without_a_catalog_generates_nothing()
    {
        var noEngines = LibraryBuilder.Build("NoEngines", GeneratorHarness.References, "namespace NoEngines { public static class Helper { public static CompactMemory.Compression.CompressionOptions Options() => new(); } }");
        var host = LibraryBuilder.Build("Host.E", LibraryBuilder.WithSdk(noEngines), "namespace Host.E { public static class Nothing { } }");

        Assert.Empty(host.Run.Results[0].GeneratedSources);
    }

    private static Type Aggregate(Assembly assembly, string ns) => assembly.GetType(ns + ".CompactMemoryEngines", throwOnError: true)!;

    private static string[] AllIds(Assembly assembly, string ns) =>
        ((IReadOnlyList<EngineDescriptor>)Aggregate(assembly, ns).GetProperty("All")!.GetValue(null)!).Select(e => e.Id).ToArray();
}
