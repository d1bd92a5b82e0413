namespace CompactMemory.Registry;

/// <summary>An engine known to the registry: its descriptor and where it came from.</summary>
/// <param name="Descriptor">The engine's identity and factory.</param>
/// <param name="Source">Where it came from.</param>
public sealed record EngineRegistration(EngineDescriptor Descriptor, EngineSource Source)
{
    /// <summary>The engine id.</summary>
    public string Id => Descriptor.Id;

    /// <summary>The name shown in listings (the id when the engine declares none).</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Descriptor.DisplayName) ? Descriptor.Id : Descriptor.DisplayName!;

    /// <summary>The version shown in listings (<c>N/A</c> when the engine declares none).</summary>
    public string Version => string.IsNullOrWhiteSpace(Descriptor.Version) ? "N/A" : Descriptor.Version!;

    /// <summary>Compression or context engine.</summary>
    public EngineKind Kind => Descriptor.Kind;
}
