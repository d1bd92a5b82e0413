using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Manifest;

/// <summary>
/// CM0002 (engine_class_name names no engine class of the project), CM0003 (engine_module is not the assembly name) and
/// CM0018 (version differs from the project's <c>Version</c>), reported in <c>engine_package.yaml</c> at the field's line.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ManifestConsistencyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ManifestClassNameDoesNotNameEngine,
        DiagnosticDescriptors.ManifestModuleDiffersFromAssembly,
        DiagnosticDescriptors.ManifestVersionDiffersFromProject);

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

            var manifest = document.Manifest;
            CheckClassName(context, document, manifest);

            var assemblyName = context.Compilation.AssemblyName;
            if (manifest.EngineModule is { } module && !string.IsNullOrEmpty(assemblyName) && !string.Equals(module, assemblyName, StringComparison.Ordinal))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ManifestModuleDiffersFromAssembly, document.FieldLocation(ManifestSchema.EngineModule), module, assemblyName));
            }

            if (manifest.Version is { } version
                && context.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.Version", out var projectVersion)
                && projectVersion.Trim().Length > 0
                && !string.Equals(version.Trim(), projectVersion.Trim(), StringComparison.Ordinal))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ManifestVersionDiffersFromProject, document.FieldLocation(ManifestSchema.Version), version, projectVersion.Trim()));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw: a half-written project must not turn into AD0001.
        }
    }

    private static void CheckClassName(AdditionalFileAnalysisContext context, ManifestDocument document, EngineManifest manifest)
    {
        if (manifest.EngineClassName is not { } className || EngineSymbols.From(context.Compilation) is not { } symbols)
        {
            return;
        }

        var named = context.Compilation.GetTypeByMetadataName(className);
        if (named is not null
            && SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, context.Compilation.Assembly)
            && symbols.EngineAttributeOf(named) is not null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ManifestClassNameDoesNotNameEngine,
            document.FieldLocation(ManifestSchema.EngineClassName),
            className,
            SuggestClass(context, symbols, manifest.EngineId) ?? "the namespace-qualified name of the class with [CompressionEngine]"));
    }

    /// <summary>The engine class the manifest most likely means: the one with the manifest's id, else the first by name.</summary>
    private static string? SuggestClass(AdditionalFileAnalysisContext context, EngineSymbols symbols, string? engineId)
    {
        var engines = new List<(string Name, string? Id)>();
        Collect(context.Compilation.Assembly.GlobalNamespace, symbols, engines, context);
        string? first = null;
        foreach (var (name, id) in engines)
        {
            if (engineId is not null && id == engineId)
            {
                return name;
            }

            if (first is null || string.CompareOrdinal(name, first) < 0)
            {
                first = name;
            }
        }

        return first;
    }

    private static void Collect(INamespaceOrTypeSymbol container, EngineSymbols symbols, List<(string Name, string? Id)> engines, AdditionalFileAnalysisContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol nested)
            {
                if (member is INamedTypeSymbol type && symbols.EngineAttributeOf(type) is { } attribute)
                {
                    engines.Add((MetadataNames.Of(type), attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null));
                }

                Collect(nested, symbols, engines, context);
            }
        }
    }
}
