using System.Collections.Generic;
using CompactMemory.Manifest;

namespace CompactMemory.Plugins;

/// <summary>What inspecting an engine package folder found: its manifest, its engine, and every error and warning.</summary>
public sealed class EnginePackageInspection
{
    internal EnginePackageInspection(string packagePath)
    {
        PackagePath = packagePath;
    }

    /// <summary>The package folder.</summary>
    public string PackagePath { get; }

    /// <summary>The manifest's fields, when the manifest could be read.</summary>
    public EngineManifest? Manifest { get; internal set; }

    /// <summary>The engine, when the package loaded without errors.</summary>
    public EngineDescriptor? Descriptor { get; internal set; }

    /// <summary>Errors, in the order they were found; the package cannot be used while there are any.</summary>
    public IList<string> Errors { get; } = new List<string>();

    /// <summary>Warnings; the package still loads.</summary>
    public IList<string> Warnings { get; } = new List<string>();

    /// <summary>Whether the package loaded and its engine can be registered.</summary>
    public bool IsValid => Errors.Count == 0 && Descriptor is not null;
}
