using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Analyzers.Helpers;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Analyzers.CodeFixes.Manifest;

/// <summary>An engine class of the project: the type, its <c>[CompressionEngine]</c>, and what the manifest says of it.</summary>
internal sealed class EngineClass
{
    public EngineClass(INamedTypeSymbol type, AttributeData attribute)
    {
        Type = type;
        Attribute = attribute;
        Id = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        MetadataName = MetadataNames.Of(type);
    }

    public INamedTypeSymbol Type { get; }

    public AttributeData Attribute { get; }

    /// <summary>The attribute's id, or null when it is not a string constant.</summary>
    public string? Id { get; }

    /// <summary>The runtime name engine_class_name spells: <c>Namespace.Outer+Inner</c>.</summary>
    public string MetadataName { get; }

    /// <summary>A named string argument of the attribute (DisplayName, Description, Version), when set and not blank.</summary>
    public string? Named(string name)
    {
        foreach (var argument in Attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is string value && value.Trim().Length > 0)
            {
                return value;
            }
        }

        return null;
    }
}

/// <summary>What the project says about the manifest's fields: its engine classes, assembly name and build properties.</summary>
internal sealed class ProjectFacts
{
    private const string EngineAttributeName = "CompactMemory.CompressionEngineAttribute";

    private static readonly char[] AuthorSeparators = { ';', ',' };

    private ProjectFacts(Compilation compilation, IReadOnlyList<EngineClass> engines, Func<string, string?> property)
    {
        Compilation = compilation;
        Engines = engines;
        Property = property;
    }

    public Compilation Compilation { get; }

    /// <summary>The engine classes declared in the project, by metadata name (ordinal).</summary>
    public IReadOnlyList<EngineClass> Engines { get; }

    /// <summary>A build property made visible to the compiler (<c>build_property.X</c>), trimmed; null when unset or blank.</summary>
    public Func<string, string?> Property { get; }

    public string? AssemblyName => string.IsNullOrEmpty(Compilation.AssemblyName) ? null : Compilation.AssemblyName;

    public static async Task<ProjectFacts?> ReadAsync(Project project, CancellationToken cancellationToken)
    {
        if (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation)
        {
            return null;
        }

        var engines = new List<EngineClass>();
        if (compilation.GetTypeByMetadataName(EngineAttributeName) is { } attribute)
        {
            Collect(compilation.Assembly.GlobalNamespace, attribute, engines, cancellationToken);
        }

        var options = project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GlobalOptions;
        string? Property(string name) => options.TryGetValue("build_property." + name, out var value) && value.Trim().Length > 0 ? value.Trim() : null;
        return new ProjectFacts(compilation, engines.OrderBy(e => e.MetadataName, StringComparer.Ordinal).ToList(), Property);
    }

    /// <summary>
    /// The engine a manifest is for: the class engine_class_name names, else the one with the manifest's engine_id,
    /// else the first by name (the class CM0002 suggests).
    /// </summary>
    public EngineClass? EngineFor(EngineManifest manifest) =>
        Engines.FirstOrDefault(e => e.MetadataName == manifest.EngineClassName)
        ?? Engines.FirstOrDefault(e => manifest.EngineId is not null && e.Id == manifest.EngineId)
        ?? (Engines.Count > 0 ? Engines[0] : null);

    /// <summary>The version the manifest should carry: the project's Version, else the attribute's, else MSBuild's default.</summary>
    public string VersionFor(EngineClass? engine) => Property("Version") ?? engine?.Named("Version") ?? "1.0.0";

    /// <summary>The authors from the project's Authors property (split at ';' and ','), or null.</summary>
    public IReadOnlyList<string>? Authors()
    {
        var names = (Property("Authors") ?? string.Empty).Split(AuthorSeparators, StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        return names.Count == 0 ? null : names;
    }

    private static void Collect(INamespaceOrTypeSymbol container, INamedTypeSymbol attribute, List<EngineClass> engines, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var member in container.GetMembers())
        {
            if (member is not INamespaceOrTypeSymbol nested)
            {
                continue;
            }

            if (member is INamedTypeSymbol type)
            {
                var data = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
                if (data is not null)
                {
                    engines.Add(new EngineClass(type, data));
                }
            }

            Collect(nested, attribute, engines, cancellationToken);
        }
    }
}
