using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Manifest;
using CompactMemory.Registry;

namespace CompactMemory.Plugins;

/// <summary>
/// Loads an engine package folder: reads and checks <c>engine_package.yaml</c>, loads the assembly it names into a
/// load context of its own, finds the class it names by one type lookup, and checks that the class is an engine
/// whose declared id is the manifest's <c>engine_id</c>. Every failure becomes an error message naming the cause
/// (a missing dependency with its version and the folder to copy it into, what a static constructor threw); nothing
/// throws. The package's own code that loading cannot avoid — a generated catalog's static initialisation, and for
/// <see cref="Validate(string)"/> the one engine it creates — runs with a time limit, so a package that never returns
/// is reported instead of hanging the caller.
/// </summary>
public static class EnginePackageLoader
{
    internal const string TrimMessage = "Engine packages are assemblies loaded at run time; their types cannot be seen by the trimmer.";

    /// <summary>Engine classes listed at most in a "not found in the catalog" message.</summary>
    private const int MaxListedClasses = 20;

    /// <summary>
    /// How long a package's own code may run during loading or validation (10 seconds) unless the caller gives another
    /// limit: its catalog's static initialisation and engine list, and, when validating, creating the engine once.
    /// </summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Inspects and loads a package; the engine stays loaded so it can be registered.</summary>
    /// <param name="packageDirectory">The package folder.</param>
    /// <returns>What was found.</returns>
    [RequiresUnreferencedCode(TrimMessage)]
    public static EnginePackageInspection Load(string packageDirectory) => Load(packageDirectory, DefaultTimeout);

    /// <summary>Inspects and loads a package; the engine stays loaded so it can be registered.</summary>
    /// <param name="packageDirectory">The package folder.</param>
    /// <param name="timeout">How long the package's own code may run while it loads; see <see cref="DefaultTimeout"/>.</param>
    /// <returns>What was found.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (and not <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</exception>
    [RequiresUnreferencedCode(TrimMessage)]
    public static EnginePackageInspection Load(string packageDirectory, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(packageDirectory);
        BoundedCall.Validate(timeout, nameof(timeout));
        return Inspect(packageDirectory, keepLoaded: true, createOnce: false, timeout);
    }

    /// <summary>
    /// Inspects a package the way <c>dev validate-engine-package</c> does, then unloads it. Beyond what loading
    /// checks, the engine is created once with its default configuration (a constructor or factory that throws, or
    /// returns nothing, is an error naming the class and the cause) and disposed.
    /// </summary>
    /// <param name="packageDirectory">The package folder.</param>
    /// <returns>What was found, with a warning when the package has no README.md.</returns>
    [RequiresUnreferencedCode(TrimMessage)]
    public static EnginePackageInspection Validate(string packageDirectory) => Validate(packageDirectory, DefaultTimeout);

    /// <summary>Inspects a package the way <c>dev validate-engine-package</c> does, creates its engine once, then unloads it.</summary>
    /// <param name="packageDirectory">The package folder.</param>
    /// <param name="timeout">How long each step that runs the package's own code may take; see <see cref="DefaultTimeout"/>.</param>
    /// <returns>What was found, with a warning when the package has no README.md.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (and not <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</exception>
    [RequiresUnreferencedCode(TrimMessage)]
    public static EnginePackageInspection Validate(string packageDirectory, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(packageDirectory);
        BoundedCall.Validate(timeout, nameof(timeout));
        var inspection = Inspect(packageDirectory, keepLoaded: false, createOnce: true, timeout);
        if (inspection.Manifest is not null && !File.Exists(Path.Combine(inspection.PackagePath, "README.md")))
        {
            inspection.Warnings.Add("README.md not found");
        }

        return inspection;
    }

    /// <summary>The load contexts of the packages loaded to stay: referenced here so they are never finalized.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<PluginLoadContext> LoadedContexts = new();

    [RequiresUnreferencedCode(TrimMessage)]
    private static EnginePackageInspection Inspect(string packageDirectory, bool keepLoaded, bool createOnce, TimeSpan timeout)
    {
        var directory = Path.GetFullPath(packageDirectory);
        var inspection = new EnginePackageInspection(directory);
        // The reader tells a missing manifest ("engine_package.yaml not found") from a directory, a FIFO, a device or
        // a link loop of that name, each with its fix; File.Exists would call them all "not found".
        var read = ManifestFile.Read(Path.Combine(directory, ManifestSchema.FileName));
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

        if (BoundedFile.NotRegular(assemblyPath) is { } assemblyKind)
        {
            inspection.Errors.Add(module + ".dll " + assemblyKind + "; it is not loaded, because loading it could wait forever: replace it with the built assembly");
            return inspection;
        }

        if (!File.Exists(assemblyPath))
        {
            inspection.Errors.Add(module + ".dll not found in the package folder; build the engine and copy its output next to " + ManifestSchema.FileName);
            return inspection;
        }

        if (BoundedFile.NotRegular(Path.ChangeExtension(assemblyPath, ".deps.json")) is { } depsKind)
        {
            inspection.Errors.Add(module + ".deps.json " + depsKind + "; it is not read, because reading it could wait forever: replace it with the file the build wrote, or delete it to resolve dependencies by file name");
            return inspection;
        }

        if (manifest.EngineClassName is not { } className)
        {
            // The missing or invalid field is already reported; there is no class to look up.
            return inspection;
        }

        PluginLoadContext context;
        try
        {
            context = new PluginLoadContext(assemblyPath);
        }
        catch (Exception ex)
        {
            // The dependency resolver reads <module>.deps.json; a damaged one stops it before anything loads.
            inspection.Errors.Add(module + ".deps.json could not be read: " + ResolverError(ex)
                + "; rebuild the engine and copy its .deps.json again, or delete the file to resolve dependencies by file name");
            return inspection;
        }

        try
        {
            var loading = new Loading(context, directory, assemblyPath, module, className, manifest, inspection, timeout);
            var descriptor = loading.LoadEngine();
            if (descriptor is not null && inspection.Errors.Count == 0 && createOnce)
            {
                loading.CreateOnce(descriptor);
            }

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
            else
            {
                // A collectible context whose object is no longer reachable unloads itself when it is finalized, even
                // while engines created from it still run: their next lazy load (a dependency's dependency) would then
                // fail. A loaded package stays loaded for the life of the process, so its context is kept here.
                LoadedContexts.Enqueue(context);
            }
        }

        return inspection;
    }

    /// <summary>The host's own sentence from a dependency resolver failure (it spans lines and starts with an error code).</summary>
    private static string ResolverError(Exception exception)
    {
        const string Marker = "Detailed error: ";
        var message = exception.Message;
        var start = message.IndexOf(Marker, StringComparison.Ordinal);
        var detail = start < 0 ? message : message[(start + Marker.Length)..];
        var end = detail.IndexOfAny(['\r', '\n']);
        detail = (end < 0 ? detail : detail[..end]).Trim();
        return detail.Length == 0 ? exception.GetType().Name : detail;
    }

    private static bool IsInside(string directory, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar;
        return path.StartsWith(root, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One package being loaded: its load context, what the manifest says, and where errors go.</summary>
    private sealed class Loading(
        PluginLoadContext context,
        string directory,
        string assemblyPath,
        string module,
        string className,
        EngineManifest manifest,
        EnginePackageInspection inspection,
        TimeSpan timeout)
    {
        private IList<string> Errors => inspection.Errors;

        [RequiresUnreferencedCode(TrimMessage)]
        public EngineDescriptor? LoadEngine()
        {
            Assembly assembly;
            try
            {
                assembly = context.LoadFromAssemblyPath(assemblyPath);
            }
            catch (BadImageFormatException)
            {
                Errors.Add(module + ".dll is not a .NET assembly; engine_module must name the engine's compiled assembly");
                return null;
            }
            catch (Exception ex)
            {
                Errors.Add(module + ".dll could not be loaded: " + FailureText.Describe(ex, directory));
                return null;
            }

            // An assembly built with the SDK's generator names its catalog: one attribute read, no type lookup at all.
            EngineCatalogAttribute? catalogAttribute;
            try
            {
                catalogAttribute = assembly.GetCustomAttribute<EngineCatalogAttribute>();
            }
            catch (Exception ex)
            {
                Errors.Add(module + ".dll: its engine catalog could not be read: " + FailureText.Describe(ex, directory));
                return null;
            }

            return catalogAttribute is not null ? FromCatalog(catalogAttribute) : ByReflection(assembly);
        }

        /// <summary>Creates the engine once, as the original's "basic loadability" check did, and disposes it.</summary>
        public void CreateOnce(EngineDescriptor descriptor)
        {
            var resolver = new EngineRegistry();
            resolver.RegisterBuiltIns();
            var finished = BoundedCall.TryRun(
                () =>
                {
                    var engine = descriptor.Factory(new EngineCreationContext(null, resolver));
                    var wrongKind = engine is null ? "returned nothing; return a new engine instance"
                        : descriptor.Kind == EngineKind.Compression && engine is not CompressionEngine ? "returned a " + DescriptorRules.TypeName(engine.GetType()) + ", which is not a CompressionEngine"
                        : descriptor.Kind == EngineKind.Context && engine is not IContextEngine ? "returned a " + DescriptorRules.TypeName(engine.GetType()) + ", which is not an IContextEngine"
                        : null;
                    string? disposeFailure = null;
                    try
                    {
                        (engine as IDisposable)?.Dispose();
                    }
                    catch (Exception ex)
                    {
                        disposeFailure = FailureText.Describe(ex, directory);
                    }

                    return (wrongKind, disposeFailure);
                },
                timeout,
                out var outcome,
                out var error);
            if (!finished)
            {
                Errors.Add("Class " + className + " was not created within " + BoundedCall.Describe(timeout)
                    + ": its constructor (or static constructor) did not return; create engines quickly and load large resources on first use");
            }
            else if (error is not null)
            {
                Errors.Add("Class " + className + " could not be created with its default configuration: " + FailureText.Describe(error, directory));
            }
            else if (outcome.wrongKind is { } wrongKind)
            {
                Errors.Add("Class " + className + " could not be created: its factory " + wrongKind);
            }
            else if (outcome.disposeFailure is { } disposeFailure)
            {
                inspection.Warnings.Add("Class " + className + " was created, but disposing it failed: " + disposeFailure);
            }
        }

        /// <summary>Takes the manifest's engine from the assembly's generated catalog and checks it is the class the manifest names.</summary>
        [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The catalog type comes from a plugin assembly loaded at run time; its public parameterless constructor is required by EngineCatalogAttribute.")]
        private EngineDescriptor? FromCatalog(EngineCatalogAttribute attribute)
        {
            var catalogType = attribute.CatalogType;
            var catalogName = DescriptorRules.TypeName(catalogType);
            if (catalogType is null || !typeof(EngineCatalog).IsAssignableFrom(catalogType) || catalogType.IsAbstract)
            {
                Errors.Add(module + ".dll: its [assembly: EngineCatalog] names " + catalogName + ", which is not a concrete EngineCatalog; rebuild the engine with the SDK's generator");
                return null;
            }

            var finished = BoundedCall.TryRun(
                () => EngineRegistry.ReadCatalog((EngineCatalog)Activator.CreateInstance(catalogType)!, catalogName, directory),
                timeout,
                out var read,
                out var error);
            if (!finished)
            {
                Errors.Add(module + ".dll: its engine catalog '" + catalogName + "' did not load within " + BoundedCall.Describe(timeout)
                    + " (a static constructor or its Engines property does not return); the package was skipped");
                return null;
            }

            if (error is not null)
            {
                Errors.Add(module + ".dll: its engine catalog could not be created: " + FailureText.Describe(error, directory));
                return null;
            }

            if (read.Error is { } readError)
            {
                Errors.Add(module + ".dll: " + readError);
                return null;
            }

            var engines = read.Entries.Where(entry => entry is not null).Select(entry => entry!).ToList();
            var byClass = engines.FirstOrDefault(d => string.Equals(DescriptorRules.TypeName(d.EngineType), className, StringComparison.Ordinal));
            if (byClass is null)
            {
                var names = engines.Select(d => DescriptorRules.TypeName(d.EngineType)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var known = names.Count == 0 ? "none"
                    : string.Join(", ", names.Take(MaxListedClasses))
                        + (names.Count > MaxListedClasses ? " and " + (names.Count - MaxListedClasses).ToString(CultureInfo.InvariantCulture) + " more" : string.Empty);
                Errors.Add("Class " + className + " not found in " + module + "'s engine catalog; its engine classes are: " + known);
                return null;
            }

            if (DescriptorRules.Problem(byClass) is { } problem)
            {
                Errors.Add(module + ".dll: its engine catalog's " + problem);
                return null;
            }

            if (manifest.EngineId is null)
            {
                return null;
            }

            var byId = engines.FirstOrDefault(d => string.Equals(d.Id, manifest.EngineId, StringComparison.Ordinal));
            if (byId is null || !ReferenceEquals(byId, byClass))
            {
                Errors.Add("engine_id '" + manifest.EngineId + "' does not match engine class id '" + byClass.Id + "'");
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

        /// <summary>Finds the manifest's class in an assembly built without the generator, by one type lookup.</summary>
        [RequiresUnreferencedCode(TrimMessage)]
        private EngineDescriptor? ByReflection(Assembly assembly)
        {
            Type? type;
            try
            {
                // Asking to throw is what tells "no such class" from "the class is there but cannot be loaded":
                // a class whose base class lives in a missing dependency is otherwise just "not found".
                type = assembly.GetType(className, throwOnError: true, ignoreCase: false);
            }
            catch (TypeLoadException ex) when (string.Equals(ex.TypeName, className, StringComparison.Ordinal) && IsNotDefined(assembly))
            {
                type = null;
            }
            catch (ArgumentException)
            {
                type = null;
            }
            catch (Exception ex)
            {
                Errors.Add("Class " + className + " could not be loaded from " + module + ": " + FailureText.Describe(ex, directory));
                return null;
            }

            if (type is null)
            {
                var hint = className.Contains('.', StringComparison.Ordinal)
                    ? string.Empty
                    : "; engine_class_name must include the namespace, for example 'MyCompany.Engines." + className + "'";
                Errors.Add("Class " + className + " not found in " + module + hint);
                return null;
            }

            try
            {
                return Describe(type);
            }
            catch (Exception ex)
            {
                // Reading the class's constructors or attributes can load more of its dependencies.
                Errors.Add("Class " + className + " could not be loaded from " + module + ": " + FailureText.Describe(ex, directory));
                return null;
            }
        }

        /// <summary>Whether the assembly really does not define the class (rather than failing to load it).</summary>
        [RequiresUnreferencedCode(TrimMessage)]
        private bool IsNotDefined(Assembly assembly)
        {
            try
            {
                return assembly.GetType(className, throwOnError: false, ignoreCase: false) is null
                    && !assembly.GetForwardedTypes().Any(t => string.Equals(t.FullName, className, StringComparison.Ordinal));
            }
            catch (ReflectionTypeLoadException)
            {
                // A forwarded type that cannot be loaded: not a plain "not found".
                return false;
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or TypeLoadException)
            {
                return false;
            }
        }

        [RequiresUnreferencedCode(TrimMessage)]
        private EngineDescriptor? Describe(Type type)
        {
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
                Errors.Add(className + " is not a CompressionEngine; derive it from CompactMemory.Compression.CompressionEngine or CompactMemory.Context.ContextEngine");
                return null;
            }

            if (type.IsAbstract || type.ContainsGenericParameters)
            {
                Errors.Add(className + " is " + (type.IsAbstract ? "abstract" : "generic") + "; the engine class must be a concrete, non-generic class");
                return null;
            }

            var withConfig = kind == EngineKind.Compression ? type.GetConstructor([typeof(EngineConfig)]) : null;
            var parameterless = type.GetConstructor(Type.EmptyTypes);
            if (withConfig is null && parameterless is null)
            {
                Errors.Add(className + " has no public parameterless constructor" + (kind == EngineKind.Compression ? " (or one taking EngineConfig)" : string.Empty));
                return null;
            }

            var declared = Attribute.GetCustomAttribute(type, typeof(CompressionEngineAttribute), inherit: false) as CompressionEngineAttribute;
            if (declared is null)
            {
                Errors.Add(className + " has no [CompressionEngine] attribute; add [CompressionEngine(\"" + manifest.EngineId + "\")]");
                return null;
            }

            if (manifest.EngineId is { } manifestId && !string.Equals(manifestId, declared.Id, StringComparison.Ordinal))
            {
                Errors.Add("engine_id '" + manifestId + "' does not match engine class id '" + declared.Id + "'");
                return null;
            }

            if (manifest.EngineId is null)
            {
                return null;
            }

            // Without a configuration the engine's own default applies: prefer its parameterless constructor. The
            // constructor's own exception is thrown as is, not wrapped in a TargetInvocationException.
            const BindingFlags Unwrapped = BindingFlags.DoNotWrapExceptions;
            Func<EngineCreationContext, object> factory = (withConfig, parameterless) switch
            {
                (null, _) => _ => parameterless!.Invoke(Unwrapped, binder: null, parameters: null, culture: null),
                (_, null) => creation => withConfig.Invoke(Unwrapped, binder: null, [creation.Config ?? new EngineConfig()], culture: null),
                _ => creation => creation.Config is null
                    ? parameterless.Invoke(Unwrapped, binder: null, parameters: null, culture: null)
                    : withConfig.Invoke(Unwrapped, binder: null, [creation.Config], culture: null),
            };
            return new EngineDescriptor(manifest.EngineId, kind, type, factory)
            {
                DisplayName = manifest.DisplayName,
                Version = manifest.Version,
                Description = manifest.Description,
                OverridesBuiltIn = manifest.OverridesBuiltIn || declared.OverridesBuiltIn,
            };
        }
    }
}
