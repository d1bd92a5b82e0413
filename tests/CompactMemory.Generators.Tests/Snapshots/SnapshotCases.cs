using System;
using System.Collections.Generic;
using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Generators.Tests.Snapshots;

/// <summary>One representative engine project: its sources, MSBuild properties and additional files.</summary>
internal sealed record SnapshotCase(
    string Name,
    string AssemblyName,
    string[] Sources,
    IReadOnlyDictionary<string, string>? Properties = null,
    IReadOnlyList<(string Path, string Text)>? AdditionalTexts = null)
{
    /// <summary>Runs the generator the way the compiler does.</summary>
    public (GeneratorDriverRunResult Run, Compilation Output) Generate()
    {
        var (run, output, _) = GeneratorHarness.Run(
            GeneratorHarness.Compilation(AssemblyName, Sources),
            Properties,
            AdditionalTexts?.Select(t => GeneratorHarness.Text(t.Path, t.Text)));
        return (run, output);
    }

    /// <summary>The baseline file of one generated file.</summary>
    public string BaselineName(string hintName) => "Snapshots/" + Name + "/" + hintName;

    public override string ToString() => Name;
}

/// <summary>The engine projects the snapshot and generated-code tests share.</summary>
internal static class SnapshotCases
{
    public const string CompressionParameterless = nameof(CompressionParameterless);
    public const string ConfigConstructors = nameof(ConfigConstructors);
    public const string NestedEngine = nameof(NestedEngine);
    public const string GlobalNamespace = nameof(GlobalNamespace);
    public const string HandWrittenManifest = nameof(HandWrittenManifest);
    public const string ProjectProperties = nameof(ProjectProperties);
    public const string RegisterOnLoad = nameof(RegisterOnLoad);
    public const string ContextEngineWithoutTools = nameof(ContextEngineWithoutTools);

    /// <summary>A hand-written manifest whose identity fields are wrong on purpose: the code's identity must win.</summary>
    public const string HandWrittenYaml = """
        # Kept by hand for the dependencies; identity comes from the code.
        package_format_version: "1.0"
        engine_id: manifested
        engine_class_name: Wrong.Namespace.WrongClass
        engine_module: WrongModule
        display_name: Hand-written Name
        version: "0.0.7"
        authors:
          - name: Ada Lovelace
            email: ada@example.com
          - name: Grace Hopper
        description: "Described by hand."
        dependencies:
          - Microsoft.Data.Sqlite >= 9.0.0
          - YamlDotNet
        requirements:
          - network access
        """;

    /// <summary>A manifest of another engine in the same project: it must not be used for <c>manifested</c>.</summary>
    public const string OtherEngineYaml = """
        package_format_version: "1.0"
        engine_id: someone_else
        engine_class_name: Other.Engine
        engine_module: Other
        display_name: Someone else
        version: "9.9.9"
        authors:
          - name: Nobody
        description: "Not this engine."
        dependencies:
          - Should.Not.Appear
        """;

    public static IReadOnlyList<SnapshotCase> All { get; } =
    [
        new(CompressionParameterless, "Acme.Compression", [
            """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace Acme.Compression;

            [CompressionEngine("head_only", DisplayName = "Head only", Version = "1.2.3", Description = "Keeps the first tokens that fit.")]
            public sealed class HeadOnlyEngine : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
                {
                    ValidateBudget(budget);
                    return new CompressedMemory(TokenizerOf(options).Truncate(text, budget)) { EngineId = Id };
                }
            }

            /// <summary>Replaces the built-in first_last on purpose.</summary>
            [CompressionEngine("first_last", OverridesBuiltIn = true)]
            internal sealed class ReplacementFirstLast : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("replacement:" + text) { EngineId = Id };
            }
            """,
        ]),
        new(ConfigConstructors, "Acme.Configured", [
            """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace Acme.Configured;

            [CompressionEngine("config_only")]
            public sealed class ConfigOnlyEngine : CompressionEngine
            {
                public ConfigOnlyEngine(EngineConfig config) : base(config) { }

                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
                    => new(Config.Get("prefix", "none:") + text) { EngineId = Id };
            }
            """,
            """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace Acme.Configured;

            [CompressionEngine("both_ctors", DisplayName = "Both constructors")]
            public sealed class BothEngine : CompressionEngine
            {
                private readonly string _made;

                public BothEngine() { _made = "parameterless:"; }

                public BothEngine(EngineConfig config) : base(config) { _made = "config:" + Config.Get("prefix", ""); }

                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(_made + text) { EngineId = Id };
            }
            """,
        ]),
        new(NestedEngine, "Acme.Nested", [
            """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace Acme.Nested;

            public partial class Outer
            {
                [CompressionEngine("nested_echo", DisplayName = "Nested echo")]
                public sealed partial class EchoEngine : CompressionEngine
                {
                    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("nested:" + text) { EngineId = Id };
                }
            }

            public partial class Outer
            {
                public int Other => 1;
            }
            """,
        ]),
        new(GlobalNamespace, "GlobalEngines", [
            """
            using CompactMemory;
            using CompactMemory.Compression;

            [CompressionEngine("global_echo")]
            public sealed class GlobalEchoEngine : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("global:" + text) { EngineId = Id };
            }
            """,
        ]),
        new(HandWrittenManifest, "Acme.Manifested", [
            """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace Acme.Manifested;

            [CompressionEngine("manifested")]
            public sealed class ManifestedEngine : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text) { EngineId = Id };
            }
            """,
        ],
        AdditionalTexts: [("/projects/Acme.Manifested/engine_package.yaml", HandWrittenYaml), ("/projects/Acme.Manifested/other/engine_package.yaml", OtherEngineYaml)]),
        new(ProjectProperties, "Acme.Props", [
            """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace Acme.Props.Engines;

            [CompressionEngine("from_properties")]
            public sealed class FromPropertiesEngine : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text) { EngineId = Id };
            }
            """,
        ],
        Properties: new Dictionary<string, string>
        {
            ["Version"] = "2.5.0-beta.1",
            ["Authors"] = "Ada Lovelace; Grace Hopper,  Alan Turing ",
            ["Description"] = "Engines described by the project's \"Description\" property.",
            ["Title"] = "Props Engines",
            ["RootNamespace"] = "Acme.Root",
        }),
        new(RegisterOnLoad, "Acme.OnLoad", [
            """
            using CompactMemory;
            using CompactMemory.Compression;

            namespace Acme.OnLoad;

            [CompressionEngine("on_load")]
            public sealed class OnLoadEngine : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new("loaded:" + text) { EngineId = Id };
            }
            """,
        ],
        Properties: new Dictionary<string, string> { ["CompactMemoryRegisterEnginesOnLoad"] = "true" }),
        new(ContextEngineWithoutTools, "Acme.Context", [
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using CompactMemory;
            using CompactMemory.Context;
            using Microsoft.Extensions.AI;

            namespace Acme.Context;

            [CompressionEngine("keep_tail", DisplayName = "Keep tail", Description = "Keeps the last messages.")]
            public sealed class KeepTailEngine : ContextEngine
            {
                public override string Name => "keep_tail";

                protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
                    IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                    => Task.FromResult<IReadOnlyList<ChatMessage>>(messages.Skip(System.Math.Max(0, messages.Count - ProtectLastN)).ToList());
            }
            """,
        ]),
    ];

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var snapshot in All)
            {
                data.Add(snapshot.Name);
            }

            return data;
        }
    }

    public static SnapshotCase Get(string name) => All.Single(c => string.Equals(c.Name, name, StringComparison.Ordinal));
}
