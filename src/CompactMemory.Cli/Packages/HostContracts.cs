using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace CompactMemory.Cli.Packages;

/// <summary>
/// What an installed engine gets from the host instead of from its own folder: the contract packages engines are
/// written against (the plugin loader hands every plugin the host's copy, so engine types are the host's types) and
/// the assemblies of the .NET runtime itself. Their packages are not installed and their assemblies are not copied.
/// </summary>
internal static class HostContracts
{
    /// <summary>The packages whose assemblies the plugin loader shares with every plugin (package id = assembly name).</summary>
    public static IReadOnlySet<string> SharedPackageIds { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "CompactMemory.Abstractions",
        "CompactMemory",
        "Microsoft.Extensions.AI.Abstractions",
    };

    private static readonly Lazy<HashSet<string>> FrameworkAssemblies = new(LoadFrameworkAssemblies);

    /// <summary>Whether a package is supplied by the host, so it and its own dependencies are not installed.</summary>
    public static bool IsSharedPackage(string packageId) => SharedPackageIds.Contains(packageId);

    /// <summary>
    /// Whether a file from a package's <c>lib/</c> folder belongs to an assembly the host supplies (a shared contract or
    /// a .NET runtime assembly): <c>CompactMemory.Abstractions.dll</c>, <c>System.Text.Json.dll</c>, their .pdb and .xml.
    /// </summary>
    public static bool IsHostAssemblyFile(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName);
        return SharedPackageIds.Contains(name) || FrameworkAssemblies.Value.Contains(name);
    }

    private static HashSet<string> LoadFrameworkAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var runtimeDirectory = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
                {
                    names.Add(Path.GetFileNameWithoutExtension(path));
                }
            }
        }

        return names;
    }
}
