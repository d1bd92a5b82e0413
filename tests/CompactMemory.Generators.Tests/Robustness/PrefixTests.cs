using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Robustness;

/// <summary>
/// Half-typed code is what a generator sees most in an IDE: every prefix of a real engine file, cut line by line, and
/// of a context engine with tools, cut token by token as well (its tools give the parser the most to trip on), must
/// leave the generator running (no exception, no CS8785) and its output adding no errors of its own.
/// </summary>
public sealed class PrefixTests
{
    /// <summary>A context engine with tools, written for these tests so the tool parser sees half-typed tools too.</summary>
    internal const string ContextEngineWithTools = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Compression;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        namespace Acme.Tools;

        /// <summary>Keeps a searchable log of everything it compacted away.</summary>
        [CompressionEngine("searchable_log", DisplayName = "Searchable log", Description = "Compacts and keeps a searchable log.")]
        public sealed partial class SearchableLogEngine : ContextEngine
        {
            private readonly List<string> _log = new();

            public SearchableLogEngine() { }

            public SearchableLogEngine(EngineConfig config) { ProtectLastN = config.Get("keep", 4); }

            public override string Name => "searchable_log";

            [EngineTool("log_grep")]
            [Description("Finds logged messages that contain a pattern.")]
            public string Grep(
                [Description("The text to look for.")] string pattern,
                [Description("At most this many lines.")] int limit = 10,
                bool ignoreCase = false,
                CancellationToken cancellationToken = default)
                => string.Join("\n", _log.Where(line => line.Contains(pattern, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)).Take(limit));

            [EngineTool("log_count", Description = "Counts logged messages.")]
            public Task<int> CountAsync(string? prefix = null) => Task.FromResult(_log.Count(line => prefix is null || line.StartsWith(prefix, StringComparison.Ordinal)));

            [EngineTool("log_clear")]
            [Description("Forgets the log.")]
            public void Clear() => _log.Clear();

            protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(
                IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
            {
                var keep = Math.Min(messages.Count, ProtectLastN);
                _log.AddRange(messages.Take(messages.Count - keep).Select(m => m.Text));
                return Task.FromResult<IReadOnlyList<ChatMessage>>(messages.Skip(messages.Count - keep).ToList());
            }
        }
        """;

    private static readonly Lazy<string> Sample = new(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "ExtractiveSummarizer", "ExtractiveSummarizerEngine.cs")));

    [Fact]
    public void Every_line_prefix_of_the_sample_engine_runs_cleanly()
    {
        var cuts = LineCuts(Sample.Value);
        Assert.True(cuts.Count > 50);
        RunPrefixes(Sample.Value, cuts, checkGeneratedCode: true);
    }

    [Fact]
    public void Every_line_prefix_of_a_context_engine_with_tools_runs_cleanly()
    {
        RunPrefixes(ContextEngineWithTools, LineCuts(ContextEngineWithTools), checkGeneratedCode: true);
    }

    [Fact]
    public void Every_token_prefix_of_a_context_engine_with_tools_runs_cleanly()
    {
        var cuts = CSharpSyntaxTree.ParseText(ContextEngineWithTools, GeneratorHarness.ParseOptions).GetRoot()
            .DescendantTokens()
            .Select(token => token.Span.End)
            .Distinct()
            .ToList();
        Assert.True(cuts.Count > 300);
        RunPrefixes(ContextEngineWithTools, cuts, checkGeneratedCode: false);
    }

    /// <summary>
    /// Feeds the prefixes to one driver in order, as typing does (so the incremental paths run too), checking each run.
    /// With <paramref name="checkGeneratedCode"/>, also compiles each output: errors may sit in the half-typed file,
    /// never in a generated one.
    /// </summary>
    private static void RunPrefixes(string text, IReadOnlyList<int> cuts, bool checkGeneratedCode)
    {
        var compilation = GeneratorHarness.Compilation("Acme.Prefixes", string.Empty);
        var tree = compilation.SyntaxTrees[0];
        var driver = GeneratorHarness.Driver();
        foreach (var cut in cuts.Append(text.Length))
        {
            var prefix = text.Substring(0, cut);
            var next = CSharpSyntaxTree.ParseText(prefix, GeneratorHarness.ParseOptions, tree.FilePath);
            compilation = compilation.ReplaceSyntaxTree(tree, next);
            tree = next;

            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
            var result = driver.GetRunResult().Results[0];
            Assert.True(result.Exception is null, $"The generator threw on the prefix ending at {cut}:\n{Tail(prefix)}\n{result.Exception}");
            Assert.DoesNotContain(diagnostics.Concat(result.Diagnostics), d => d.Id == "CS8785");
            if (checkGeneratedCode)
            {
                // Only the generated trees are bound: cheaper than the whole compilation, and errors there are ours.
                var generatedErrors = output.SyntaxTrees
                    .Where(generated => generated != tree)
                    .SelectMany(generated => output.GetSemanticModel(generated).GetDiagnostics())
                    .Where(d => d.Severity == DiagnosticSeverity.Error)
                    .ToArray();
                Assert.True(generatedErrors.Length == 0, $"Generated code has errors for the prefix ending at {cut}:\n{Tail(prefix)}\n{string.Join("\n", generatedErrors.Select(d => d.ToString()))}");
            }
        }
    }

    private static List<int> LineCuts(string text)
    {
        var cuts = new List<int>();
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            cuts.Add(i + 1);
        }

        return cuts;
    }

    private static string Tail(string text) => text.Length <= 300 ? text : "…" + text[^300..];

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CompactMemory.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CompactMemory.Sdk.sln) was not found above " + AppContext.BaseDirectory);
    }
}
