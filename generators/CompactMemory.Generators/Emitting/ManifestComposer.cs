using System;
using System.Collections.Generic;
using System.Linq;
using CompactMemory.Generators.Model;
using CompactMemory.Manifest;

namespace CompactMemory.Generators.Emitting;

/// <summary>
/// Composes an engine's <c>engine_package.yaml</c>. Identity comes from code: <c>engine_id</c> from the attribute,
/// <c>engine_class_name</c> from the class, <c>engine_module</c> from the assembly name. <c>display_name</c> and
/// <c>description</c> come from the attribute, then a hand-written manifest, then the project (<c>Title</c>,
/// <c>Description</c>); <c>version</c> from the attribute, then the project's <c>Version</c> (the attribute's documented
/// default), then the hand-written manifest; <c>authors</c> from the hand-written manifest, then <c>Authors</c>. The
/// hand-written manifest's optional fields (<c>dependencies</c>, <c>requirements</c>) are kept.
/// </summary>
internal static class ManifestComposer
{
    public static string Compose(EngineModel engine, ProjectProperties project, string assemblyName, ManifestFile? handWritten) =>
        EngineManifestWriter.Write(ComposeManifest(engine, project, assemblyName, handWritten));

    public static EngineManifest ComposeManifest(EngineModel engine, ProjectProperties project, string assemblyName, ManifestFile? handWritten)
    {
        EngineManifest? written = null;
        if (handWritten is not null)
        {
            written = EngineManifestReader.Read(handWritten.Text).Manifest;
        }

        var displayName = engine.DisplayName ?? written?.DisplayName ?? project.Title ?? engine.Id;
        var manifest = new EngineManifest
        {
            PackageFormatVersion = ManifestSchema.SupportedFormatVersion,
            EngineId = engine.Id,
            EngineClassName = engine.MetadataName,
            EngineModule = assemblyName,
            DisplayName = displayName,
            Version = engine.Version ?? project.Version ?? written?.Version ?? "1.0.0",
            Authors = written?.Authors ?? AuthorsOf(project.Authors) ?? new[] { new ManifestAuthor(assemblyName, null) },
            Description = engine.Description ?? written?.Description ?? project.Description ?? displayName + " engine.",
            Dependencies = written?.Dependencies,
            Requirements = written?.Requirements,
            OverridesBuiltIn = engine.OverridesBuiltIn || (written?.OverridesBuiltIn ?? false),
        };
        return manifest;
    }

    /// <summary>The hand-written manifest meant for an engine: the one whose <c>engine_id</c> is the engine's id.</summary>
    public static ManifestFile? ForEngine(string engineId, IEnumerable<ManifestFile> manifests)
    {
        foreach (var manifest in manifests.OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            if (manifest.EngineId == engineId)
            {
                return manifest;
            }
        }

        return null;
    }

    private static readonly char[] AuthorSeparators = { ';', ',' };

    private static ManifestAuthor[]? AuthorsOf(string? authors)
    {
        if (authors is null)
        {
            return null;
        }

        var names = authors.Split(AuthorSeparators, StringSplitOptions.RemoveEmptyEntries).Select(a => a.Trim()).Where(a => a.Length > 0).ToArray();
        return names.Length == 0 ? null : names.Select(n => new ManifestAuthor(n, null)).ToArray();
    }
}
