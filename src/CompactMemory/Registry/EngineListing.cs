using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CompactMemory.Registry;

/// <summary>One row of <c>dev list-engines</c>: an engine, a shadowed registration, or a package that failed to load.</summary>
public sealed record EngineListing
{
    /// <summary>The engine id (for a failed package: its manifest's id, or its folder name).</summary>
    public required string Id { get; init; }

    /// <summary>The display name (empty for a failed package whose manifest could not be read).</summary>
    public required string DisplayName { get; init; }

    /// <summary>The version, <c>N/A</c> when none.</summary>
    public required string Version { get; init; }

    /// <summary>Compression or context engine; <see langword="null"/> for a failed package.</summary>
    public EngineKind? Kind { get; init; }

    /// <summary>Where it came from.</summary>
    public required EngineSource Source { get; init; }

    /// <summary>Active, shadowed or failed.</summary>
    public required EngineStatus Status { get; init; }

    /// <summary>For an active engine: the sources of the registrations it wins over, in precedence order.</summary>
    public IReadOnlyList<EngineSource> Overrides { get; init; } = [];

    /// <summary>For a shadowed registration: the source of the registration that wins.</summary>
    public EngineSource? ShadowedBy { get; init; }

    /// <summary>For a failed package: every error, in order.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>For a failed package: its folder.</summary>
    public string? PackagePath { get; init; }

    /// <summary>The Status column: empty, <c>Overrides 'built-in'</c>, <c>Shadowed by 'local (a)'</c> or <c>Failed: …</c>.</summary>
    public string StatusText => Status switch
    {
        EngineStatus.Active when Overrides.Count > 0 =>
            "Overrides " + string.Join(", ", Overrides.Select(source => "'" + source.Label + "'")),
        EngineStatus.Active => string.Empty,
        EngineStatus.Shadowed => string.Format(CultureInfo.InvariantCulture, "Shadowed by '{0}'", ShadowedBy?.Label),
        _ => "Failed: " + string.Join("; ", Errors),
    };
}
