namespace CompactMemory.Analyzers.Tests.Infrastructure;

/// <summary>
/// Source and manifest text the tests start from. Every C# snippet begins with the same eight-line header, so the
/// first declaration after it is on line 9 and tests can name exact lines and columns.
/// </summary>
internal static class Snippets
{
    public const string Path = "/project/Engine.cs";

    public const string ManifestPath = "/project/engine_package.yaml";

    /// <summary>Eight lines: usings and the namespace.</summary>
    public const string Header =
        "using System.Collections.Generic;\n" +
        "using System.Threading;\n" +
        "using System.Threading.Tasks;\n" +
        "using CompactMemory;\n" +
        "using CompactMemory.Compression;\n" +
        "using CompactMemory.Context;\n" +
        "using Microsoft.Extensions.AI;\n" +
        "namespace Contoso.Engines;\n";

    /// <summary>A correct compression engine: attribute on line 9, class on line 10.</summary>
    public static string CompressionEngine(string id = "my_engine", string className = "MyEngine", string modifiers = "public sealed") =>
        Header +
        $"[CompressionEngine(\"{id}\")]\n" +
        $"{modifiers} class {className} : CompressionEngine\n" +
        "{\n" +
        "    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null) => throw new System.NotSupportedException();\n" +
        "}\n";

    /// <summary>A correct context engine with one tool: attribute on line 9, class on line 10, Name on line 12, tool on line 15.</summary>
    public static string ContextEngine(string id = "my_context", string name = "\"my_context\"", string modifiers = "public sealed partial", string toolModifiers = "public") =>
        ContextEngineWith(
            "    [EngineTool(\"ping\", Description = \"Answers pong.\")]\n" +
            $"    {toolModifiers} string Ping() => \"pong\";\n",
            id,
            name,
            modifiers);

    /// <summary>A context engine with the given extra members: attribute on line 9, class on line 10, Name on line 12, the members from line 14.</summary>
    public static string ContextEngineWith(string members, string id = "my_context", string name = "\"my_context\"", string modifiers = "public sealed partial") =>
        Header +
        $"[CompressionEngine(\"{id}\")]\n" +
        $"{modifiers} class MyContextEngine : ContextEngine\n" +
        "{\n" +
        $"    public override string Name => {name};\n" +
        "    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken) => Task.FromResult(messages);\n" +
        members +
        "}\n";

    /// <summary>A manifest that agrees with <see cref="CompressionEngine"/>'s defaults and version 1.0.0; engine_id on line 2.</summary>
    public static string Manifest(
        string id = "my_engine",
        string className = "Contoso.Engines.MyEngine",
        string module = "Contoso.Engines",
        string version = "\"1.0.0\"") =>
        "package_format_version: \"1.0\"\n" +
        $"engine_id: {id}\n" +
        $"engine_class_name: {className}\n" +
        $"engine_module: {module}\n" +
        "display_name: My Engine\n" +
        $"version: {version}\n" +
        "authors:\n" +
        "  - Jane Doe\n" +
        "description: Keeps what matters.\n";
}
