using System;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CompactMemory.Analyzers.CodeFixes.Manifest;

/// <summary>
/// CM0002 (engine_class_name names no engine class), CM0003 (engine_module is not the assembly name) and CM0018
/// (version is not the project's): sets the value in engine_package.yaml, in place, to the engine class's runtime
/// name, the assembly name, or the project's <c>Version</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ManifestValueCodeFix)), Shared]
public sealed class ManifestValueCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of "set engine_class_name to the engine class".</summary>
    public const string ClassNameKey = "CM0002.UpdateManifest";

    /// <summary>The equivalence key of "set engine_module to the assembly name".</summary>
    public const string ModuleKey = "CM0003.UpdateManifest";

    /// <summary>The equivalence key of "set version to the project's version".</summary>
    public const string VersionKey = "CM0018.UpdateManifest";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.ManifestClassNameDoesNotNameEngine, DiagnosticIds.ManifestModuleDiffersFromAssembly, DiagnosticIds.ManifestVersionDiffersFromProject);

    /// <inheritdoc />
    /// <remarks>
    /// No Fix All: each diagnostic is one line of one project's manifest (one per project at most), and the batch fixer
    /// merges C# document changes only, so it would drop these additional-document edits.
    /// </remarks>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        try
        {
            var document = context.TextDocument;
            if (!ManifestText.IsManifest(document) || await ProjectFacts.ReadAsync(document.Project, context.CancellationToken).ConfigureAwait(false) is not { } facts)
            {
                return;
            }

            var text = await document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var (field, value, key) = diagnostic.Id switch
                {
                    DiagnosticIds.ManifestClassNameDoesNotNameEngine => (ManifestSchema.EngineClassName, facts.EngineFor(ManifestText.Read(text).Manifest)?.MetadataName, ClassNameKey),
                    DiagnosticIds.ManifestModuleDiffersFromAssembly => (ManifestSchema.EngineModule, facts.AssemblyName, ModuleKey),
                    _ => (ManifestSchema.Version, facts.Property("Version"), VersionKey),
                };
                if (value is null || ManifestText.SetString(text, field, value) is not { } changed)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Set {field} in engine_package.yaml to '{value}'",
                        _ => Task.FromResult(document.Project.Solution.WithAdditionalDocumentText(document.Id, changed)),
                        key),
                    diagnostic);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Code fixes never throw: on input they cannot handle they offer nothing.
        }
    }
}
