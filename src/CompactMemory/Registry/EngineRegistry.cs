using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
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
/// Every losing registration is kept and listed as shadowed; a package that fails to load, and a catalog entry that
/// cannot be registered, is listed with its errors and never stops the others: building a registry, registering
/// catalogs and discovering plugin directories never throw because of a plugin or a referenced package. Plugin
/// directories are searched lazily, on the first lookup or listing.
/// </summary>
public sealed class EngineRegistry : IEngineResolver
{
    /// <summary>A catalog listing more entries than this is refused whole: its engine list probably never ends.</summary>
    private const int MaxCatalogEntries = 100_000;

    /// <summary>Entries named in the error of an id that several entries of one catalog share.</summary>
    private const int MaxNamedDuplicates = 5;

    private readonly object _gate = new();
    private readonly List<EngineRegistration> _registrations = [];
    private readonly List<EngineListing> _failures = [];
    private readonly List<PluginDirectory> _pendingDirectories = [];
    private readonly EngineCreationContext _defaultCreation;
    private volatile Dictionary<string, EngineRegistration[]>? _byId;
    private TimeSpan _pluginLoadTimeout = EnginePackageLoader.DefaultTimeout;

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
    /// <exception cref="ArgumentException">
    /// The descriptor cannot be registered: its id is empty or contains whitespace, its class is not an engine of its
    /// declared kind, or it has no factory. The message names the engine and the fix. (Registering a catalog never
    /// throws for a bad entry; see <see cref="Register(EngineCatalog, EngineSource?)"/>.)
    /// </exception>
    public void Register(EngineDescriptor descriptor, EngineSource source)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(source);
        if (DescriptorRules.Problem(descriptor) is { } problem)
        {
            throw new ArgumentException(Capitalize(problem) + ".", nameof(descriptor));
        }

        lock (_gate)
        {
            _registrations.Add(new EngineRegistration(descriptor, source));
            _byId = null;
        }
    }

    /// <summary>
    /// Registers every engine of a catalog (for example one of <c>CompactMemoryEngines.Catalogs</c>, or a catalog that
    /// registered itself on load), entry by entry: every entry is checked before anything of the catalog is
    /// registered; the good ones are registered, and each bad one is refused and listed in <see cref="Failures"/> and
    /// <see cref="List"/> with its error, so one bad entry never loses the others. A bad entry is a null entry, an id
    /// that is empty or contains whitespace, a class that is not an engine of the declared kind, a missing factory, or
    /// an id that two entries of the catalog share (all of them are refused: the registry cannot tell which one was
    /// meant). A catalog whose engine list cannot be read (its <see cref="EngineCatalog.Engines"/> throws, or
    /// returns <see langword="null"/>) is listed as one failed row named after the catalog; when the list throws part
    /// way, the entries before that point are still registered; a list of more than 100,000 entries is refused whole.
    /// Nothing of the catalog throws.
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="source">Where the engines come from; by default <c>plugin (&lt;assembly name&gt;)</c> of the catalog's assembly.</param>
    /// <returns>What was registered and what was refused; <see cref="CatalogRegistration.Succeeded"/> is true when nothing was refused.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is <see langword="null"/>.</exception>
    public CatalogRegistration Register(EngineCatalog catalog, EngineSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var catalogType = catalog.GetType();
        var catalogName = DescriptorRules.TypeName(catalogType);
        source ??= EngineSource.FromPackage(catalogType.Assembly.GetName().Name ?? "unknown");
        var location = FolderOf(catalogType.Assembly);
        var (entries, readError) = ReadCatalog(catalog, catalogName, packageDirectory: null);

        var failed = new List<(int Index, EngineListing Row)>();
        var candidates = new List<(int Index, EngineDescriptor Descriptor)>();
        for (var index = 0; index < entries.Count; index++)
        {
            var entry = entries[index];
            var problem = entry is null ? "the entry is null; remove it, or put an EngineDescriptor there" : DescriptorRules.Problem(entry);
            if (problem is null)
            {
                candidates.Add((index, entry!));
            }
            else
            {
                failed.Add((index, CatalogFailure(ListedId(entry, catalogName, index), source, location, EntryError(index, catalogName, problem))));
            }
        }

        var shared = candidates
            .GroupBy(candidate => candidate.Descriptor.Id, StringComparer.Ordinal)
            .Where(group => group.Skip(1).Any())
            .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
        var accepted = new List<EngineRegistration>();
        foreach (var (index, descriptor) in candidates)
        {
            if (shared.TryGetValue(descriptor.Id, out var sharing))
            {
                // At most a few users are named: a catalog repeating one id many times must not cost quadratic text.
                var users = sharing.Take(MaxNamedDuplicates)
                    .Select(s => "entry " + s.Index.ToString(CultureInfo.InvariantCulture) + ": " + DescriptorRules.TypeName(s.Descriptor.EngineType))
                    .Append(sharing.Length > MaxNamedDuplicates ? (sharing.Length - MaxNamedDuplicates).ToString(CultureInfo.InvariantCulture) + " more" : null)
                    .OfType<string>()
                    .ToArray();
                var problem = "engine id '" + descriptor.Id + "' is used by " + sharing.Length.ToString(CultureInfo.InvariantCulture)
                    + " entries of the catalog (" + FailureText.Join(users) + "); ids must be unique, so give each engine its own id";
                failed.Add((index, CatalogFailure(descriptor.Id, source, location, EntryError(index, catalogName, problem))));
            }
            else
            {
                accepted.Add(new EngineRegistration(descriptor, source));
            }
        }

        var failures = failed.OrderBy(f => f.Index).Select(f => f.Row).ToList();
        if (readError is not null)
        {
            var kept = entries.Count == 0 ? string.Empty : "; the entries before that point were checked, and the good ones registered";
            failures.Add(CatalogFailure(catalogName, source, location, readError + kept));
        }

        lock (_gate)
        {
            _registrations.AddRange(accepted);
            _failures.AddRange(failures);
            _byId = null;
        }

        return new CatalogRegistration(catalogName, source, accepted.ToArray(), failures.ToArray());
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

    /// <summary>
    /// How long a package's own code may run while discovery loads it (its generated catalog's static initialisation
    /// and engine list) before the package is listed as failed and discovery moves on to the next one; by default
    /// <see cref="EnginePackageLoader.DefaultTimeout"/>. Set it before the first lookup.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive (and not <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan PluginLoadTimeout
    {
        get => _pluginLoadTimeout;
        set
        {
            BoundedCall.Validate(value, nameof(value));
            _pluginLoadTimeout = value;
        }
    }

    /// <summary>The ids of every engine, sorted ordinally.</summary>
    public IReadOnlyList<string> Ids => Resolved().Keys.OrderBy(id => id, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Packages that failed to load, catalog entries that could not be registered, and catalogs whose engine list
    /// could not be read, each with its errors, in the order they were found.
    /// </summary>
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
    /// <exception cref="EngineException">The id names a context engine, or the engine could not be created (see <see cref="Create"/>).</exception>
    /// <exception cref="ConfigurationException">The engine refused its configuration.</exception>
    public CompressionEngine CreateCompressionEngine(string id, EngineConfig? config = null)
    {
        var registration = Get(id);
        if (registration.Kind != EngineKind.Compression)
        {
            throw new EngineException($"Engine '{id}' is a context engine; it compacts conversations and cannot compress text. Choose a compression engine.");
        }

        return Create(registration, config) as CompressionEngine ?? throw WrongKind(registration, typeof(CompressionEngine));
    }

    /// <summary>Creates the context engine an id resolves to.</summary>
    /// <param name="id">The engine id.</param>
    /// <returns>A new engine.</returns>
    /// <exception cref="EngineNotFoundException">The id is unknown.</exception>
    /// <exception cref="EngineException">The id names a compression engine, or the engine could not be created (see <see cref="Create"/>).</exception>
    public IContextEngine CreateContextEngine(string id)
    {
        var registration = Get(id);
        if (registration.Kind != EngineKind.Context)
        {
            throw new EngineException($"Engine '{id}' is a compression engine, not a context engine.");
        }

        return Create(registration, null) as IContextEngine ?? throw WrongKind(registration, typeof(IContextEngine));
    }

    /// <summary>
    /// Creates an engine from a registration. A failure names the engine, its source and the real cause:
    /// <c>Engine 'x' (local (plugins)) could not be created: InvalidOperationException: no model file</c> — reflection's
    /// wrappers are removed, a failing static constructor is named with what it threw, and a missing dependency is
    /// named with its version and the package folder to copy it into. It is an <see cref="EngineException"/>, or a
    /// <see cref="ConfigurationException"/> when the engine refused its configuration. The exceptions of the built-in
    /// engines (a <see cref="PipelineConfigurationException"/> naming a pipeline's bad stage, say) pass through
    /// unchanged, since their messages already say what to fix.
    /// </summary>
    /// <param name="registration">The registration.</param>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    /// <returns>The engine instance.</returns>
    /// <exception cref="EngineException">The engine could not be created, or its factory returned nothing.</exception>
    /// <exception cref="ConfigurationException">The engine refused its configuration.</exception>
    public object Create(EngineRegistration registration, EngineConfig? config)
    {
        ArgumentNullException.ThrowIfNull(registration);
        object? engine;
        try
        {
            var creation = config is null ? _defaultCreation : new EngineCreationContext(config, this);
            engine = registration.Descriptor.Factory(creation);
        }
        catch (Exception ex)
        {
            var cause = FailureText.Unwrap(ex);
            if (cause is CompactMemoryException && (registration.Source.Kind == EngineSourceKind.BuiltIn || cause is PipelineConfigurationException))
            {
                ExceptionDispatchInfo.Capture(cause).Throw();
            }

            var message = "Engine '" + registration.Id + "' (" + registration.Source.Label + ") could not be created: "
                + FailureText.Describe(cause, PackageFolder(registration.Source));
            throw cause is ConfigurationException ? new ConfigurationException(message, cause) : new EngineException(message, cause);
        }

        return engine ?? throw new EngineException($"Engine '{registration.Id}' ({registration.Source.Label}): its factory returned nothing; return a new engine instance.");
    }

    private static EngineException WrongKind(EngineRegistration registration, Type expected) =>
        new($"Engine '{registration.Id}' ({registration.Source.Label}): its factory did not return a {expected.Name}; return an instance of {DescriptorRules.TypeName(registration.Descriptor.EngineType)}.");

    /// <summary>The folder a missing dependency should be copied into: a plugin directory package's own folder.</summary>
    private static string? PackageFolder(EngineSource source) => source.Kind == EngineSourceKind.PluginDirectory ? source.Location : null;

    /// <summary>Reads a catalog's entries; code in the catalog may throw, return nothing, or never end.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="catalogName">Its class name, for messages.</param>
    /// <param name="packageDirectory">The package folder it was loaded from, if any (a missing dependency belongs there).</param>
    /// <returns>The entries read (possibly null ones), and the error that stopped reading, if any.</returns>
    internal static (List<EngineDescriptor?> Entries, string? Error) ReadCatalog(EngineCatalog catalog, string catalogName, string? packageDirectory)
    {
        var entries = new List<EngineDescriptor?>();
        IEnumerable<EngineDescriptor?>? engines;
        try
        {
            engines = catalog.Engines;
        }
        catch (Exception ex)
        {
            return (entries, "engine catalog '" + catalogName + "' could not be read: " + FailureText.Describe(ex, packageDirectory));
        }

        if (engines is null)
        {
            return (entries, "engine catalog '" + catalogName + "' returned null from Engines; return an empty list when it has no engines");
        }

        try
        {
            foreach (var engine in engines)
            {
                if (entries.Count == MaxCatalogEntries)
                {
                    entries.Clear();
                    return (entries, "engine catalog '" + catalogName + "' lists more than "
                        + MaxCatalogEntries.ToString("N0", CultureInfo.InvariantCulture) + " engines; none of them was registered");
                }

                entries.Add(engine);
            }
        }
        catch (Exception ex)
        {
            return (entries, "engine catalog '" + catalogName + "' could not be read completely: its engine list failed after " + entries.Count.ToString(CultureInfo.InvariantCulture)
                + (entries.Count == 1 ? " entry: " : " entries: ") + FailureText.Describe(ex, packageDirectory));
        }

        return (entries, null);
    }

    /// <summary>The folder an assembly was loaded from (the application's for a single-file app), for listings of its failures.</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location (single-file app) falls back to the application's folder.")]
    private static string FolderOf(System.Reflection.Assembly assembly) =>
        string.IsNullOrEmpty(assembly.Location) ? AppContext.BaseDirectory : Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;

    private static string EntryError(int index, string catalogName, string problem) =>
        "entry " + index.ToString(CultureInfo.InvariantCulture) + " of engine catalog '" + catalogName + "': " + problem;

    /// <summary>The id a refused entry is listed under: its own when it is printable, else the catalog and position.</summary>
    private static string ListedId(EngineDescriptor? entry, string catalogName, int index) =>
        entry?.Id is { } id && !string.IsNullOrWhiteSpace(id) && !id.Any(char.IsControl)
            ? id
            : catalogName + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static EngineListing CatalogFailure(string id, EngineSource source, string? path, string error) => new()
    {
        Id = id,
        DisplayName = string.Empty,
        Version = "N/A",
        Source = source,
        Status = EngineStatus.Failed,
        Errors = [error],
        PackagePath = path,
    };

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
        catch (Exception ex)
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
                inspection = EnginePackageLoader.Load(package, _pluginLoadTimeout);
            }
            catch (Exception ex)
            {
                // The loader reports every expected failure itself; this keeps one truly broken package from stopping the rest.
                _failures.Add(Failure(package, name, directory, ["Unexpected failure loading the package: " + FailureText.Describe(ex, package)]));
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
