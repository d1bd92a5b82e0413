using System.Threading;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Generators.Parsing;

/// <summary>Reads the <c>[EngineTool]</c> methods of an engine class into tool models.</summary>
internal static class ToolParser
{
    public const string EngineToolAttribute = "CompactMemory.EngineToolAttribute";

    public static EquatableArray<ToolModel> ParseTools(INamedTypeSymbol engine, Compilation compilation, CancellationToken cancellationToken)
    {
        _ = engine;
        _ = compilation;
        _ = cancellationToken;
        return EquatableArray<ToolModel>.Empty;
    }
}
