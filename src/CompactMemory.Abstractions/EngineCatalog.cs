using System.Collections.Generic;

namespace CompactMemory;

/// <summary>
/// The engines one assembly defines. The SDK's source generator derives one sealed catalog per assembly from this
/// class and points <see cref="EngineCatalogAttribute"/> at it, so hosts and the plugin loader read one attribute and
/// get every engine with its factory: no type scanning, no reflection over engine types.
/// </summary>
public abstract class EngineCatalog
{
    /// <summary>The engines, in ordinal order of their ids.</summary>
    public abstract IReadOnlyList<EngineDescriptor> Engines { get; }
}
