using System.Collections.Generic;

namespace CompactMemory.Registry;

/// <summary>
/// What <see cref="EngineRegistry.Register(EngineCatalog, EngineSource?)"/> did with a catalog. Every entry is checked
/// before any is registered; the good ones are registered, the bad ones are refused and listed (here, in
/// <see cref="EngineRegistry.Failures"/> and in <see cref="EngineRegistry.List"/>) with the reason.
/// </summary>
public sealed class CatalogRegistration
{
    internal CatalogRegistration(string catalogName, EngineSource source, IReadOnlyList<EngineRegistration> registered, IReadOnlyList<EngineListing> failed)
    {
        CatalogName = catalogName;
        Source = source;
        Registered = registered;
        Failed = failed;
    }

    /// <summary>The catalog's class, namespace-qualified.</summary>
    public string CatalogName { get; }

    /// <summary>The source the catalog's engines were registered with.</summary>
    public EngineSource Source { get; }

    /// <summary>The engines registered, in catalog order.</summary>
    public IReadOnlyList<EngineRegistration> Registered { get; }

    /// <summary>
    /// The entries refused, in catalog order, each with its error (<see cref="EngineListing.Errors"/>): a null entry, an
    /// empty id or one with whitespace, a class that is not an engine of the declared kind, no factory, an id used
    /// twice in the catalog; or, as one row named after the catalog, an engine list that could not be read.
    /// </summary>
    public IReadOnlyList<EngineListing> Failed { get; }

    /// <summary>Whether every entry was registered.</summary>
    public bool Succeeded => Failed.Count == 0;
}
