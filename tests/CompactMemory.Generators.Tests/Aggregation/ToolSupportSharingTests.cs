using System.Linq;
using Xunit;

namespace CompactMemory.Generators.Tests.Aggregation;

/// <summary>The tool-dispatch helpers are emitted once per assembly, and two engine assemblies never clash over them.</summary>
public sealed class ToolSupportSharingTests
{
    private static string ToolEngine(string ns, string id) => $$"""
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        namespace {{ns}};

        [CompressionEngine("{{id}}")]
        public sealed partial class Engine_{{id}} : ContextEngine
        {
            public override string Name => "{{id}}";

            protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
                => Task.FromResult(messages);

            [EngineTool("echo_{{id}}"), Description("Echoes.")]
            public string Echo([Description("Text.")] string text, int times = 1) => text;
        }
        """;

    [Fact]
    public void Three_engines_with_tools_share_one_support_file()
    {
        var project = LibraryBuilder.Build("Acme.Three", LibraryBuilder.WithSdk(), ToolEngine("Acme.Three", "a"), ToolEngine("Acme.Three", "b"), ToolEngine("Acme.Three", "c"));

        var hintNames = project.Run.Results[0].GeneratedSources.Select(s => s.HintName).ToArray();

        Assert.Single(hintNames, name => name == "CompactMemoryToolSupport.g.cs");
        Assert.Contains("internal static class __CompactMemoryToolSupport_Acme_ThreeEngineCatalog", project.GeneratedText("CompactMemoryToolSupport.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_that_sees_another_engine_assemblys_internals_compiles_without_a_clash()
    {
        var first = LibraryBuilder.Build(
            "Acme.First",
            LibraryBuilder.WithSdk(),
            ToolEngine("Acme.First", "first"),
            "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Acme.Second\")]");

        // Build asserts the second project compiles with no warning: CS0436 (a type clash with an imported type) would fail it.
        var second = LibraryBuilder.Build("Acme.Second", LibraryBuilder.WithSdk(first), ToolEngine("Acme.Second", "second"));

        Assert.NotNull(second.GeneratedText("CompactMemoryToolSupport.g.cs"));
    }

    [Fact]
    public void An_assembly_without_tools_gets_no_support_file()
    {
        var project = LibraryBuilder.Build("Acme.NoTools", LibraryBuilder.WithSdk(), """
            using CompactMemory;
            using CompactMemory.Compression;
            namespace Acme.NoTools;
            [CompressionEngine("plain")]
            public sealed class Plain : CompressionEngine
            {
                public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => new(text);
            }
            """);

        Assert.Null(project.GeneratedText("CompactMemoryToolSupport.g.cs"));
    }
}
