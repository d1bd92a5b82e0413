using System.Collections.Generic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CompactMemory.Context;

/// <summary>Where a selected context engine came from.</summary>
public enum ContextEngineSource
{
    /// <summary>The built-in compressor (<c>compressor</c>), chosen or fallen back to.</summary>
    BuiltIn,

    /// <summary>A context engine of the registry: a referenced engine package or a plugin directory.</summary>
    Registry,

    /// <summary>The engine a plugin registered into the <see cref="ContextEnginePluginSlot"/>.</summary>
    PluginSlot,
}

/// <summary>The outcome of <see cref="ContextEngineSelector.Select"/>: the engine to run and what happened on the way.</summary>
public sealed record ContextEngineSelection
{
    /// <summary>The engine to run; never <see langword="null"/>.</summary>
    public required IContextEngine Engine { get; init; }

    /// <summary>Where the engine came from.</summary>
    public required ContextEngineSource Source { get; init; }

    /// <summary>The engine name that was asked for (<c>compressor</c> when none was).</summary>
    public required string RequestedName { get; init; }

    /// <summary>Warnings, in order: engines that could not be created, names not found, and the fallback.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = new List<string>();

    /// <summary>True when another engine was asked for and the built-in compressor is used instead.</summary>
    public bool FallbackUsed { get; init; }

    /// <summary>Whether automatic compaction runs (<c>compression.enabled</c>; it applies to every engine).</summary>
    public bool CompressionEnabled { get; init; } = true;
}

/// <summary>What <see cref="ContextEngineSelector.Select"/> needs besides the configuration and the registry.</summary>
public sealed record ContextEngineSelectionOptions
{
    /// <summary>An engine name that overrides <c>context.engine</c> (a command-line option), or <see langword="null"/>.</summary>
    public string? EngineName { get; init; }

    /// <summary>The plugin slot consulted when the registry has no such engine, or <see langword="null"/>.</summary>
    public ContextEnginePluginSlot? PluginSlot { get; init; }

    /// <summary>The model that writes the built-in compressor's summaries; <see langword="null"/> for its deterministic offline fallback summary.</summary>
    public IChatClient? SummaryClient { get; init; }

    /// <summary>Where the selection's warnings and the built-in compressor log; nowhere when <see langword="null"/>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The main model's name. Default empty.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>The main model's context window; <see langword="null"/> for the default (128,000 tokens). Must be at least <see cref="ContextEngineSelector.MinimumContextLength"/>.</summary>
    public int? ContextLength { get; init; }

    /// <summary>The main model's output-token limit (reserved by the built-in compressor), or <see langword="null"/>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The provider's base URL, passed to a non-built-in engine's <c>UpdateModel</c>.</summary>
    public string BaseUrl { get; init; } = string.Empty;

    /// <summary>The provider's API key, passed to a non-built-in engine's <c>UpdateModel</c>.</summary>
    public string ApiKey { get; init; } = string.Empty;

    /// <summary>The provider's name, passed to a non-built-in engine's <c>UpdateModel</c>.</summary>
    public string Provider { get; init; } = string.Empty;

    /// <summary>The provider's API mode, passed to a non-built-in engine's <c>UpdateModel</c>.</summary>
    public string ApiMode { get; init; } = string.Empty;
}

/// <summary>One row of the engine picker: a context engine's name and what it is.</summary>
/// <param name="Name">The engine name, the value of <c>context.engine</c> that selects it.</param>
/// <param name="Description">The description (<c>built-in compressor</c>, a package's description, or <c>installed plugin</c>).</param>
/// <param name="Source">Where it comes from.</param>
/// <param name="Origin">Where it comes from, in words (<c>built-in</c>, a registry source label, or the plugin's name).</param>
public sealed record ContextEngineInfo(string Name, string Description, ContextEngineSource Source, string Origin);
