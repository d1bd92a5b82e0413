namespace CompactMemory.Analyzers.Helpers;

/// <summary>Metadata names of the contract types the rules look for (from CompactMemory.Abstractions).</summary>
internal static class KnownTypeNames
{
    public const string CompressionEngineAttribute = "CompactMemory.CompressionEngineAttribute";
    public const string EngineToolAttribute = "CompactMemory.EngineToolAttribute";
    public const string CompressionEngine = "CompactMemory.Compression.CompressionEngine";
    public const string ContextEngine = "CompactMemory.Context.ContextEngine";
    public const string IContextEngine = "CompactMemory.Context.IContextEngine";
    public const string EngineConfig = "CompactMemory.Compression.EngineConfig";
}
