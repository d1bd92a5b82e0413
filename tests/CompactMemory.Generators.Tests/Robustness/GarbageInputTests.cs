using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Generators.Tests.Infrastructure;
using CompactMemory.Manifest;
using CompactMemory.Registry;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Generators.Tests.Robustness;

/// <summary>
/// Input the generator cannot use: it must never throw, generate nothing for what it cannot register, and never emit
/// code that adds errors of its own (the analyzers explain the author's mistakes, not the generated code).
/// </summary>
public sealed class GarbageInputTests
{
    private const string Usings = """
        using CompactMemory;
        using CompactMemory.Compression;

        """;

    private const string Body = "{ public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text) { EngineId = Id }; }";

    public static TheoryData<string, string> Unusable => new()
    {
        { "attribute without argument", $"[CompressionEngine] public sealed class E : CompressionEngine {Body}" },
        { "null id", $"[CompressionEngine(null!)] public sealed class E : CompressionEngine {Body}" },
        { "empty id", $"[CompressionEngine(\"\")] public sealed class E : CompressionEngine {Body}" },
        { "number id", $"[CompressionEngine(123)] public sealed class E : CompressionEngine {Body}" },
        { "two ids", $"[CompressionEngine(\"a\", \"b\")] public sealed class E : CompressionEngine {Body}" },
        { "generic class", $"[CompressionEngine(\"g\")] public sealed class E<T> : CompressionEngine {Body}" },
        { "nested in a generic class", $"public class Outer<T> {{ [CompressionEngine(\"g\")] public sealed class E : CompressionEngine {Body} }}" },
        { "abstract class", $"[CompressionEngine(\"a\")] public abstract class E : CompressionEngine {Body}" },
        { "static class", "[CompressionEngine(\"s\")] public static class E { }" },
        { "private nested class", $"public class Outer {{ [CompressionEngine(\"p\")] private sealed class E : CompressionEngine {Body} }}" },
        { "protected nested class", $"public class Outer {{ [CompressionEngine(\"p\")] protected sealed class E : CompressionEngine {Body} }}" },
        { "file-local class", $"[CompressionEngine(\"f\")] file sealed class E : CompressionEngine {Body}" },
        { "no engine base", "[CompressionEngine(\"n\")] public sealed class E { }" },
        { "private constructor only", $"[CompressionEngine(\"c\")] public sealed class E : CompressionEngine {{ private E() {{ }} public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text); }}" },
        { "constructor with other parameters", $"[CompressionEngine(\"c\")] public sealed class E : CompressionEngine {{ public E(int size) {{ }} public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text); }}" },
        { "struct", "[CompressionEngine(\"s\")] public struct E { }" },
        { "record struct", "[CompressionEngine(\"s\")] public record struct E;" },
        { "on an interface", "[CompressionEngine(\"i\")] public interface IE { }" },
        { "unknown base type", $"[CompressionEngine(\"u\")] public sealed class E : DoesNotExist {Body}" },
        { "unknown attribute argument", $"[CompressionEngine(Missing.Id)] public sealed class E : CompressionEngine {Body}" },
    };

    public static TheoryData<string, string> Broken => new()
    {
        { "record class", $"[CompressionEngine(\"r\")] public record class E : CompressionEngine {Body}" },
        { "attribute on two partial parts", $"[CompressionEngine(\"x\")] public sealed partial class E : CompressionEngine {Body} [CompressionEngine(\"x\")] public sealed partial class E {{ }}" },
        { "two ids on two partial parts", $"[CompressionEngine(\"x\")] public sealed partial class E : CompressionEngine {Body} [CompressionEngine(\"y\")] public sealed partial class E {{ }}" },
        { "missing member", $"[CompressionEngine(\"m\")] public sealed class E : CompressionEngine {{ }}" },
        { "named argument of the wrong type", $"[CompressionEngine(\"w\", DisplayName = 5, Version = true, OverridesBuiltIn = \"yes\")] public sealed class E : CompressionEngine {Body}" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void Unusable_classes_generate_nothing(string name, string source)
    {
        var (run, output) = Run(Usings + source);

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(run.Results[0].GeneratedSources);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
        _ = name;
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_code_never_makes_the_generator_fail_or_adds_errors_in_generated_files(string name, string source)
    {
        var (run, output) = Run(Usings + source);

        Assert.Null(run.Results[0].Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
        Assert.Empty(ErrorsInGeneratedFiles(output));
        _ = name;
    }

    [Fact]
    public void An_id_with_special_characters_is_escaped_and_round_trips()
    {
        var (_, output) = Run(Usings + $"[CompressionEngine(\"\\\"quoted\\\"\\n\\t\\\\ {{braces}} \\u2028 end\")] public sealed class E : CompressionEngine {Body}");

        var catalog = CatalogOf(GeneratorHarness.Load(output));
        Assert.Equal("\"quoted\"\n\t\\ {braces} \u2028 end", Assert.Single(catalog.Engines).Id);
    }

    [Fact]
    public void A_duplicated_id_keeps_the_first_class_by_ordinal_name_and_is_stamped_once()
    {
        var (run, output) = Run(
            Usings + $"namespace Acme {{ [CompressionEngine(\"dup\", DisplayName = \"Zulu\")] public sealed class Zulu : CompressionEngine {Body} }}",
            Usings + $"namespace Acme {{ [CompressionEngine(\"dup\", DisplayName = \"Alpha\")] public sealed class Alpha : CompressionEngine {Body} }}",
            Usings + $"namespace Acme {{ [CompressionEngine(\"other\")] public sealed class Other : CompressionEngine {Body} }}");

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        var assembly = GeneratorHarness.Load(output);
        var catalog = CatalogOf(assembly);
        Assert.Equal(["dup", "other"], catalog.Engines.Select(e => e.Id).ToArray());
        Assert.Equal("Acme.Alpha", catalog.Engines[0].EngineType.FullName);
        var stamped = assembly.GetCustomAttributes<EnginePackageManifestAttribute>().ToArray();
        Assert.Equal(["dup", "other"], stamped.Select(a => a.EngineId).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("Acme.Alpha", EngineManifestReader.Read(stamped.Single(a => a.EngineId == "dup").ManifestYaml).Manifest.EngineClassName);
    }

    [Fact]
    public void Keyword_names_with_at_compile_and_are_named_without_it_at_run_time()
    {
        var (run, output) = Run(
            Usings + $"namespace @event.@class {{ public partial class @struct {{ [CompressionEngine(\"keywords\")] public sealed partial class @class : CompressionEngine {Body} }} }}",
            Usings + "namespace @event.@class { public partial class @struct { public sealed partial class @class { } } }",
            PrefixTests.ContextEngineWithTools
                .Replace("namespace Acme.Tools;", "namespace @event.@class;", StringComparison.Ordinal)
                .Replace("class SearchableLogEngine", "class @static", StringComparison.Ordinal)
                .Replace("public SearchableLogEngine(", "public @static(", StringComparison.Ordinal));

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        var assembly = GeneratorHarness.Load(output);
        foreach (var stamped in assembly.GetCustomAttributes<EnginePackageManifestAttribute>())
        {
            var read = EngineManifestReader.Read(stamped.ManifestYaml);
            Assert.Empty(read.Problems);
            Assert.NotNull(assembly.GetType(read.Manifest.EngineClassName!, throwOnError: true));
        }

        Assert.Equal("event.class.struct+class", EngineManifestReader.Read(assembly.GetCustomAttributes<EnginePackageManifestAttribute>().Single(a => a.EngineId == "keywords").ManifestYaml).Manifest.EngineClassName);
    }

    [Fact]
    public void A_keyword_in_the_assembly_name_or_root_namespace_still_gives_a_compiling_aggregate()
    {
        var (run, output, _) = GeneratorHarness.Run(
            GeneratorHarness.Compilation("My.event.Engines", Usings + $"namespace N {{ [CompressionEngine(\"k\")] public sealed class K : CompressionEngine {Body} }}"));
        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.NotNull(GeneratorHarness.Load(output).GetType("My.event.Engines.CompactMemoryEngines"));

        var (rooted, rootedOutput, _) = GeneratorHarness.Run(
            GeneratorHarness.Compilation("Rooted", Usings + $"namespace N {{ [CompressionEngine(\"k\")] public sealed class K : CompressionEngine {Body} }}"),
            new Dictionary<string, string> { ["RootNamespace"] = "1st.base.My-Lib" });
        Assert.Null(rooted.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(rootedOutput));
        Assert.NotNull(GeneratorHarness.Load(rootedOutput).GetType("_1st.base.My_Lib.CompactMemoryEngines"));
    }

    [Fact]
    public void Unicode_identifiers_register_and_their_manifest_reads_cleanly()
    {
        var (run, output) = Run(Usings + """
            namespace Ăcme.Двигатели
            {
                [CompressionEngine("unicode_engine", DisplayName = "Ünïcödé 引擎 🚀")]
                public sealed class Сжатие引擎 : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("ü:" + text) { EngineId = Id };
                }

                public partial class Äußere
                {
                    [CompressionEngine("unicode_nested")]
                    public sealed class Innere\u0041 : CompressionEngine { public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text); }
                }
            }
            """);

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        var assembly = GeneratorHarness.Load(output);
        var catalog = CatalogOf(assembly);
        Assert.Equal("Ünïcödé 引擎 🚀", catalog.Engines.Single(e => e.Id == "unicode_engine").DisplayName);
        Assert.Equal("ü:x", ((CompressionEngine)catalog.Engines.Single(e => e.Id == "unicode_engine").Factory(new EngineCreationContext(null, new EngineRegistry()))).Compress("x", 5).Text);
        foreach (var stamped in assembly.GetCustomAttributes<EnginePackageManifestAttribute>())
        {
            var read = EngineManifestReader.Read(stamped.ManifestYaml);
            Assert.Empty(read.Problems);
            Assert.Same(catalog.Engines.Single(e => e.Id == stamped.EngineId).EngineType, assembly.GetType(read.Manifest.EngineClassName!, throwOnError: true));
        }
    }

    [Fact]
    public void Classes_whose_names_differ_only_in_case_or_by_nesting_get_distinct_files()
    {
        var (run, output) = Run(
            Usings + $"namespace N {{ [CompressionEngine(\"upper\")] public sealed class Engine : CompressionEngine {Body} [CompressionEngine(\"lower\")] public sealed class engine : CompressionEngine {Body} }}",
            Usings + $"namespace N {{ public partial class Outer {{ [CompressionEngine(\"nested\")] public sealed class Engine : CompressionEngine {Body} }} [CompressionEngine(\"flat\")] public sealed class Outer_Engine : CompressionEngine {Body} }}");

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        var hintNames = run.Results[0].GeneratedSources.Select(s => s.HintName).ToArray();
        Assert.Equal(hintNames.Length, hintNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(["flat", "lower", "nested", "upper"], GeneratorHarness.Load(output).GetCustomAttributes<EnginePackageManifestAttribute>().Select(a => a.EngineId).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_context_engine_whose_only_constructor_takes_a_configuration_is_created_with_it()
    {
        var (run, output) = Run("""
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using CompactMemory;
            using CompactMemory.Compression;
            using CompactMemory.Context;
            using Microsoft.Extensions.AI;

            [CompressionEngine("configured_context")]
            public sealed class ConfiguredContext : ContextEngine
            {
                public ConfiguredContext(EngineConfig? config) { ProtectLastN = config?.Get("keep", 2) ?? 1; }

                public override string Name => "configured_context";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult(messages);
            }
            """);

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        var registry = new EngineRegistry();
        registry.Register(CatalogOf(GeneratorHarness.Load(output)));
        Assert.Equal(1, ((ContextEngine)registry.CreateContextEngine("configured_context")).ProtectLastN);
    }

    [Fact]
    public void A_2_MB_hand_written_manifest_is_ignored_quickly()
    {
        var yaml = new StringBuilder("package_format_version: \"1.0\"\nengine_id: big\ndescription: \"");
        yaml.Append('x', 2 * 1024 * 1024).Append("\"\n");

        var stopwatch = Stopwatch.StartNew();
        var (run, output) = Run([GeneratorHarness.Text("/p/engine_package.yaml", yaml.ToString())], Usings + $"[CompressionEngine(\"big\", Description = \"Small.\")] public sealed class Big : CompressionEngine {Body}");
        stopwatch.Stop();

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        var manifest = EngineManifestReader.Read(GeneratorHarness.Load(output).GetCustomAttributes<EnginePackageManifestAttribute>().Single().ManifestYaml);
        Assert.Empty(manifest.Problems);
        Assert.Equal("Small.", manifest.Manifest.Description);
    }

    [Fact]
    public void A_yaml_alias_bomb_as_hand_written_manifest_is_harmless()
    {
        var bomb = new StringBuilder("package_format_version: \"1.0\"\nengine_id: bomb\na0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (var i = 1; i < 12; i++)
        {
            bomb.Append('a').Append(i).Append(": &a").Append(i).Append(" [")
                .Append(string.Join(", ", Enumerable.Repeat("*a" + (i - 1), 9))).Append("]\n");
        }

        bomb.Append("dependencies: *a11\nauthors: *a11\n");

        var stopwatch = Stopwatch.StartNew();
        var (run, output) = Run([GeneratorHarness.Text("engine_package.yaml", bomb.ToString())], Usings + $"[CompressionEngine(\"bomb\")] public sealed class Bomb : CompressionEngine {Body}");
        stopwatch.Stop();

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        var manifest = EngineManifestReader.Read(GeneratorHarness.Load(output).GetCustomAttributes<EnginePackageManifestAttribute>().Single().ManifestYaml);
        Assert.Empty(manifest.Problems);
        Assert.Null(manifest.Manifest.Dependencies);
    }

    [Fact]
    public void Hand_written_manifests_that_are_not_yaml_are_ignored()
    {
        var texts = new[]
        {
            GeneratorHarness.Text("a/engine_package.yaml", "\0\0\0 binary \u0001\u0002"),
            GeneratorHarness.Text("b/engine_package.yaml", "- just\n- a\n- list\n"),
            GeneratorHarness.Text("c/engine_package.yaml", "engine_id: [unclosed\n  : : :\n\t\ttabs"),
            GeneratorHarness.Text("d/engine_package.yaml", string.Empty),
            GeneratorHarness.Text("e/ENGINE_PACKAGE.YAML", "engine_id: odd\ndependencies: 5\nauthors: {}\n"),
        };

        var (run, output) = Run(texts, Usings + $"[CompressionEngine(\"odd\")] public sealed class Odd : CompressionEngine {Body}");

        Assert.Null(run.Results[0].Exception);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Empty(EngineManifestReader.Read(GeneratorHarness.Load(output).GetCustomAttributes<EnginePackageManifestAttribute>().Single().ManifestYaml).Problems);
    }

    private static (GeneratorDriverRunResult Run, Compilation Output) Run(params string[] sources) => Run([], sources);

    private static (GeneratorDriverRunResult Run, Compilation Output) Run(AdditionalText[] texts, params string[] sources)
    {
        var (run, output, _) = GeneratorHarness.Run(GeneratorHarness.Compilation("Acme.Garbage", sources), additionalTexts: texts);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
        return (run, output);
    }

    private static Diagnostic[] ErrorsInGeneratedFiles(Compilation output) =>
        output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToArray();

    private static EngineCatalog CatalogOf(Assembly assembly) =>
        (EngineCatalog)Activator.CreateInstance(assembly.GetCustomAttribute<EngineCatalogAttribute>()!.CatalogType)!;
}
