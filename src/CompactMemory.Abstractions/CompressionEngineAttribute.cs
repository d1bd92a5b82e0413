using System;

namespace CompactMemory;

/// <summary>
/// Marks a class as an engine with a stable id. The id is what users pass to
/// <c>compact-memory compress --engine</c>, what <c>engine_package.yaml</c> names as <c>engine_id</c>,
/// and, for context engines, the <c>context.engine</c> value that selects the engine.
/// </summary>
/// <remarks>
/// Ids are lowercase <c>snake_case</c> or <c>kebab-case</c> by convention, with no whitespace.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CompressionEngineAttribute : Attribute
{
    /// <summary>Declares the engine id.</summary>
    /// <param name="id">The engine id, for example <c>"first_last"</c>.</param>
    public CompressionEngineAttribute(string id)
    {
        Id = id;
    }

    /// <summary>The engine id.</summary>
    public string Id { get; }

    /// <summary>A human-readable name for listings; the id when not set.</summary>
    public string? DisplayName { get; set; }

    /// <summary>A one-sentence description for listings and the package manifest.</summary>
    public string? Description { get; set; }

    /// <summary>The engine version; the project's package version when not set.</summary>
    public string? Version { get; set; }

    /// <summary>
    /// Set to <see langword="true"/> when this engine deliberately replaces a built-in engine with
    /// the same id. Without it a built-in always wins over a plugin (the manifest's <c>overrides_builtin</c>).
    /// </summary>
    public bool OverridesBuiltIn { get; set; }
}
