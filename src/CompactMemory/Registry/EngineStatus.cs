namespace CompactMemory.Registry;

/// <summary>How a listed engine fared in resolution.</summary>
public enum EngineStatus
{
    /// <summary>This registration is the one its id resolves to.</summary>
    Active = 0,

    /// <summary>Another registration with the same id wins over this one.</summary>
    Shadowed = 1,

    /// <summary>The package could not be loaded; <see cref="EngineListing.Errors"/> says why.</summary>
    Failed = 2,
}
