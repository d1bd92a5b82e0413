using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Robustness;

/// <summary>Engine projects may target netstandard2.0 with an old default language version; the generated code must compile there.</summary>
public sealed class LanguageVersionTests
{
    private const string OldStyleEngine = """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Acme.Old
        {
            [CompressionEngine("old_style", DisplayName = "Old style", Version = "1.0.0")]
            public sealed class OldStyleEngine : CompressionEngine
            {
                public OldStyleEngine() { }

                public OldStyleEngine(EngineConfig config) : base(config) { }

                public override CompressedMemory Compress(string text, int budget, CompressionOptions options = null)
                {
                    return new CompressedMemory(text);
                }
            }
        }
        """;

    [Fact]
    public void The_generated_code_compiles_with_CSharp_9()
    {
        Assert.Empty(ProblemsWith(LanguageVersion.CSharp9, new Dictionary<string, string> { ["CompactMemoryRegisterEnginesOnLoad"] = "true" }));
    }

    [Fact]
    public void The_generated_code_compiles_with_CSharp_7_3_as_its_header_promises()
    {
        Assert.Empty(ProblemsWith(LanguageVersion.CSharp7_3, null));
    }

    private static ImmutableArray<Diagnostic> ProblemsWith(LanguageVersion version, IReadOnlyDictionary<string, string>? properties)
    {
        var options = new CSharpParseOptions(version);
        var compilation = CSharpCompilation.Create(
            "Acme.Old",
            [CSharpSyntaxTree.ParseText(OldStyleEngine, options)],
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorHarness.Driver(properties)
            .WithUpdatedParseOptions(options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(3, output.SyntaxTrees.Count());
        return GeneratorHarness.Problems(output);
    }
}
