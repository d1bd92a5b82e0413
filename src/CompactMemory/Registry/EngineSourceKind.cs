namespace CompactMemory.Registry;

/// <summary>Where an engine came from, in precedence order: earlier kinds win.</summary>
public enum EngineSourceKind
{
    /// <summary>Shipped with the runtime (<c>built-in</c>).</summary>
    BuiltIn = 0,

    /// <summary>A package in a plugin directory (<c>local (&lt;directory&gt;)</c>).</summary>
    PluginDirectory = 1,

    /// <summary>An engine package the host references (<c>plugin (&lt;package id&gt;)</c>).</summary>
    Package = 2,
}
