using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactMemory.Testing;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// One mistake an author seeded: the diagnostic it must raise, in which file, on the line holding
/// <see cref="LineText"/> when the file was written (read at once: the fixes change the files later).
/// </summary>
internal sealed record SeededMistake(EngineProject Project, string File, string Id, string Severity, string LineText)
{
    /// <summary>The 1-based line of <see cref="LineText"/> in the file as written.</summary>
    public int Line { get; } = LineOf(Project, File, LineText);

    /// <summary>How MSBuild prints it: <c>path(line,column): severity ID:</c>.</summary>
    public string Prefix => $"{Project.PathOf(File)}({Line.ToString(System.Globalization.CultureInfo.InvariantCulture)},";

    public override string ToString() => $"{Id} ({Severity}) in {Project.Name}/{File} line {Line}";

    private static int LineOf(EngineProject project, string file, string text)
    {
        var lines = project.Read(file).Split('\n');
        var index = Array.FindIndex(lines, line => line.Contains(text, StringComparison.Ordinal));
        return index < 0 ? throw new InvalidOperationException($"'{text}' is not in {project.Name}/{file}") : index + 1;
    }
}

/// <summary>
/// Engine projects written by hand with every mistake the analyzers know (CM0001–CM0018), each in the place an author
/// would make it: a manifest that disagrees with the code, a manifest that is not YAML, one with missing or mistyped
/// fields, engine ids and shapes the catalog cannot use, context engines whose counters or names are wrong, and tools
/// the model could not call.
/// </summary>
internal static class MistakeProjects
{
    private const string ContextUsings = """
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Threading;
        using System.Threading.Tasks;
        using CompactMemory;
        using CompactMemory.Context;
        using Microsoft.Extensions.AI;

        namespace Acme.Engines;

        """;

    private const string CompressCore =
        "    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)\n" +
        "        => Task.FromResult(messages);\n";

    /// <summary>Writes the projects and returns them with the mistakes each must show.</summary>
    public static (EngineProject[] Projects, SeededMistake[] Mistakes) Write(TempDirectory root)
    {
        var mistakes = new List<SeededMistake>();
        var projects = new List<EngineProject>();

        // The manifest disagrees with the code and the project on four fields.
        var manifest = EngineProject.Write(root, "Acme.ManifestMistakes", "net10.0", string.Empty, ("HeadEngine.cs", EngineProject.EngineSource("acme_head", "HeadEngine")));
        File.WriteAllText(manifest.PathOf("engine_package.yaml"), """
            package_format_version: "1.0"
            engine_id: acme_tail
            engine_class_name: Acme.Engines.TailEngine
            engine_module: Acme.Other
            display_name: Acme Head
            version: "9.9.9"
            authors:
              - Acme Engines Team
            description: Engines by Acme.

            """.ReplaceLineEndings("\n"));
        projects.Add(manifest);
        // CM0001 is about the code's id: it is reported at the attribute argument, the other three in the manifest.
        mistakes.Add(new(manifest, "HeadEngine.cs", "CM0001", "error", "[CompressionEngine(\"acme_head\")]"));
        mistakes.Add(new(manifest, "engine_package.yaml", "CM0002", "error", "engine_class_name: Acme.Engines.TailEngine"));
        mistakes.Add(new(manifest, "engine_package.yaml", "CM0003", "warning", "engine_module: Acme.Other"));
        mistakes.Add(new(manifest, "engine_package.yaml", "CM0018", "warning", "version: \"9.9.9\""));

        // Not YAML at all.
        var broken = EngineProject.Write(root, "Acme.BrokenManifest", "net10.0", string.Empty, ("HeadEngine.cs", EngineProject.EngineSource("acme_head", "HeadEngine")));
        File.WriteAllText(broken.PathOf("engine_package.yaml"), "package_format_version: \"1.0\"\nengine_id: [acme_head\nengine_class_name: Acme.Engines.HeadEngine\n");
        projects.Add(broken);
        mistakes.Add(new(broken, "engine_package.yaml", "CM0004", "error", "engine_id: [acme_head"));

        // YAML, but a required field is missing and another has the wrong type.
        var incomplete = EngineProject.Write(root, "Acme.IncompleteManifest", "net10.0", string.Empty, ("HeadEngine.cs", EngineProject.EngineSource("acme_head", "HeadEngine")));
        File.WriteAllText(incomplete.PathOf("engine_package.yaml"), """
            package_format_version: "1.0"
            engine_id: acme_head
            engine_module: Acme.IncompleteManifest
            display_name: Acme Head
            version: 2.3
            authors:
              - Acme Engines Team
            description: Engines by Acme.

            """.ReplaceLineEndings("\n"));
        projects.Add(incomplete);
        // A missing field has no line of its own: it is reported at the top of the file.
        mistakes.Add(new(incomplete, "engine_package.yaml", "CM0005", "error", "package_format_version:"));
        mistakes.Add(new(incomplete, "engine_package.yaml", "CM0005", "error", "version: 2.3"));

        // Engine ids and classes the catalog cannot use. Several engines: nothing to package, so packaging is off.
        var code = EngineProject.Write(
            root,
            "Acme.CodeMistakes",
            "net10.0",
            "    <CompactMemoryWriteEnginePackageFiles>false</CompactMemoryWriteEnginePackageFiles>",
            ("Ids.cs", EngineProject.EngineSource("acme spaced", "SpacedEngine")
                + EngineProject.EngineClass("AcmeCamel", "CamelEngine")
                + EngineProject.EngineClass("acme_twin", "TwinOneEngine")
                + EngineProject.EngineClass("acme_twin", "TwinTwoEngine")),
            ("Shapes.cs", EngineProject.EngineSource("acme_abstract", "AbstractEngine").Replace("public sealed class AbstractEngine", "public abstract class AbstractEngine", StringComparison.Ordinal)
                + "\n[CompressionEngine(\"acme_plain\")]\npublic sealed class PlainHelper\n{\n}\n"),
            ("Context.cs", ContextUsings +
                "[CompressionEngine(\"acme_context\")]\n" +
                "public sealed class AcmeContextEngine : ContextEngine\n" +
                "{\n" +
                "    public new long LastTotalTokens => 0;\n" +
                "    public override string Name => \"acme_other_name\";\n" +
                CompressCore +
                "    public override void UpdateFromResponse(TokenUsage usage)\n" +
                "    {\n" +
                "        System.Console.WriteLine(usage);\n" +
                "    }\n" +
                "}\n"));
        projects.Add(code);
        mistakes.Add(new(code, "Ids.cs", "CM0006", "error", "[CompressionEngine(\"acme spaced\")]"));
        mistakes.Add(new(code, "Ids.cs", "CM0006", "warning", "[CompressionEngine(\"AcmeCamel\")]"));
        mistakes.Add(new(code, "Ids.cs", "CM0007", "error", "[CompressionEngine(\"acme_twin\")]"));
        mistakes.Add(new(code, "Shapes.cs", "CM0008", "error", "public abstract class AbstractEngine"));
        mistakes.Add(new(code, "Shapes.cs", "CM0009", "error", "public sealed class PlainHelper"));
        mistakes.Add(new(code, "Context.cs", "CM0010", "error", "public sealed class AcmeContextEngine"));
        mistakes.Add(new(code, "Context.cs", "CM0012", "error", "public override string Name"));
        mistakes.Add(new(code, "Context.cs", "CM0011", "warning", "public override void UpdateFromResponse"));

        // Tools the model could not call, on a context engine that is not partial.
        var tools = EngineProject.Write(root, "Acme.ToolMistakes", "net10.0", string.Empty,
            ("HistoryEngine.cs", ContextUsings +
                "[CompressionEngine(\"acme_history\")]\n" +
                "public sealed class HistoryEngine : ContextEngine\n" +
                "{\n" +
                "    public override string Name => \"acme_history\";\n" +
                CompressCore +
                "    [EngineTool(\"read file\", Description = \"Reads a file.\")]\n" +
                "    public string ReadFile([Description(\"The file.\")] System.IO.Stream file) => \"\";\n" +
                "    [EngineTool(\"search\")]\n" +
                "    public string Search(string query) => query;\n" +
                "    [EngineTool(\"count\", Description = \"Counts.\")]\n" +
                "    public static int Count() => 0;\n" +
                "}\n"));
        // CM0016 is a suggestion by default; this project asks for it as a warning, as a team may.
        File.WriteAllText(tools.PathOf(".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.CM0016.severity = warning\n");
        projects.Add(tools);
        mistakes.Add(new(tools, "HistoryEngine.cs", "CM0013", "error", "public sealed class HistoryEngine"));
        mistakes.Add(new(tools, "HistoryEngine.cs", "CM0014", "error", "System.IO.Stream file"));
        mistakes.Add(new(tools, "HistoryEngine.cs", "CM0015", "error", "[EngineTool(\"read file\""));
        mistakes.Add(new(tools, "HistoryEngine.cs", "CM0016", "warning", "public string Search(string query)"));
        mistakes.Add(new(tools, "HistoryEngine.cs", "CM0017", "error", "public static int Count()"));

        return (projects.ToArray(), mistakes.ToArray());
    }

    /// <summary>Every source and the manifest of a project folder, as an IDE would load them (not obj/ or bin/).</summary>
    public static IEnumerable<string> SourceFiles(EngineProject project) =>
        Directory.EnumerateFiles(project.Directory, "*.cs", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal);
}
