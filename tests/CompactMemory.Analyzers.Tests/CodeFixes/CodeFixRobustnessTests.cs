using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Analyzers.CodeFixes.Engines;
using CompactMemory.Analyzers.CodeFixes.Tools;
using CompactMemory.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace CompactMemory.Analyzers.Tests.CodeFixes;

/// <summary>Half-typed code never makes a code fix throw, whether it registers actions or computes them.</summary>
public sealed class CodeFixRobustnessTests
{
    private static readonly CodeFixProvider[] Providers =
    [
        new AddTokenCountersCodeFix(), new MaintainTokenCountersCodeFix(), new ReturnEngineIdFromNameCodeFix(), new AddToolDescriptionCodeFix(),
    ];

    /// <summary>CM0010, CM0011 (method and property), CM0012 and CM0016 all in one file.</summary>
    private static string Source() =>
        Snippets.ContextEngineWith(
            "    public override void UpdateFromResponse(TokenUsage usage) => System.Console.WriteLine(usage);\n" +
            "    public override Task<IReadOnlyList<ChatMessage>> CompressAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens = null, string? focusTopic = null, bool force = false, string memoryContext = \"\", CancellationToken cancellationToken = default)\n" +
            "    {\n" +
            "        if (force)\n" +
            "        {\n" +
            "            return Task.FromResult(messages);\n" +
            "        }\n" +
            "\n" +
            "        return Task.FromResult(messages);\n" +
            "    }\n" +
            "    [EngineTool(\"search\")]\n" +
            "    public string Search([System.Obsolete] string query, int limit) => \"\";\n",
            name: "\"other\"")
        + DirectEngine.Class(counters: "    public int LastPromptTokens { get => 0; set { } }\n    int IContextEngine.ContextLength { get; set; }\n", className: "Bare", id: "bare");

    [Fact]
    public async Task Every_line_prefix_is_fixed_without_exceptions()
    {
        var text = Source();
        var cuts = new List<int>();
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            cuts.Add(i);
        }

        cuts.Add(text.Length);
        var offered = 0;
        foreach (var cut in cuts)
        {
            var project = new CodeFixRunner().Source(Snippets.Path, text[..cut]).CreateProject();
            var document = project.Documents.Single();
            foreach (var diagnostic in (await CodeFixRunner.AnalyzeAsync(project)).Where(d => d.Location.IsInSource))
            {
                foreach (var provider in Providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    var actions = new List<CodeAction>();
                    try
                    {
                        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                        foreach (var action in actions)
                        {
                            await action.GetOperationsAsync(CancellationToken.None);
                            offered++;
                        }
                    }
                    catch (Exception ex)
                    {
                        Assert.Fail($"{provider.GetType().Name} threw at offset {cut} on {diagnostic}:\n{ex}");
                    }
                }
            }
        }

        Assert.True(offered > 0, "No fix was ever offered: the source no longer triggers the diagnostics");
    }
}
