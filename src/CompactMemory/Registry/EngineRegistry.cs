using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Reflection;
using CompactMemory.BuiltIn;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Plugins;

namespace CompactMemory.Registry;

/// <summary>
/// Knows every engine: built-ins, packages found in plugin directories, and engines the host registers. Each id
/// resolves by one fixed rule, first match wins:
/// <list type="number">
/// <item>built-in engines, unless a plugin declares <c>overrides_builtin: true</c> for that id;</item>
/// <item>plugin directories in search order (<c>COMPACT_MEMORY_ENGINES_PATH</c> left to right, then the per-user directory);</item>
/// <item>engine packages the host references, by package id.</item>
/// </list>
/// Every losing registration is kept and listed as shadowed; a package that fails to load is listed with its errors
/// and never stops the others. Plugin directories are searched lazily, on the first lookup or listing.
/// </summary>
public sealed class EngineRegistry : IEngineResolver
{
    private readonly object _gate = new();
    private readonly List<EngineRegistration> _registrations = [];
    private readonly List<EngineListing> _failures = [];
    private readonly List<PluginDirectory> _pendingDirectories = [];
    private readonly EngineCreationContext _defaultCreation;
    private volatile Dictionary<string, EngineRegistration[]>? _byId;

    /// <summary>Creates an empty registry; see <see cref="CreateDefault"/> for the usual one.</summary>
    public EngineRegistry()
    {
        _defaultCreation = new EngineCreationContext(null, this);
    }

    /// <summary>
    /// Creates a registry with every built-in engine, every catalog that registered itself on load
    /// (<see cref="EngineCatalogs.Registered"/>), and the given plugin directories (by default those named by
    /// <c>COMPACT_MEMORY_ENGINES_PATH</c> and the per-user plugin directory).
    /// </summary>
    /// <param name="pluginDirectories">The plugin directories, or <see langword="null"/> for the environment's.</param>
    /// <returns>The registry.</returns>
    [RequiresUnreferencedCode(EnginePackageLoader.TrimMessage)]
    public static EngineRegistry CreateDefault(IReadOnlyList<PluginDirectory>? pluginDirectories = null)
    {
        var registry = new EngineRegistry();
        registry.RegisterBuiltIns();
        foreach (var catalog in EngineCatalogs.Registered)
        {
            registry.Register(catalog);
        }

        registry.AddPluginDirectories(pluginDirectories ?? PluginSearchPath.FromEnvironment());
        return registry;
    }

    /// <summary>Registers the built-in engines: <c>none</c>, <c>first_last</c>, <c>stopword_pruner</c>, <c>pipeline</c>.</summary>
    public void RegisterBuiltIns()
    {
        foreach (var descriptor in BuiltInEngines.Descriptors)
        {
            Register(descriptor, EngineSource.BuiltIn);
        }
    }

    /// <summary>Registers an engine from a source.</summary>
    /// <param name="descriptor">The engine.</param>
    /// <param name="source">Where it comes from; decides its precedence.</param>
    public void Register(EngineDescriptor descriptor, EngineSource source)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(source);
        var expected = descriptor.Kind == EngineKind.Compression ? typeof(CompressionEngine) : typeof(IContextEngine);
        if (!expected.IsAssignableFrom(descriptor.EngineType))
        {
            throw new ArgumentException(
                $"Engine '{descriptor.Id}' is declared as a {descriptor.Kind} engine, but {descriptor.EngineType.FullName} does not derive from {expected.Name}.",
                nameof(descriptor));
        }

        lock (_gate)
        {
            _registrations.Add(new EngineRegistration(descriptor, source));
            _byId = null;
        }
    }

    /// <summary>Registers every engine of a generated catalog.</summary>
    /// <param name="catalog">The catalog (for example one of <c>CompactMemoryEngines.Catalogs</c>).</param>
    /// <param name="source">Where the engines come from; by default <c>plugin (&lt;assembly name&gt;)</c> of the catalog's assembly.</param>
    public void Register(EngineCatalog catalog, EngineSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        source ??= EngineSource.FromPackage(catalog.GetType().Assembly.GetName().Name ?? "unknown");
        foreach (var descriptor in catalog.Engines)
        {
            Register(descriptor, source);
        }
    }

    /// <summary>Adds plugin directories to search; they are searched on the first lookup or listing.</summary>
    /// <param name="directories">The directories, in search order.</param>
    public void AddPluginDirectories(IEnumerable<PluginDirectory> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        lock (_gate)
        {
            _pendingDirectories.AddRange(directories);
            _byId = null;
        }
    }

    /// <summary>The ids of every engine, sorted ordinally.</summary>
    public IReadOnlyList<string> Ids => Resolved().Keys.OrderBy(id => id, StringComparer.Ordinal).ToArray();

    /// <summary>Packages that failed to load, with their errors.</summary>
    public IReadOnlyList<EngineListing> Failures
    {
        get
        {
            Resolved();
            lock (_gate)
            {
                return _failures.ToArray();
            }
        }
    }

    /// <summary>The registration an id resolves to.</summary>
    /// <param name="id">The engine id.</param>
    /// <returns>The winning registration.</returns>
    /// <exception cref="EngineNotFoundException">No engine has the id; the message lists the available ids and the closest match.</exception>
    public EngineRegistration Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryGet(id, out var registration) ? registration : throw new EngineNotFoundException(id, Ids);
    }

    /// <summary>Looks an id up.</summary>
    /// <param name="id">The engine id.</param>
    /// <param name="registration">The winning registration, when found.</param>
    /// <returns>Whether the id is known.</returns>
    public bool TryGet(string id, [NotNullWhen(true)] out EngineRegistration? registration)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Resolved().TryGetValue(id, out var candidates))
        {
            registration = candidates[0];
            return true;
        }

        registration = null;
        return false;
    }

    /// <summary>
    /// Every registration and every failed package, sorted by id and then by precedence: the active registration
    /// first, shadowed ones after it.
    /// </summary>
    /// <returns>The rows of <c>dev list-engines</c>.</returns>
    public IReadOnlyList<EngineListing> List()
    {
        var rows = new List<EngineListing>();
        foreach (var (id, candidates) in Resolved())
        {
            var winner = candidates[0];
            rows.Add(ToListing(winner, EngineStatus.Active) with { Overrides = candidates.Skip(1).Select(c => c.Source).ToArray() });
            foreach (var loser in candidates.Skip(1))
            {
                rows.Add(ToListing(loser, EngineStatus.Shadowed) with { ShadowedBy = winner.Source });
            }
        }

        lock (_gate)
        {
            rows.AddRange(_failures);
        }

        return rows
            .Select((row, index) => (row, index))
            .OrderBy(pair => pair.row.Id, StringComparer.Ordinal)
            .ThenBy(pair => pair.row.Status == EngineStatus.Failed ? 1 : 0)
            .ThenBy(pair => pair.index)
            .Select(pair => pair.row)
            .ToArray();
    }

    /// <summary>Creates the compression engine an id resolves to.</summary>
    /// <param name="id">The engine id.</param>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    /// <returns>A new engine.</returns>
    /// <exception cref="EngineNotFoundException">The id is unknown.</exception>
    /// <exception cref="EngineException">The id names a context engine, or the engine's constructor failed.</exception>
    public CompressionEngine CreateCompressionEngine(string id, EngineConfig? config = null)
    {
        var registration = Get(id);
        if (registration.Kind != EngineKind.Compression)
        {
            throw new EngineException($"Engine '{id}' is a context engine; it compacts conversations and cannot compress text. Choose a compression engine.");
        }

        return (CompressionEngine)Create(registration, config);
    }

    /// <summary>Creates the context engine an id resolves to.</summary>
    /// <param name="id">The engine id.</param>
    /// <returns>A new engine.</returns>
    /// <exception cref="EngineNotFoundException">The id is unknown.</exception>
    /// <exception cref="EngineException">The id names a compression engine, or the engine's constructor failed.</exception>
    public IContextEngine CreateContextEngine(string id)
    {
        var registration = Get(id);
        if (registration.Kind != EngineKind.Context)
        {
            throw new EngineException($"Engine '{id}' is a compression engine, not a context engine.");
        }

        return (IContextEngine)Create(registration, null);
    }

    /// <summary>
    /// Creates an engine from a registration. A constructor failure becomes an <see cref="EngineException"/> naming the
    /// engine and its source; the SDK's own exceptions (a <see cref="ConfigurationException"/> from a pipeline's
    /// stages, say) pass through unchanged, since their messages already say what to fix.
    /// </summary>
    /// <param name="registration">The registration.</param>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    /// <returns>The engine instance.</returns>
    public object Create(EngineRegistration registration, EngineConfig? config)
    {
        ArgumentNullException.ThrowIfNull(registration);
        try
        {
            var creation = config is null ? _defaultCreation : new EngineCreationContext(config, this);
            return registration.Descriptor.Factory(creation)
                ?? throw new EngineException($"Engine '{registration.Id}' ({registration.Source.Label}): its factory returned nothing.");
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new EngineException($"Engine '{registration.Id}' ({registration.Source.Label}) could not be created: {ex.InnerException.Message}", ex.InnerException);
        }
        catch (Exception ex) when (ex is not CompactMemoryException)
        {
            throw new EngineException($"Engine '{registration.Id}' ({registration.Source.Label}) could not be created: {ex.Message}", ex);
        }
    }

    private static EngineListing ToListing(EngineRegistration registration, EngineStatus status) => new()
    {
        Id = registration.Id,
        DisplayName = registration.DisplayName,
        Version = registration.Version,
        Kind = registration.Kind,
        Source = registration.Source,
        Status = status,
        PackagePath = registration.Source.Kind == EngineSourceKind.PluginDirectory ? registration.Source.Location : null,
    };

    /// <summary>Candidates by id, the winner first; discovers pending plugin directories first.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Directories are only added through CreateDefault/AddPluginDirectories, whose callers opted into plugin loading.")]
    private Dictionary<string, EngineRegistration[]> Resolved()
    {
        // Once resolved, the map is immutable until the next registration: lookups take no lock.
        if (_byId is { } resolved)
        {
            return resolved;
        }

        lock (_gate)
        {
            if (_byId is not null)
            {
                return _byId;
            }

            if (_pendingDirectories.Count > 0)
            {
                var directories = _pendingDirectories.ToArray();
                _pendingDirectories.Clear();
                foreach (var directory in directories)
                {
                    Discover(directory);
                }
            }

            _byId = _registrations
                .GroupBy(r => r.Id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Rank(g), StringComparer.Ordinal);
            return _byId;
        }
    }

    /// <summary>Orders one id's registrations: first match wins, except that a declared override beats a built-in.</summary>
    private static EngineRegistration[] Rank(IEnumerable<EngineRegistration> candidates)
    {
        var ordered = candidates.OrderBy(c => c.Source).ToList();
        if (ordered[0].Source.Kind == EngineSourceKind.BuiltIn)
        {
            var overrider = ordered.FirstOrDefault(c => c.Source.Kind != EngineSourceKind.BuiltIn && c.Descriptor.OverridesBuiltIn);
            if (overrider is not null)
            {
                ordered.Remove(overrider);
                ordered.Insert(0, overrider);
            }
        }

        return [.. ordered];
    }

    [RequiresUnreferencedCode(EnginePackageLoader.TrimMessage)]
    private void Discover(PluginDirectory directory)
    {
        string[] packages;
        try
        {
            if (!Directory.Exists(directory.Path))
            {
                return;
            }

            packages = Directory.GetDirectories(directory.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _failures.Add(Failure(directory.Path, Path.GetFileName(directory.Path), directory, ["Plugin directory could not be read: " + ex.Message]));
            return;
        }

        Array.Sort(packages, StringComparer.Ordinal);
        foreach (var package in packages)
        {
            var name = Path.GetFileName(package);
            if (name.StartsWith('.'))
            {
                continue;
            }

            EnginePackageInspection inspection;
            try
            {
                inspection = EnginePackageLoader.Load(package);
            }
            catch (Exception ex)
            {
                // The loader reports every expected failure itself; this keeps one truly broken package from stopping the rest.
                _failures.Add(Failure(package, name, directory, ["Unexpected failure loading the package: " + ex.Message]));
                continue;
            }

            if (inspection.IsValid)
            {
                _registrations.Add(new EngineRegistration(inspection.Descriptor!, EngineSource.FromPluginDirectory(directory, package)));
            }
            else
            {
                _failures.Add(Failure(package, inspection.Manifest?.EngineId ?? name, directory, [.. inspection.Errors]));
            }
        }
    }

    private static EngineListing Failure(string path, string id, PluginDirectory directory, IReadOnlyList<string> errors) => new()
    {
        Id = id,
        DisplayName = string.Empty,
        Version = "N/A",
        Source = EngineSource.FromPluginDirectory(directory, path),
        Status = EngineStatus.Failed,
        Errors = errors,
        PackagePath = path,
    };
}
