using System;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeRefactorings;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Analyzers.CodeFixes.Manifest;

/// <summary>
/// On <c>[CompressionEngine("id")]</c> (or the class it marks) in a project without engine_package.yaml: creates the
/// manifest in the project folder, with what the generator would write from the attribute and the project, so the
/// author can start editing it. A refactoring, not a fix: having no manifest is fine (the generator writes one), so
/// there is no diagnostic to hang it on. Not offered when the project has a manifest.
/// </summary>
[ExportCodeRefactoringProvider(LanguageNames.CSharp, Name = nameof(CreateManifestRefactoring)), Shared]
public sealed class CreateManifestRefactoring : CodeRefactoringProvider
{
    /// <summary>The equivalence key of "create engine_package.yaml".</summary>
    public const string EquivalenceKey = "CompactMemory.CreateManifest";

    /// <inheritdoc />
    public override async Task ComputeRefactoringsAsync(CodeRefactoringContext context)
    {
        try
        {
            var document = context.Document;
            var project = document.Project;
            if (ManifestText.Find(project) is not null
                || await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is not { } root
                || await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model)
            {
                return;
            }

            var node = root.FindNode(context.Span, getInnermostNodeForTie: true);
            var declaration = node.FirstAncestorOrSelf<AttributeSyntax>()?.Parent?.Parent as ClassDeclarationSyntax
                ?? (node is ClassDeclarationSyntax named && named.Identifier.Span.IntersectsWith(context.Span) ? named : null);
            if (declaration is null
                || model.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type
                || await ProjectFacts.ReadAsync(project, context.CancellationToken).ConfigureAwait(false) is not { } facts
                || facts.Engines.FirstOrDefault(e => SymbolEqualityComparer.Default.Equals(e.Type, type)) is not { Id: { } id } engine
                || facts.AssemblyName is not { } assemblyName
                || EngineIdRules.Check(id) is { Severity: ManifestSeverity.Error })
            {
                return;
            }

            var path = ManifestPath(project, document);
            context.RegisterRefactoring(CodeAction.Create(
                $"Create engine_package.yaml for '{id}'",
                cancellationToken => Task.FromResult(Create(project, path, engine, id, assemblyName, facts, cancellationToken)),
                EquivalenceKey));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Refactorings never throw: on input they cannot handle they offer nothing.
        }
    }

    /// <summary>The manifest's path: the project folder, else (a project without a file) the folder of the document.</summary>
    private static string? ManifestPath(Project project, Document document)
    {
        var folder = System.IO.Path.GetDirectoryName(project.FilePath ?? document.FilePath ?? string.Empty);
        return string.IsNullOrEmpty(folder) ? null : System.IO.Path.Combine(folder, ManifestSchema.FileName);
    }

    /// <summary>The manifest composed as the generator composes it when there is no hand-written one.</summary>
    private static Solution Create(Project project, string? path, EngineClass engine, string id, string assemblyName, ProjectFacts facts, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var displayName = engine.Named("DisplayName") ?? facts.Property("Title") ?? id;
        var manifest = new EngineManifest
        {
            PackageFormatVersion = ManifestSchema.SupportedFormatVersion,
            EngineId = id,
            EngineClassName = engine.MetadataName,
            EngineModule = assemblyName,
            DisplayName = displayName,
            Version = engine.Named("Version") ?? facts.Property("Version") ?? "1.0.0",
            Authors = (facts.Authors() ?? new[] { assemblyName }).Select(name => new ManifestAuthor(name, null)).ToList(),
            Description = engine.Named("Description") ?? facts.Property("Description") ?? displayName + " engine.",
            OverridesBuiltIn = engine.Attribute.NamedArguments.Any(a => a.Key == "OverridesBuiltIn" && a.Value.Value is true),
        };
        var text = SourceText.From(EngineManifestWriter.Write(manifest));
        return project.Solution.AddAdditionalDocument(DocumentId.CreateNewId(project.Id, ManifestSchema.FileName), ManifestSchema.FileName, text, filePath: path);
    }
}
