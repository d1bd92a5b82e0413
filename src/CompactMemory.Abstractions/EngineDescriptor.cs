using System;
using System.Collections.Generic;
using CompactMemory.Compression;

namespace CompactMemory;

/// <summary>Creates engines by id; passed to factories so composite engines (a pipeline) can build their stages.</summary>
public interface IEngineResolver
{
    /// <summary>Creates a compression engine by id.</summary>
    /// <param name="id">The engine id.</param>
    /// <param name="config">The configuration; the default when <see langword="null"/>.</param>
    /// <returns>A new engine.</returns>
    CompressionEngine CreateCompressionEngine(string id, EngineConfig? config = null);
}

/// <summary>What a factory receives when it creates an engine.</summary>
/// <param name="Config">The configuration to create the engine with; <see langword="null"/> for the engine's default.</param>
/// <param name="Engines">Creates other engines by id.</param>
public sealed record EngineCreationContext(EngineConfig? Config, IEngineResolver Engines);

/// <summary>
/// Everything the runtime needs to list and create an engine without reflection: its identity, its kind and a
/// factory. Built-in engines declare one each; the SDK's source generator emits one per
/// <see cref="CompressionEngineAttribute"/> class.
/// </summary>
public sealed record EngineDescriptor
{
    /// <summary>Describes an engine.</summary>
    /// <param name="id">The engine id.</param>
    /// <param name="kind">Compression or context engine.</param>
    /// <param name="engineType">The engine class.</param>
    /// <param name="factory">Creates an instance.</param>
    public EngineDescriptor(string id, EngineKind kind, Type engineType, Func<EngineCreationContext, object> factory)
    {
        ArgumentGuard.NotNull(id, nameof(id));
        ArgumentGuard.NotNull(engineType, nameof(engineType));
        ArgumentGuard.NotNull(factory, nameof(factory));
        Id = id;
        Kind = kind;
        EngineType = engineType;
        Factory = factory;
    }

    /// <summary>Describes an engine in one call (the form generated code uses, so it compiles as C# 7.3).</summary>
    /// <param name="id">The engine id.</param>
    /// <param name="kind">Compression or context engine.</param>
    /// <param name="engineType">The engine class.</param>
    /// <param name="factory">Creates an instance.</param>
    /// <param name="displayName">The name shown in listings.</param>
    /// <param name="version">The engine version.</param>
    /// <param name="description">What the engine does.</param>
    /// <param name="authors">Who wrote it.</param>
    /// <param name="overridesBuiltIn">Whether it means to replace a built-in engine with the same id.</param>
    public EngineDescriptor(
        string id,
        EngineKind kind,
        Type engineType,
        Func<EngineCreationContext, object> factory,
        string? displayName,
        string? version,
        string? description,
        IReadOnlyList<string>? authors,
        bool overridesBuiltIn)
        : this(id, kind, engineType, factory)
    {
        DisplayName = displayName;
        Version = version;
        Description = description;
        Authors = authors ?? Array.Empty<string>();
        OverridesBuiltIn = overridesBuiltIn;
    }

    /// <summary>The engine id.</summary>
    public string Id { get; }

    /// <summary>Compression or context engine.</summary>
    public EngineKind Kind { get; }

    /// <summary>The engine class.</summary>
    public Type EngineType { get; }

    /// <summary>Creates an instance; the result derives from <see cref="CompressionEngine"/> or implements <c>IContextEngine</c>, as <see cref="Kind"/> says.</summary>
    public Func<EngineCreationContext, object> Factory { get; }

    /// <summary>The name shown in listings; the id when not set.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The engine version, or <see langword="null"/> when it has none (listed as <c>N/A</c>).</summary>
    public string? Version { get; init; }

    /// <summary>What the engine does, in a sentence.</summary>
    public string? Description { get; init; }

    /// <summary>Who wrote the engine (names, optionally with an address: <c>Ada Lovelace &lt;ada@example.com&gt;</c>).</summary>
    public IReadOnlyList<string> Authors { get; init; } = Array.Empty<string>();

        /// <summary>Whether the engine means to replace a built-in engine with the same id.</summary>
    public bool OverridesBuiltIn { get; init; }
}
