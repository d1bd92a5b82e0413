using System;
using System.Collections.Generic;
using System.Threading;
using CompactMemory.Generators.Helpers;
using CompactMemory.Generators.Model;
using CompactMemory.Generators.Tools;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Generators.Parsing;

/// <summary>
/// Reads the <c>[EngineTool]</c> methods of a context engine (and of its base classes below <c>ContextEngine</c>) into
/// tool models. It never throws and never reports: a method it cannot describe or dispatch exactly becomes an
/// unsupported tool, which gets no schema and no dispatch (an analyzer explains why).
/// </summary>
internal static class ToolParser
{
    public const string EngineToolAttribute = KnownSymbols.EngineToolAttribute;
    private const string ContextEngineBase = "CompactMemory.Context.ContextEngine";

    public static EquatableArray<ToolModel> ParseTools(INamedTypeSymbol engine, Compilation compilation, CancellationToken cancellationToken)
    {
        try
        {
            var host = Host(engine, compilation, cancellationToken);
            var reader = new ToolTypeReader(compilation, engine, resultsOnly: false, cancellationToken);
            var resultReader = new ToolTypeReader(compilation, engine, resultsOnly: true, cancellationToken);
            var tools = new List<ToolModel>();
            var names = new HashSet<string>(StringComparer.Ordinal);

            // A tool method overridden by another tool method in a derived class is that one tool.
            var overriddenTools = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            for (var type = engine; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
            {
                if (string.Equals(KnownSymbols.FullName(type), ContextEngineBase, StringComparison.Ordinal))
                {
                    break;
                }

                foreach (var member in type.GetMembers())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || overriddenTools.Contains(method))
                    {
                        continue;
                    }

                    var attribute = KnownSymbols.Find(method, EngineToolAttribute);
                    if (attribute is null)
                    {
                        continue;
                    }

                    for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                    {
                        overriddenTools.Add(overridden);
                    }

                    var tool = ParseTool(method, attribute, reader, resultReader, host, cancellationToken);

                    // Two methods with one tool name: the first declared keeps it (an analyzer reports the clash).
                    if (tool.IsSupported && !names.Add(tool.Name))
                    {
                        tool = tool with { IsSupported = false };
                    }

                    tools.Add(tool);
                }
            }

            // Ordinal order by name: the schemas and tools.json do not depend on declaration or file order.
            var ordered = new List<ToolModel>(tools.Count);
            foreach (var tool in tools)
            {
                var at = ordered.Count;
                while (at > 0 && string.CompareOrdinal(ordered[at - 1].Name, tool.Name) > 0)
                {
                    at--;
                }

                ordered.Insert(at, tool);
            }

            return ordered.ToEquatableArray();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Half-typed code can surprise any symbol walk; the generator stays silent and an analyzer explains.
            return EquatableArray<ToolModel>.Empty;
        }
    }

    private static ToolModel ParseTool(IMethodSymbol method, AttributeData attribute, ToolTypeReader reader, ToolTypeReader resultReader, ToolHostModel host, CancellationToken cancellationToken)
    {
        var name = KnownSymbols.StringArgument(attribute) ?? string.Empty;
        string? description = null;
        foreach (var argument in attribute.NamedArguments)
        {
            if (string.Equals(argument.Key, "Description", StringComparison.Ordinal) && argument.Value.Value is string text && text.Trim().Length > 0)
            {
                description = text;
            }
        }

        var tool = new ToolModel
        {
            Name = name,
            MethodName = ToolTypeReader.Identifier(method.Name),
            Description = description ?? KnownSymbols.Description(method) ?? DocumentationComments.Summary(method, cancellationToken) ?? string.Empty,
            Host = host,
        };

        if (!IsValidName(name) || host.BaseMembers == ToolBaseMembers.NotOverridable || method.DeclaredAccessibility != Accessibility.Public || method.IsStatic)
        {
            return tool;
        }

        var signature = ToolSignature.Read(method, reader, resultReader, cancellationToken);
        return signature.Return is null
            ? tool with { Parameters = signature.Parameters }
            : tool with { Parameters = signature.Parameters, Return = signature.Return, IsSupported = true };
    }

    /// <summary>The name the model API accepts: <c>^[a-zA-Z0-9_-]{1,64}$</c>.</summary>
    private static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What the engine's base classes declare for the tool members, and whether the engine is sealed.</summary>
    private static ToolHostModel Host(INamedTypeSymbol engine, Compilation compilation, CancellationToken cancellationToken)
    {
        var baseMembers = ToolBaseMembers.None;
        var baseHasStrict = false;
        for (var type = engine.BaseType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            // A base engine in this compilation gets its tool members from this generator, after this run: the
            // compilation seen here does not have them yet, so they are predicted.
            var generated = WillGetGeneratedToolMembers(type, compilation, cancellationToken);
            if (baseMembers == ToolBaseMembers.None)
            {
                baseMembers = generated
                    ? ToolBaseMembers.Overridable
                    : Members(type, "GetToolSchemas", Members(type, "HandleToolCallAsync", ToolBaseMembers.None));
            }

            baseHasStrict |= generated;
            foreach (var member in type.GetMembers("GetStrictToolSchemas"))
            {
                baseHasStrict |= member.DeclaredAccessibility != Accessibility.Private;
            }
        }

        return new ToolHostModel { IsSealed = engine.IsSealed, BaseMembers = baseMembers, BaseHasStrictSchemas = baseHasStrict };
    }

    /// <summary>
    /// Whether the engine pipeline will emit tool members into this source class: a registrable, partial
    /// <c>[CompressionEngine]</c> context engine (as <c>EngineParser</c> and <c>EngineEmitter</c> decide) that does not
    /// declare the members itself and has at least one supported tool.
    /// </summary>
    private static bool WillGetGeneratedToolMembers(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length == 0 || type.IsAbstract || type.IsStatic || type.IsGenericType
            || !HasEngineId(type) || !IsPartial(type) || type.GetMembers("GetToolSchemas").Length > 0 || type.GetMembers("HandleToolCallAsync").Length > 0
            || !HasRegistrableConstructor(type))
        {
            return false;
        }

        foreach (var tool in ParseTools(type, compilation, cancellationToken))
        {
            if (tool.IsSupported)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasEngineId(INamedTypeSymbol type) =>
        KnownSymbols.StringArgument(KnownSymbols.Find(type, EngineParser.CompressionEngineAttribute)) is { Length: > 0 };

    private static bool IsPartial(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            foreach (var reference in current.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration
                    || !declaration.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The catalog needs a parameterless (or all-optional) constructor or one taking an <c>EngineConfig</c>.</summary>
    private static bool HasRegistrableConstructor(INamedTypeSymbol type)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                continue;
            }

            var optionalFrom = constructor.Parameters.Length > 0
                && string.Equals(KnownSymbols.FullName(constructor.Parameters[0].Type), "CompactMemory.Compression.EngineConfig", StringComparison.Ordinal) ? 1 : 0;
            var allOptional = true;
            for (var i = optionalFrom; i < constructor.Parameters.Length; i++)
            {
                allOptional &= constructor.Parameters[i].IsOptional;
            }

            if (allOptional)
            {
                return true;
            }
        }

        return false;
    }

    private static ToolBaseMembers Members(INamedTypeSymbol type, string name, ToolBaseMembers found)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol { IsStatic: false } method)
            {
                var overridable = !method.IsSealed && (method.IsVirtual || method.IsAbstract || method.IsOverride);
                found = !overridable || found == ToolBaseMembers.NotOverridable ? ToolBaseMembers.NotOverridable : ToolBaseMembers.Overridable;
            }
        }

        return found;
    }
}
