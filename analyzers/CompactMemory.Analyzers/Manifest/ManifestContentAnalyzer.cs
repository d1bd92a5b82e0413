using System;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Manifest;

/// <summary>
/// CM0004 (not YAML / not a mapping), CM0005 (a field missing, empty, of the wrong type or unusable) and CM0006 (the
/// manifest's engine_id), reported in <c>engine_package.yaml</c> at the offending line.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ManifestContentAnalyzer : DiagnosticAnalyzer
{
    private const string InvalidPrefix = "Invalid engine_package.yaml: ";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ManifestIsNotValidYaml,
        DiagnosticDescriptors.ManifestFieldInvalid,
        DiagnosticDescriptors.EngineIdMalformed);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterAdditionalFileAction(AnalyzeManifest);
    }

    private static void AnalyzeManifest(AdditionalFileAnalysisContext context)
    {
        try
        {
            if (ManifestDocument.Read(context.AdditionalFile, context.CancellationToken) is not { } document)
            {
                return;
            }

            foreach (var problem in document.Result.Problems)
            {
                var diagnostic = ToDiagnostic(document, problem);
                if (diagnostic is not null)
                {
                    context.ReportDiagnostic(diagnostic);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw: a half-written manifest must not turn into AD0001.
        }
    }

    private static Diagnostic? ToDiagnostic(ManifestDocument document, ManifestProblem problem)
    {
        var location = document.At(problem.Line, problem.Column);
        switch (problem.Kind)
        {
            case ManifestProblemKind.TooLarge:
            case ManifestProblemKind.InvalidYaml when problem.Field is null:
            case ManifestProblemKind.RootNotMapping:
            case ManifestProblemKind.LimitExceeded:
                var message = problem.Message.StartsWith(InvalidPrefix, StringComparison.Ordinal) ? problem.Message.Substring(InvalidPrefix.Length) : problem.Message;
                return Diagnostic.Create(DiagnosticDescriptors.ManifestIsNotValidYaml, location, message);
            case ManifestProblemKind.InvalidValue when problem.Field == ManifestSchema.EngineId:
                return Diagnostic.Create(DiagnosticDescriptors.EngineIdMalformed, location, problem.Message);
            case ManifestProblemKind.NamingConvention:
                // CM0006's naming case: same ID, reported at Warning (see DiagnosticDescriptors.EngineIdMalformed).
                return Diagnostic.Create(DiagnosticDescriptors.EngineIdMalformed, location, DiagnosticSeverity.Warning, null, null, problem.Message);
            case ManifestProblemKind.MissingField:
            case ManifestProblemKind.EmptyField:
            case ManifestProblemKind.WrongType:
            case ManifestProblemKind.InvalidValue:
            case ManifestProblemKind.DuplicateField:
                // The field and the kind travel as properties, so the code fix knows what to repair without parsing the message.
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(DiagnosticProperties.ManifestField, problem.Field)
                    .Add(DiagnosticProperties.ManifestProblemKind, problem.Kind.ToString());
                return Diagnostic.Create(DiagnosticDescriptors.ManifestFieldInvalid, location, properties, problem.Field ?? "?", problem.Message);
            default:
                // Unknown fields are ignored by the loader; no rule in the catalogue reports them yet.
                return null;
        }
    }
}
