using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using CompactMemory.Analyzers.CodeFixes.Engines;
using CompactMemory.Analyzers.Manifest;
using CompactMemory.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// Does what an author does in the IDE: opens an engine project folder (its C# files, engine_package.yaml, its
/// Version), asks every CompactMemory code fix for its actions on every CompactMemory diagnostic, takes the first
/// action offered, and saves the changed files back to disk — one fix at a time, until no diagnostic has a fix left.
/// </summary>
internal static class OfferedFixes
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(ManifestContentAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static readonly ImmutableArray<CodeFixProvider> Providers = typeof(MakeEnginePartialCodeFix).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The IDs some code fix is registered for.</summary>
    public static ImmutableHashSet<string> FixableIds { get; } = Providers.SelectMany(p => p.FixableDiagnosticIds).ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>Applies fixes to the project on disk; returns the titles of the actions applied, in order.</summary>
    public static IReadOnlyList<string> Apply(EngineProject project, string version)
    {
        var applied = new List<string>();
        var tried = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < 50; round++)
        {
            var workspaceProject = Open(project, version);
            var next = Diagnostics(workspaceProject)
                .Where(d => FixableIds.Contains(d.Id) && !tried.Contains(Key(d)))
                .FirstOrDefault();
            if (next is null)
            {
                break;
            }

            tried.Add(Key(next));
            var action = FirstAction(workspaceProject, next);
            if (action is null)
            {
                continue;
            }

            var change = action.GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult().OfType<ApplyChangesOperation>().Single();
            Save(workspaceProject, change.ChangedSolution.GetProject(workspaceProject.Id)!);
            applied.Add(next.Id + ": " + action.Title);
        }

        return applied;
    }

    private static string Key(Diagnostic diagnostic) => diagnostic.Id + "@" + diagnostic.Location.GetLineSpan();

    private static CodeAction? FirstAction(Project project, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        TextDocument? document = diagnostic.Location.IsInSource
            ? project.GetDocument(diagnostic.Location.SourceTree)
            : project.AdditionalDocuments.SingleOrDefault(d => d.FilePath == diagnostic.Location.GetLineSpan().Path);
        if (document is null)
        {
            return null;
        }

        foreach (var provider in Providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = document is Document source
                ? new CodeFixContext(source, diagnostic, (action, _) => actions.Add(action), CancellationToken.None)
                : new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            provider.RegisterCodeFixesAsync(context).GetAwaiter().GetResult();
        }

        return actions.FirstOrDefault();
    }

    private static ImmutableArray<Diagnostic> Diagnostics(Project project)
    {
        var compilation = project.GetCompilationAsync().GetAwaiter().GetResult()!;
        return compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(project.AnalyzerOptions, null, concurrentAnalysis: false, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult()
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    private static Project Open(EngineProject project, string version)
    {
        var workspace = new AdhocWorkspace();
        var id = ProjectId.CreateNewId();
        var sources = Directory.EnumerateFiles(project.Directory, "*.cs", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal);
        var manifest = project.PathOf("engine_package.yaml");
        var config = $"is_global = true\nbuild_property.Version = {version}\nbuild_property.RootNamespace = Acme.Engines\n";
        var info = ProjectInfo.Create(id, VersionStamp.Default, project.Name, project.Name, LanguageNames.CSharp,
                filePath: project.ProjectFile,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: References.Value)
            .WithDocuments(sources.Select(path => Document(id, path, File.ReadAllText(path))))
            .WithAdditionalDocuments(File.Exists(manifest) ? [Document(id, manifest, File.ReadAllText(manifest))] : [])
            .WithAnalyzerConfigDocuments([Document(id, project.PathOf(".globalconfig"), config)]);
        return workspace.CurrentSolution.AddProject(info).GetProject(id)!;
    }

    /// <summary>Writes every C# or additional document the fix added or changed.</summary>
    private static void Save(Project before, Project after)
    {
        foreach (var document in after.Documents.Cast<TextDocument>().Concat(after.AdditionalDocuments))
        {
            var text = document.GetTextAsync().GetAwaiter().GetResult().ToString();
            var old = (TextDocument?)before.GetDocument(document.Id) ?? before.GetAdditionalDocument(document.Id);
            if (old is null || old.GetTextAsync().GetAwaiter().GetResult().ToString() != text)
            {
                var path = document.FilePath ?? Path.Combine(before.FilePath is { } file ? Path.GetDirectoryName(file)! : string.Empty, document.Name);
                File.WriteAllText(path, text);
            }
        }
    }

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(CompressionEngine).Assembly.Location, typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location])
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    private static DocumentInfo Document(ProjectId projectId, string path, string text) =>
        DocumentInfo.Create(DocumentId.CreateNewId(projectId, path), Path.GetFileName(path),
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Default, path)), filePath: path);
}
