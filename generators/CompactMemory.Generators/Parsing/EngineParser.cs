using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CompactMemory.Generators.Parsing;

/// <summary>Turns an attributed class into an <see cref="EngineModel"/>; never throws, and gives null for what it cannot use.</summary>
internal static class EngineParser
{
    public const string CompressionEngineAttribute = "CompactMemory.CompressionEngineAttribute";
    private const string CompressionEngineBase = "CompactMemory.Compression.CompressionEngine";
    private const string ContextEngineBase = "CompactMemory.Context.ContextEngine";
    private const string ContextEngineInterface = "CompactMemory.Context.IContextEngine";
    private const string EngineConfig = "CompactMemory.Compression.EngineConfig";

    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: 0 or (int)SyntaxKind.ClassKeyword };

    public static EngineModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length > 0
                ? Parse(type, context.Attributes[0], context.SemanticModel.Compilation, cancellationToken)
                : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Half-typed code can surprise any symbol walk; the generator stays silent and an analyzer explains.
            return null;
        }
    }

    private static EngineModel? Parse(INamedTypeSymbol type, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string id || id.Length == 0)
        {
            return null;
        }

        string? displayName = null, description = null, version = null;
        var overridesBuiltIn = false;
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "DisplayName":
                    displayName = argument.Value.Value as string;
                    break;
                case "Description":
                    description = argument.Value.Value as string;
                    break;
                case "Version":
                    version = argument.Value.Value as string;
                    break;
                case "OverridesBuiltIn":
                    overridesBuiltIn = argument.Value.Value is true;
                    break;
            }
        }

        var kind = EngineKindModel.None;
        var derivesFromContextBase = false;
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            var name = current.ToDisplayString();
            if (name == CompressionEngineBase)
            {
                kind = EngineKindModel.Compression;
                break;
            }

            if (name == ContextEngineBase)
            {
                derivesFromContextBase = true;
            }
        }

        if (kind == EngineKindModel.None && type.AllInterfaces.Any(i => i.ToDisplayString() == ContextEngineInterface))
        {
            kind = EngineKindModel.Context;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var containing = new List<string>();
        var containingArePartial = true;
        var containingAreGeneric = false;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, "partial " + (outer.IsRecord ? "record" : outer.TypeKind == TypeKind.Struct ? "struct" : "class") + " " + Emitting.EngineEmitter.EscapeKeyword(outer.Name));
            containingArePartial &= IsPartial(outer);
            containingAreGeneric |= outer.IsGenericType;
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new EngineModel
        {
            Id = id,
            DisplayName = Trimmed(displayName),
            Description = Trimmed(description),
            Version = Trimmed(version),
            OverridesBuiltIn = overridesBuiltIn,
            ClassName = type.Name,
            Namespace = ns,
            FullyQualifiedName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            MetadataName = MetadataNameOf(type),
            ContainingTypes = containing.ToEquatableArray(),
            IsPartial = IsPartial(type) && containingArePartial,
            TypeKeyword = type.IsRecord ? "record" : "class",
            Kind = kind,
            DerivesFromContextEngineBase = derivesFromContextBase,
            Constructor = ConstructorOf(type),
            IsInstantiable = !type.IsAbstract && !type.IsStatic && !type.IsGenericType && !containingAreGeneric && IsVisibleToAssembly(type),
            Tools = kind == EngineKindModel.Context ? ToolParser.ParseTools(type, compilation, cancellationToken) : EquatableArray<ToolModel>.Empty,
            DeclaresToolMembers = type.GetMembers("GetToolSchemas").Length > 0 || type.GetMembers("HandleToolCallAsync").Length > 0,
        };
    }

    private static string? Trimmed(string? value) => value is null || value.Trim().Length == 0 ? null : value.Trim();

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0
        && type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static ConstructorShape ConstructorOf(INamedTypeSymbol type)
    {
        var parameterless = false;
        var withConfig = false;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                continue;
            }

            if (constructor.Parameters.Length == 0 || constructor.Parameters.All(p => p.IsOptional))
            {
                parameterless = true;
            }

            if (constructor.Parameters.Length >= 1
                && constructor.Parameters[0].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.None)) == "global::" + EngineConfig
                && constructor.Parameters.Skip(1).All(p => p.IsOptional))
            {
                withConfig = true;
            }
        }

        return (parameterless, withConfig) switch
        {
            (true, true) => ConstructorShape.Both,
            (true, false) => ConstructorShape.Parameterless,
            (false, true) => ConstructorShape.Config,
            _ => ConstructorShape.None,
        };
    }

    private static bool IsVisibleToAssembly(INamedTypeSymbol type)
    {
        for (ISymbol? current = type; current is INamedTypeSymbol named; current = named.ContainingType)
        {
            // A file-local class reports Internal but cannot be named from the generated catalog's file.
            if (named.IsFileLocal || named.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static string MetadataNameOf(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            names.Insert(0, current.MetadataName);
        }

        // Namespace names as metadata has them: ToDisplayString would keep C#'s '@' on keywords (@event), which no runtime name has.
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            names[0] = ns.MetadataName + "." + names[0];
        }

        return string.Join("+", names);
    }
}
