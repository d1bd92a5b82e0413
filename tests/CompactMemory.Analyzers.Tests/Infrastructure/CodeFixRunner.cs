using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CodeRefactorings;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CompactMemory.Analyzers.Tests.Infrastructure;

/// <summary>
/// Applies code fixes the way an IDE does: the project lives in an <see cref="AdhocWorkspace"/> (C# documents,
/// engine_package.yaml as an additional document, build properties in a global analyzer config), every
/// CompactMemory analyzer runs over its compilation, the provider is asked for its actions on one diagnostic (or for
/// its Fix All action), and the changed solution is read back and analyzed again.
/// </summary>
internal sealed class CodeFixRunner
{
    public const string ManifestPath = "/project/engine_package.yaml";

    private readonly List<(string Path, string Text)> _sources = [];
    private readonly List<(string Path, string Text)> _additional = [];
    private readonly Dictionary<string, string> _buildProperties = new(StringComparer.Ordinal) { ["Version"] = "1.0.0" };
    private string? _projectFile;

    /// <summary>Adds a C# file; the path is what diagnostics report.</summary>
    public CodeFixRunner Source(string path, string text)
    {
        _sources.Add((path, text));
        return this;
    }

    /// <summary>Adds the project's engine_package.yaml as an additional document.</summary>
    public CodeFixRunner Manifest(string text, string path = ManifestPath)
    {
        _additional.Add((path, text));
        return this;
    }

    /// <summary>Sets an MSBuild property the way CompilerVisibleProperty does.</summary>
    public CodeFixRunner BuildProperty(string name, string value)
    {
        _buildProperties[name] = value;
        return this;
    }

    /// <summary>Gives the project a file path (an AdhocWorkspace project has none unless told).</summary>
    public CodeFixRunner ProjectFile(string path)
    {
        _projectFile = path;
        return this;
    }

    /// <summary>The project as an IDE would hold it.</summary>
    public Project CreateProject()
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var config = "is_global = true\n" + string.Join("\n", _buildProperties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"build_property.{p.Key} = {p.Value}")) + "\n";
        var info = ProjectInfo.Create(projectId, VersionStamp.Default, AnalyzerRunner.AssemblyName, AnalyzerRunner.AssemblyName, LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: AnalyzerRunner.References)
            .WithDocuments(_sources.Select(s => Document(projectId, s.Path, s.Text)))
            .WithAdditionalDocuments(_additional.Select(a => Document(projectId, a.Path, a.Text)))
            .WithAnalyzerConfigDocuments([Document(projectId, "/project/.globalconfig", config)]);
        info = info.WithFilePath(_projectFile);
        var solution = workspace.CurrentSolution.AddProject(info);
        return solution.GetProject(projectId)!;
    }

    /// <summary>Every diagnostic of our analyzers in the project, sorted by place; fails on analyzer exceptions.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        var exceptions = new List<Exception>();
        var withAnalyzers = compilation.WithAnalyzers(
            AnalyzerRunner.AllAnalyzers,
            new CompilationWithAnalyzersOptions(project.AnalyzerOptions, (ex, _, _) => { lock (exceptions) { exceptions.Add(ex); } }, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
        Assert.True(exceptions.Count == 0, "Analyzer exceptions:\n" + string.Join("\n", exceptions));
        return diagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.GetLineSpan().StartLinePosition)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>The titles and equivalence keys the provider offers for the <paramref name="index"/>th diagnostic with the id.</summary>
    public async Task<ImmutableArray<CodeAction>> ActionsAsync(CodeFixProvider provider, string diagnosticId, int index = 0)
    {
        var project = CreateProject();
        var diagnostic = await FindAsync(project, diagnosticId, index).ConfigureAwait(false);
        return await ActionsForAsync(project, provider, diagnostic).ConfigureAwait(false);
    }

    /// <summary>Applies the action with the equivalence key offered for the <paramref name="index"/>th diagnostic with the id.</summary>
    public async Task<FixResult> ApplyAsync(CodeFixProvider provider, string diagnosticId, string equivalenceKey, int index = 0)
    {
        var project = CreateProject();
        var diagnostic = await FindAsync(project, diagnosticId, index).ConfigureAwait(false);
        var actions = await ActionsForAsync(project, provider, diagnostic).ConfigureAwait(false);
        var action = actions.SingleOrDefault(a => a.EquivalenceKey == equivalenceKey);
        Assert.True(action is not null, $"No action '{equivalenceKey}' for {diagnostic}; offered: {string.Join(", ", actions.Select(a => a.EquivalenceKey + " (" + a.Title + ")"))}");
        return new FixResult(project, await ChangedSolutionAsync(action!).ConfigureAwait(false));
    }

    /// <summary>Applies the provider's Fix All action to every diagnostic with the id in the scope around the first one.</summary>
    public async Task<FixResult> FixAllAsync(CodeFixProvider provider, string diagnosticId, string equivalenceKey, FixAllScope scope)
    {
        var project = CreateProject();
        var diagnostic = await FindAsync(project, diagnosticId, 0).ConfigureAwait(false);
        var document = project.GetDocument(diagnostic.Location.SourceTree);
        Assert.True(document is not null, "Fix All starts from a diagnostic in a C# document: " + diagnostic);
        var fixAll = provider.GetFixAllProvider();
        Assert.True(fixAll is not null, provider.GetType().Name + " has no Fix All provider");
        var context = new FixAllContext(document!, provider, scope, equivalenceKey, [diagnosticId], new AnalyzerDiagnosticProvider(), CancellationToken.None);
        var action = await fixAll!.GetFixAsync(context).ConfigureAwait(false);
        Assert.True(action is not null, "Fix All produced no action");
        return new FixResult(project, await ChangedSolutionAsync(action!).ConfigureAwait(false));
    }

    /// <summary>The refactorings the provider offers with the caret on the first <paramref name="marker"/> in the C# document.</summary>
    public async Task<ImmutableArray<CodeAction>> RefactoringsAsync(CodeRefactoringProvider provider, string path, string marker) =>
        await RefactoringsForAsync(CreateProject(), provider, path, marker).ConfigureAwait(false);

    /// <summary>Applies the refactoring with the equivalence key offered on the first <paramref name="marker"/> in the C# document.</summary>
    public async Task<FixResult> ApplyRefactoringAsync(CodeRefactoringProvider provider, string path, string marker, string equivalenceKey)
    {
        var project = CreateProject();
        var actions = await RefactoringsForAsync(project, provider, path, marker).ConfigureAwait(false);
        var action = actions.SingleOrDefault(a => a.EquivalenceKey == equivalenceKey);
        Assert.True(action is not null, $"No refactoring '{equivalenceKey}' at '{marker}'; offered: {string.Join(", ", actions.Select(a => a.EquivalenceKey + " (" + a.Title + ")"))}");
        return new FixResult(project, await ChangedSolutionAsync(action!).ConfigureAwait(false));
    }

    private static async Task<ImmutableArray<CodeAction>> RefactoringsForAsync(Project project, CodeRefactoringProvider provider, string path, string marker)
    {
        var document = project.Documents.Single(d => d.FilePath == path);
        var text = (await document.GetTextAsync().ConfigureAwait(false)).ToString();
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' is not in {path}");
        var actions = new List<CodeAction>();
        await provider.ComputeRefactoringsAsync(new CodeRefactoringContext(document, new TextSpan(at, marker.Length), actions.Add, CancellationToken.None)).ConfigureAwait(false);
        return actions.ToImmutableArray();
    }

    private static async Task<Diagnostic> FindAsync(Project project, string diagnosticId, int index)
    {
        var diagnostics = (await AnalyzeAsync(project).ConfigureAwait(false)).Where(d => d.Id == diagnosticId).ToArray();
        Assert.True(diagnostics.Length > index, $"Expected at least {index + 1} {diagnosticId}, got {diagnostics.Length}");
        return diagnostics[index];
    }

    private static async Task<ImmutableArray<CodeAction>> ActionsForAsync(Project project, CodeFixProvider provider, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        void Register(CodeAction action, ImmutableArray<Diagnostic> _) => actions.Add(action);
        CodeFixContext context;
        if (diagnostic.Location.IsInSource)
        {
            context = new CodeFixContext(project.GetDocument(diagnostic.Location.SourceTree)!, diagnostic, Register, CancellationToken.None);
        }
        else
        {
            // Manifest diagnostics sit in engine_package.yaml: the fix is offered on that additional document.
            var path = diagnostic.Location.GetLineSpan().Path;
            var additional = project.AdditionalDocuments.SingleOrDefault(d => d.FilePath == path);
            Assert.True(additional is not null, "No document for " + diagnostic);
            context = new CodeFixContext(additional!, diagnostic, Register, CancellationToken.None);
        }

        await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return actions.ToImmutableArray();
    }

    private static async Task<Solution> ChangedSolutionAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
        var apply = operations.OfType<ApplyChangesOperation>().SingleOrDefault();
        Assert.True(apply is not null, $"'{action.Title}' changes no solution");
        return apply!.ChangedSolution;
    }

    private static DocumentInfo Document(ProjectId projectId, string path, string text) =>
        DocumentInfo.Create(DocumentId.CreateNewId(projectId, path), System.IO.Path.GetFileName(path),
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Default, path)), filePath: path);

    /// <summary>What Fix All asks for: our analyzers' diagnostics in a document or in the project.</summary>
    private sealed class AnalyzerDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return (await AnalyzeAsync(document.Project).ConfigureAwait(false)).Where(d => d.Location.SourceTree == tree);
        }

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            (await AnalyzeAsync(project).ConfigureAwait(false)).Where(d => !d.Location.IsInSource);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await AnalyzeAsync(project).ConfigureAwait(false);
    }
}

/// <summary>The project before and after a fix: its texts, and the fixed project analyzed and compiled again.</summary>
internal sealed class FixResult(Project before, Solution after)
{
    public Project Before { get; } = before;

    public Project After { get; } = after.GetProject(before.Id)!;

    /// <summary>The text of a C# document after the fix.</summary>
    public string Source(string path) => After.Documents.Single(d => d.FilePath == path).GetTextAsync().GetAwaiter().GetResult().ToString();

    /// <summary>The text of an additional document (engine_package.yaml) after the fix, or null when there is none.</summary>
    public string? Additional(string path = CodeFixRunner.ManifestPath) =>
        After.AdditionalDocuments.SingleOrDefault(d => d.FilePath == path)?.GetTextAsync().GetAwaiter().GetResult().ToString();

    /// <summary>Our diagnostics on the fixed project.</summary>
    public ImmutableArray<Diagnostic> Diagnostics() => CodeFixRunner.AnalyzeAsync(After).GetAwaiter().GetResult();

    /// <summary>Asserts the fixed project compiles (no compiler errors) and no longer has the diagnostic.</summary>
    public void AssertFixed(string diagnosticId)
    {
        var compilation = After.GetCompilationAsync().GetAwaiter().GetResult()!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The fixed project does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        var remaining = Diagnostics().Where(d => d.Id == diagnosticId).ToArray();
        Assert.True(remaining.Length == 0, $"{diagnosticId} remains after the fix:\n" + string.Join("\n", remaining.Select(d => d.ToString())));
    }
}
