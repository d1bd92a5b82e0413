using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Analyzers.CodeFixes.Manifest;

/// <summary>
/// CM0005: a required field is missing, empty or of the wrong type. Adds the field (or replaces the bad value) in
/// engine_package.yaml. Fields the project determines get their real value: engine_id from the attribute,
/// engine_class_name from the class, engine_module from the assembly name, version from the project's Version,
/// package_format_version "1.0". The others get the attribute's or project's value when there is one, else a
/// placeholder marked TODO; a scalar YAML misreads as a number or boolean is quoted as written.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ManifestFieldCodeFix)), Shared]
public sealed class ManifestFieldCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of "fix this field".</summary>
    public const string FixFieldKey = "CM0005.FixField";

    /// <summary>The equivalence key of "fix every field of the manifest" (offered when more than one can be fixed).</summary>
    public const string FixAllFieldsKey = "CM0005.FixAllFields";

    /// <summary>The placeholder for a display name nothing in the project gives.</summary>
    public const string DisplayNamePlaceholder = "TODO: display name";

    /// <summary>The placeholder for a description nothing in the project gives.</summary>
    public const string DescriptionPlaceholder = "TODO: describe what the engine does";

    /// <summary>The placeholder for an author when the project sets no Authors.</summary>
    public const string AuthorPlaceholder = "TODO: author name";

    private static readonly ImmutableHashSet<string> FixableKinds = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        nameof(ManifestProblemKind.MissingField),
        nameof(ManifestProblemKind.EmptyField),
        nameof(ManifestProblemKind.WrongType),
        nameof(ManifestProblemKind.InvalidValue));

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ManifestFieldInvalid);

    /// <inheritdoc />
    /// <remarks>
    /// No Fix All provider: the batch fixer merges C# document changes only and would drop these edits of an additional
    /// document. Instead each diagnostic also offers <see cref="FixAllFieldsKey"/>, which fixes every field of the
    /// manifest in one edit (a project has one manifest).
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
            var all = FixAll(text, facts);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.ManifestField, out var field) || field is null
                    || !diagnostic.Properties.TryGetValue(DiagnosticProperties.ManifestProblemKind, out var kind) || kind is null || !FixableKinds.Contains(kind)
                    || Fix(text, facts, field) is not { } fixedText)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        kind == nameof(ManifestProblemKind.MissingField) ? $"Add '{field}' to engine_package.yaml" : $"Set '{field}' in engine_package.yaml",
                        _ => Task.FromResult(document.Project.Solution.WithAdditionalDocumentText(document.Id, fixedText)),
                        FixFieldKey),
                    diagnostic);
                if (all.Count > 1)
                {
                    var allText = all.Text;
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Fix every field of engine_package.yaml",
                            _ => Task.FromResult(document.Project.Solution.WithAdditionalDocumentText(document.Id, allText)),
                            FixAllFieldsKey),
                        diagnostic);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Code fixes never throw: on input they cannot handle they offer nothing.
        }
    }

    /// <summary>Every fixable field fixed, one after the other in schema order: the text and how many fields changed.</summary>
    private static (SourceText Text, int Count) FixAll(SourceText text, ProjectFacts facts)
    {
        var count = 0;
        foreach (var field in ManifestSchema.RequiredFields)
        {
            var fixable = ManifestText.Read(text).Problems.Any(p => p.Field == field && FixableKinds.Contains(p.Kind.ToString()));
            if (fixable && Fix(text, facts, field) is { } changed)
            {
                text = changed;
                count++;
            }
        }

        return (text, count);
    }

    /// <summary>The manifest with the field given a usable value, or null when the fix cannot be made safely.</summary>
    private static SourceText? Fix(SourceText text, ProjectFacts facts, string field)
    {
        var result = ManifestText.Read(text);
        var problem = result.Problems.FirstOrDefault(p => p.Field == field && FixableKinds.Contains(p.Kind.ToString()));
        if (problem is null)
        {
            return null;
        }

        var engine = facts.EngineFor(result.Manifest);
        if (field == ManifestSchema.Authors)
        {
            // A wrong item inside the list is left to the author: replacing the list would lose the other names.
            return problem.Kind == ManifestProblemKind.WrongType && problem.Message.StartsWith("authors[", StringComparison.Ordinal)
                ? null
                : ManifestText.SetAuthors(text, WrittenScalar(text, field, problem) is { } written ? new[] { written } : facts.Authors() ?? new[] { AuthorPlaceholder });
        }

        var value = field switch
        {
            ManifestSchema.PackageFormatVersion => ManifestSchema.SupportedFormatVersion,
            ManifestSchema.EngineId => engine?.Id,
            ManifestSchema.EngineClassName => engine?.MetadataName,
            ManifestSchema.EngineModule => facts.AssemblyName,
            ManifestSchema.Version => facts.VersionFor(engine),
            ManifestSchema.DisplayName => WrittenScalar(text, field, problem) ?? engine?.Named("DisplayName") ?? facts.Property("Title") ?? DisplayNamePlaceholder,
            ManifestSchema.Description => WrittenScalar(text, field, problem) ?? engine?.Named("Description") ?? facts.Property("Description") ?? DescriptionPlaceholder,
            _ => null,
        };
        return value is null ? null : ManifestText.SetString(text, field, value);
    }

    /// <summary>For a scalar YAML reads as a number or boolean (display_name: 2048), the text as written, to be quoted.</summary>
    private static string? WrittenScalar(SourceText text, string field, ManifestProblem problem) =>
        problem.Kind == ManifestProblemKind.WrongType && ManifestText.RawValue(text, field) is { } raw && raw[0] != '"' && raw[0] != '\'' ? raw : null;
}
