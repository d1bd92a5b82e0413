using System.Collections.Generic;

namespace CompactMemory;

/// <summary>
/// Catalogs that registered themselves when their assembly loaded (opt-in with the MSBuild property
/// <c>CompactMemoryRegisterEnginesOnLoad</c>), and helpers the generated <c>CompactMemoryEngines</c> class uses.
/// </summary>
public static class EngineCatalogs
{
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

    /// <summary>Every engine of the given catalogs, in catalog order.</summary>
    /// <param name="catalogs">The catalogs.</param>
    /// <returns>The engines.</returns>
    public static IReadOnlyList<EngineDescriptor> Flatten(IEnumerable<EngineCatalog> catalogs)
    {
        ArgumentGuard.NotNull(catalogs, nameof(catalogs));
        var engines = new List<EngineDescriptor>();
        foreach (var catalog in catalogs)
        {
            engines.AddRange(catalog.Engines);
        }

        return engines.ToArray();
    }
}
