using System;
using System.Collections.Immutable;
using CompactMemory.Analyzers.Diagnostics;
using CompactMemory.Analyzers.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CompactMemory.Analyzers.Engines;

/// <summary>
/// CM0008 (the engine class cannot be instantiated by the generated catalog) and CM0009 (the attributed class is
/// neither a compression engine nor a context engine), reported at the class's identifier.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EngineShapeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.EngineCannotBeInstantiated,
        DiagnosticDescriptors.AttributedClassIsNotAnEngine);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(Start);
    }

    private static void Start(CompilationStartAnalysisContext context)
    {
        try
        {
            if (EngineSymbols.From(context.Compilation) is { } symbols)
            {
                context.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols), SymbolKind.NamedType);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    private static void Analyze(SymbolAnalysisContext context, EngineSymbols symbols)
    {
        try
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class || symbols.EngineAttributeOf(type) is not { } attribute)
            {
                return;
            }

            var location = SyntaxLocations.ClassIdentifier(type, attribute, context.CancellationToken);
            if (WhyNotInstantiable(type, symbols) is { } reason)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EngineCannotBeInstantiated, location, type.Name, reason));
            }

            // Without the contract types the question cannot be answered; the compiler reports the missing reference.
            if ((symbols.CompressionEngine is not null || symbols.IContextEngine is not null)
                && !symbols.IsCompressionEngine(type)
                && !symbols.IsContextEngine(type))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AttributedClassIsNotAnEngine, location, type.Name));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Analyzers never throw.
        }
    }

    /// <summary>The same test the generator's catalog relies on: what would stop it from writing <c>new T()</c> or <c>new T(config)</c>.</summary>
    private static string? WhyNotInstantiable(INamedTypeSymbol type, EngineSymbols symbols)
    {
        if (type.IsStatic)
        {
            return "is static";
        }

        if (type.IsAbstract)
        {
            return "is abstract";
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return ReferenceEquals(current, type) ? "is generic" : "is nested in the generic type '" + current.Name + "'";
            }

            if (current.IsFileLocal || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return ReferenceEquals(current, type) ? "is not visible to its assembly" : "is nested in '" + current.Name + "', which is not visible to its assembly";
            }
        }

        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                continue;
            }

            var parameters = constructor.Parameters;
            if (AllOptionalFrom(parameters, 0))
            {
                return null;
            }

            if (symbols.EngineConfig is not null
                && SymbolEqualityComparer.Default.Equals(parameters[0].Type, symbols.EngineConfig)
                && AllOptionalFrom(parameters, 1))
            {
                return null;
            }
        }

        return "has no accessible parameterless or (EngineConfig) constructor";
    }

    private static bool AllOptionalFrom(ImmutableArray<IParameterSymbol> parameters, int start)
    {
        for (var i = start; i < parameters.Length; i++)
        {
            if (!parameters[i].IsOptional)
            {
                return false;
            }
        }

        return true;
    }
}
