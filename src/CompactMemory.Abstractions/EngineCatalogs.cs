using System;
using System.Collections.Generic;

namespace CompactMemory;

/// <summary>
/// Catalogs that registered themselves when their assembly loaded (opt-in with the MSBuild property
/// <c>CompactMemoryRegisterEnginesOnLoad</c>), and helpers the generated <c>CompactMemoryEngines</c> class uses.
/// </summary>
public static class EngineCatalogs
{
    /// <summary>A catalog listing more engines than this is left out whole (the registry refuses it too).</summary>
    private const int MaxEntries = 100000;

    private static readonly object Gate = new();
    private static readonly List<EngineCatalog> Loaded = new();

    /// <summary>The catalogs registered so far, in registration order.</summary>
    public static IReadOnlyList<EngineCatalog> Registered
    {
        get
        {
            lock (Gate)
            {
                return Loaded.ToArray();
            }
        }
    }

    /// <summary>Registers a catalog; registering the same catalog type twice has no effect.</summary>
    /// <param name="catalog">The catalog.</param>
    public static void Register(EngineCatalog catalog)
    {
        ArgumentGuard.NotNull(catalog, nameof(catalog));
        lock (Gate)
        {
            foreach (var existing in Loaded)
            {
                if (existing.GetType() == catalog.GetType())
                {
                    return;
                }
            }

            Loaded.Add(catalog);
        }
    }

    /// <summary>
    /// Every engine of the given catalogs, in catalog order. It never throws because of a catalog: null catalogs, null
    /// entries, and catalogs whose engine list is <see langword="null"/> or longer than 100,000 entries are left out;
    /// a catalog whose engine list throws contributes the entries read before it threw (the generated
    /// <c>CompactMemoryEngines.All</c> is built with it while the class initialises, where an exception would make
    /// the whole class unusable). Registering the catalogs (<c>EngineRegistry.Register(catalog)</c>) reports each of
    /// those problems with its cause.
    /// </summary>
    /// <param name="catalogs">The catalogs.</param>
    /// <returns>The engines.</returns>
    public static IReadOnlyList<EngineDescriptor> Flatten(IEnumerable<EngineCatalog> catalogs)
    {
        ArgumentGuard.NotNull(catalogs, nameof(catalogs));
        var engines = new List<EngineDescriptor>();
        foreach (var catalog in catalogs)
        {
            if (catalog is null)
            {
                continue;
            }

            var read = new List<EngineDescriptor>();
            try
            {
                foreach (var engine in catalog.Engines ?? Array.Empty<EngineDescriptor>())
                {
                    if (read.Count == MaxEntries)
                    {
                        // An engine list this long probably never ends; registration refuses it whole, and so does this.
                        read.Clear();
                        break;
                    }

                    if (engine is not null)
                    {
                        read.Add(engine);
                    }
                }
            }
            catch (Exception)
            {
                // The catalog is broken; registering it lists why. Its entries read before the failure are kept, as registration keeps them.
            }

            engines.AddRange(read);
        }

        return engines.ToArray();
    }
}
