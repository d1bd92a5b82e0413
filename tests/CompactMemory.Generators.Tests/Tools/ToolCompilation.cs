using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Context;
using CompactMemory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CompactMemory.Generators.Tests.Tools;

/// <summary>One engine source compiled with the generator and loaded, with helpers to call its tools.</summary>
internal sealed class ToolCompilation
{
    private ToolCompilation(Compilation output, Assembly assembly, string generatedSource)
    {
        Output = output;
        Assembly = assembly;
        GeneratedSource = generatedSource;
    }

    public Compilation Output { get; }

    public Assembly Assembly { get; }

    /// <summary>The generated per-engine files, concatenated.</summary>
    public string GeneratedSource { get; }

    /// <summary>Compiles the sources with the generator (nullable enabled, latest C#), asserts no errors or warnings anywhere, and loads the result.</summary>
    public static ToolCompilation Compile(string assemblyName, params string[] sources) =>
        Compile(GeneratorHarness.Compilation(assemblyName, sources), GeneratorHarness.ParseOptions);

    /// <summary>
    /// Same, with explicit parse options. <paramref name="skipAggregate"/> leaves out the per-assembly
    /// <c>CompactMemoryEngines.g.cs</c> aggregate (not part of the tool members) before compiling.
    /// </summary>
    public static ToolCompilation Compile(CSharpCompilation compilation, CSharpParseOptions parseOptions, bool skipAggregate = false)
    {
        var driver = CSharpGeneratorDriver.Create([new EngineGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        if (skipAggregate)
        {
            output = output.RemoveSyntaxTrees(output.SyntaxTrees.Where(t => t.FilePath.EndsWith("CompactMemoryEngines.g.cs", StringComparison.Ordinal)));
        }

        Assert.Empty(generatorDiagnostics);
        var generated = string.Join("\n", driver.GetRunResult().GeneratedTrees
            .Where(t => t.FilePath.EndsWith(".CompressionEngine.g.cs", StringComparison.Ordinal))
            .Select(t => t.ToString()));
        var problems = GeneratorHarness.Problems(output);
        Assert.True(problems.IsEmpty, "Problems:\n" + string.Join("\n", problems) + "\n\nGenerated:\n" + generated);
        return new ToolCompilation(output, GeneratorHarness.Load(output), generated);
    }

    public IContextEngine Create(string typeName) =>
        (IContextEngine)Activator.CreateInstance(Assembly.GetType(typeName, throwOnError: true)!)!;

    public Type Type(string typeName) => Assembly.GetType(typeName, throwOnError: true)!;

    public static string Call(IContextEngine engine, string tool, string arguments, CancellationToken cancellationToken = default) =>
        engine.HandleToolCallAsync(tool, arguments, null, cancellationToken).AsTask().GetAwaiter().GetResult();

    public static Task<string> CallAsync(IContextEngine engine, string tool, string arguments, CancellationToken cancellationToken = default) =>
        engine.HandleToolCallAsync(tool, arguments, null, cancellationToken).AsTask();

    public static IReadOnlyList<ToolSchema> StrictSchemas(Type engineType) =>
        (IReadOnlyList<ToolSchema>)engineType.GetMethod("GetStrictToolSchemas", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
}
