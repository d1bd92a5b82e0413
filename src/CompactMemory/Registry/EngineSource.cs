using System;
using System.Globalization;

namespace CompactMemory.Registry;

/// <summary>Where a registration came from, and its place in the precedence order.</summary>
public sealed record EngineSource : IComparable<EngineSource>
{
    private EngineSource(EngineSourceKind kind, string label, int directoryIndex, string? location)
    {
        Kind = kind;
        Label = label;
        DirectoryIndex = directoryIndex;
        Location = location;
    }

    /// <summary>The built-in source.</summary>
    public static EngineSource BuiltIn { get; } = new(EngineSourceKind.BuiltIn, "built-in", 0, null);

    /// <summary>The kind of source.</summary>
    public EngineSourceKind Kind { get; }

    /// <summary>The label shown in listings: <c>built-in</c>, <c>local (plugins)</c>, <c>plugin (Acme.Engines)</c>.</summary>
    public string Label { get; }

    /// <summary>For plugin directories, the directory's position in the search path (0 first).</summary>
    public int DirectoryIndex { get; }

    /// <summary>The package folder or package id, when there is one.</summary>
    public string? Location { get; }

    /// <summary>A package found in a plugin directory.</summary>
    /// <param name="directory">The plugin directory it was found in.</param>
    /// <param name="packageFolder">The package's own folder.</param>
    /// <returns>The source.</returns>
    public static EngineSource FromPluginDirectory(PluginDirectory directory, string packageFolder)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new EngineSource(EngineSourceKind.PluginDirectory, directory.Label, directory.Index, packageFolder);
    }

    /// <summary>An engine package referenced by the host.</summary>
    /// <param name="packageId">The package id.</param>
    /// <returns>The source.</returns>
    public static EngineSource FromPackage(string packageId) =>
        new(EngineSourceKind.Package, string.Format(CultureInfo.InvariantCulture, "plugin ({0})", packageId), 0, packageId);

    /// <summary>Orders sources by precedence: built-in, then plugin directories in search order, then packages by id.</summary>
    /// <param name="other">The other source.</param>
    /// <returns>Negative when this source wins.</returns>
    public int CompareTo(EngineSource? other)
    {
        if (other is null)
        {
            return -1;
        }

        var byKind = Kind.CompareTo(other.Kind);
        if (byKind != 0)
        {
            return byKind;
        }

        var byDirectory = DirectoryIndex.CompareTo(other.DirectoryIndex);
        return byDirectory != 0 ? byDirectory : string.CompareOrdinal(Location, other.Location);
    }

    /// <inheritdoc />
    public override string ToString() => Label;

    /// <summary>Whether <paramref name="left"/> wins over <paramref name="right"/>.</summary>
    /// <param name="left">A source.</param>
    /// <param name="right">Another source.</param>
    /// <returns>True when <paramref name="left"/> has precedence.</returns>
    public static bool operator <(EngineSource? left, EngineSource? right) => Compare(left, right) < 0;

    /// <summary>Whether <paramref name="left"/> wins over or ties with <paramref name="right"/>.</summary>
    /// <param name="left">A source.</param>
    /// <param name="right">Another source.</param>
    /// <returns>True when <paramref name="left"/> does not lose.</returns>
    public static bool operator <=(EngineSource? left, EngineSource? right) => Compare(left, right) <= 0;

    /// <summary>Whether <paramref name="right"/> wins over <paramref name="left"/>.</summary>
    /// <param name="left">A source.</param>
    /// <param name="right">Another source.</param>
    /// <returns>True when <paramref name="right"/> has precedence.</returns>
    public static bool operator >(EngineSource? left, EngineSource? right) => Compare(left, right) > 0;

    /// <summary>Whether <paramref name="right"/> wins over or ties with <paramref name="left"/>.</summary>
    /// <param name="left">A source.</param>
    /// <param name="right">Another source.</param>
    /// <returns>True when <paramref name="left"/> does not win.</returns>
    public static bool operator >=(EngineSource? left, EngineSource? right) => Compare(left, right) >= 0;

    private static int Compare(EngineSource? left, EngineSource? right) =>
        left is null ? (right is null ? 0 : 1) : left.CompareTo(right);
}
