using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace CompactMemory.Plugins;

/// <summary>
/// One load context per engine package. The package's own dependencies resolve from its folder; the contract
/// assemblies resolve to the host's copies, so engine types are the host's types and casts work.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    /// <summary>Assemblies every plugin shares with the host: the contracts engines are written against.</summary>
    internal static readonly IReadOnlySet<string> SharedAssemblies = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "CompactMemory.Abstractions",
        "CompactMemory",
        "Microsoft.Extensions.AI.Abstractions",
    };

    private readonly string _folder;
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string mainAssemblyPath)
        : base(name: "CompactMemory plugin: " + Path.GetFileName(Path.GetDirectoryName(mainAssemblyPath)), isCollectible: true)
    {
        _folder = Path.GetDirectoryName(mainAssemblyPath)!;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only reached from EnginePackageLoader, whose public entry points require unreferenced code.")]
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || SharedAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var candidate = Path.Combine(_folder, assemblyName.Name + ".dll");
            path = File.Exists(candidate) ? candidate : null;
        }

        // Framework assemblies and anything else the package does not carry come from the host. A dependency that is
        // a FIFO or a device is never opened (loading it could wait forever): it is missing, and the loader's message
        // names it.
        return path is null || BoundedFile.NotRegular(path) is not null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null || BoundedFile.NotRegular(path) is not null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
