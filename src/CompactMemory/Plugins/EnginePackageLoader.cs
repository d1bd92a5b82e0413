using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Reflection;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Manifest;

namespace CompactMemory.Plugins;

/// <summary>
/// Loads an engine package folder: reads and checks <c>engine_package.yaml</c>, loads the assembly it names into a
/// load context of its own, finds the class it names by one type lookup, and checks that the class is an engine
/// whose declared id is the manifest's <c>engine_id</c>. Every failure becomes an error message; nothing throws.
/// </summary>
public static class EnginePackageLoader
{
    internal const string TrimMessage = "Engine packages are assemblies loaded at run time; their types cannot be seen by the trimmer.";

    /// <summary>Inspects and loads a package; the engine stays loaded so it can be registered.</summary>
    /// <param name="packageDirectory">The package folder.</param>
    /// <returns>What was found.</returns>
    [RequiresUnreferencedCode(TrimMessage)]
    public static EnginePackageInspection Load(string packageDirectory) => Inspect(packageDirectory, keepLoaded: true);

    /// <summary>Inspects a package the way <c>dev validate-engine-package</c> does, then unloads it.</summary>
    /// <param name="packageDirectory">The package folder.</param>
    /// <returns>What was found, with a warning when the package has no README.md.</returns>
    [RequiresUnreferencedCode(TrimMessage)]
    public static EnginePackageInspection Validate(string packageDirectory)
    {
        var inspection = Inspect(packageDirectory, keepLoaded: false);
        if (inspection.Manifest is not null && !File.Exists(Path.Combine(packageDirectory, "README.md")))
        {
            inspection.Warnings.Add("README.md not found");
        }

        return inspection;
    }

    [RequiresUnreferencedCode(TrimMessage)]
    private static EnginePackageInspection Inspect(string packageDirectory, bool keepLoaded)
    {
        var directory = Path.GetFullPath(packageDirectory);
        var inspection = new EnginePackageInspection(directory);
        var manifestPath = Path.Combine(directory, ManifestSchema.FileName);
        if (!File.Exists(manifestPath))
        {
            inspection.Errors.Add(ManifestSchema.FileName + " not found");
            return inspection;
        }

        var read = ManifestFile.Read(manifestPath);
        var fatal = false;
        foreach (var problem in read.Problems)
        {
            if (problem.Severity == ManifestSeverity.Error)
            {
                inspection.Errors.Add(problem.ToString());
                fatal |= problem.Kind is ManifestProblemKind.TooLarge or ManifestProblemKind.InvalidYaml
                    or ManifestProblemKind.RootNotMapping or ManifestProblemKind.LimitExceeded;
            }
            else
            {
                inspection.Warnings.Add(problem.ToString());
            }
        }

        if (fatal)
        {
            return inspection;
        }

        var manifest = read.Manifest;
        inspection.Manifest = manifest;
        if (manifest.EngineModule is not { } module)
        {
            return inspection;
        }

        var assemblyPath = Path.GetFullPath(Path.Combine(directory, module + ".dll"));
        if (!IsInside(directory, assemblyPath))
        {
            inspection.Errors.Add("engine_module '" + module + "' points outside the package folder");
            return inspection;
        }

        if (!File.Exists(assemblyPath))
        {
            inspection.Errors.Add(module + ".dll not found in the package folder; build the engine and copy its output next to " + ManifestSchema.FileName);
            return inspection;
        }

        if (manifest.EngineClassName is not { } className)
        {
            // The missing or invalid field is already reported; there is no class to look up.
            return inspection;
        }

        var context = new PluginLoadContext(assemblyPath);
        try
        {
            var descriptor = LoadEngine(context, assemblyPath, module, className, manifest, inspection);
            if (descriptor is not null && inspection.Errors.Count == 0)
            {
                inspection.Descriptor = descriptor;
            }
        }
        finally
        {
            if (!keepLoaded || inspection.Errors.Count > 0)
            {
                context.Unload();
            }
        }

        return inspection;
    }

    [RequiresUnreferencedCode(TrimMessage)]
    private static EngineDescriptor? LoadEngine(PluginLoadContext context, string assemblyPath, string module, string className, EngineManifest manifest, EnginePackageInspection inspection)
    {
        Assembly assembly;
        try
        {
            assembly = context.LoadFromAssemblyPath(assemblyPath);
        }
        catch (BadImageFormatException)
        {
            inspection.Errors.Add(module + ".dll is not a .NET assembly; engine_module must name the engine's compiled assembly");
            return null;
        }
        catch (Exception ex) when (ex is FileLoadException or IOException)
        {
            inspection.Errors.Add(module + ".dll could not be loaded: " + ex.Message);
            return null;
        }

        // An assembly built with the SDK's generator names its catalog: one attribute read, no type lookup at all.
        EngineCatalogAttribute? catalogAttribute;
        try
        {
            catalogAttribute = assembly.GetCustomAttribute<EngineCatalogAttribute>();
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException or CustomAttributeFormatException)
        {
            inspection.Errors.Add(module + ".dll: its engine catalog could not be read: " + ex.Message);
            return null;
        }

        if (catalogAttribute is not null)
        {
            return FromCatalog(catalogAttribute, module, className, manifest, inspection);
        }

        Type? type;
        try
        {
            type = assembly.GetType(className, throwOnError: false, ignoreCase: false);
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            inspection.Errors.Add("Class " + className + " could not be loaded from " + module + ": " + ex.Message);
            return null;
        }

        if (type is null)
        {
            var hint = className.Contains('.', StringComparison.Ordinal)
                ? string.Empty
                : "; engine_class_name must include the namespace, for example 'MyCompany.Engines." + className + "'";
            inspection.Errors.Add("Class " + className + " not found in " + module + hint);
            return null;
        }

        EngineKind kind;
        if (typeof(CompressionEngine).IsAssignableFrom(type))
        {
            kind = EngineKind.Compression;
        }
        else if (typeof(IContextEngine).IsAssignableFrom(type))
        {
            kind = EngineKind.Context;
        }
        else
        {
            inspection.Errors.Add(className + " is not a CompressionEngine; derive it from CompactMemory.Compression.CompressionEngine or CompactMemory.Context.ContextEngine");
            return null;
        }

        if (type.IsAbstract || type.ContainsGenericParameters)
        {
            inspection.Errors.Add(className + " is " + (type.IsAbstract ? "abstract" : "generic") + "; the engine class must be a concrete, non-generic class");
            return null;
        }

        var withConfig = kind == EngineKind.Compression ? type.GetConstructor([typeof(EngineConfig)]) : null;
        var parameterless = type.GetConstructor(Type.EmptyTypes);
        if (withConfig is null && parameterless is null)
        {
            inspection.Errors.Add(className + " has no public parameterless constructor" + (kind == EngineKind.Compression ? " (or one taking EngineConfig)" : string.Empty));
            return null;
        }

        var declared = Attribute.GetCustomAttribute(type, typeof(CompressionEngineAttribute), inherit: false) as CompressionEngineAttribute;
        if (declared is null)
        {
            inspection.Errors.Add(className + " has no [CompressionEngine] attribute; add [CompressionEngine(\"" + manifest.EngineId + "\")]");
            return null;
        }

        if (manifest.EngineId is { } manifestId && !string.Equals(manifestId, declared.Id, StringComparison.Ordinal))
        {
            inspection.Errors.Add("engine_id '" + manifestId + "' does not match engine class id '" + declared.Id + "'");
            return null;
        }

        if (manifest.EngineId is null)
        {
            return null;
        }

        // Without a configuration the engine's own default applies: prefer its parameterless constructor.
        Func<EngineCreationContext, object> factory = (withConfig, parameterless) switch
        {
            (null, _) => _ => parameterless!.Invoke(null),
            (_, null) => creation => withConfig.Invoke([creation.Config ?? new EngineConfig()]),
            _ => creation => creation.Config is null ? parameterless.Invoke(null) : withConfig.Invoke([creation.Config]),
        };
        return new EngineDescriptor(manifest.EngineId, kind, type, factory)
        {
            DisplayName = manifest.DisplayName,
            Version = manifest.Version,
            Description = manifest.Description,
            OverridesBuiltIn = manifest.OverridesBuiltIn || declared.OverridesBuiltIn,
        };
    }

    /// <summary>Takes the manifest's engine from the assembly's generated catalog and checks it is the class the manifest names.</summary>
    private static EngineDescriptor? FromCatalog(EngineCatalogAttribute attribute, string module, string className, EngineManifest manifest, EnginePackageInspection inspection)
    {
        IReadOnlyList<EngineDescriptor> engines;
        try
        {
            engines = ((EngineCatalog)Activator.CreateInstance(attribute.CatalogType)!).Engines;
        }
        catch (Exception ex)
        {
            var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            inspection.Errors.Add(module + ".dll: its engine catalog could not be created: " + cause.Message);
            return null;
        }

        var byClass = engines.FirstOrDefault(d => string.Equals(d.EngineType.FullName, className, StringComparison.Ordinal));
        var byId = engines.FirstOrDefault(d => string.Equals(d.Id, manifest.EngineId, StringComparison.Ordinal));
        if (byClass is null)
        {
            var known = engines.Count == 0 ? "none" : string.Join(", ", engines.Select(d => d.EngineType.FullName).Order(StringComparer.Ordinal));
            inspection.Errors.Add("Class " + className + " not found in " + module + "'s engine catalog; its engine classes are: " + known);
            return null;
        }

        if (manifest.EngineId is null)
        {
            return null;
        }

        if (byId is null || !ReferenceEquals(byId, byClass))
        {
            inspection.Errors.Add("engine_id '" + manifest.EngineId + "' does not match engine class id '" + byClass.Id + "'");
            return null;
        }

        return byClass with
        {
            DisplayName = manifest.DisplayName ?? byClass.DisplayName,
            Version = manifest.Version ?? byClass.Version,
            Description = manifest.Description ?? byClass.Description,
            OverridesBuiltIn = manifest.OverridesBuiltIn || byClass.OverridesBuiltIn,
        };
    }

    private static bool IsInside(string directory, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar;
        return path.StartsWith(root, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }
}
