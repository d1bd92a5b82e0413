using System;
using System.Collections.Generic;

namespace CompactMemory.Cli.Packages;

/// <summary>
/// Decides whether a zip entry name may be written under a target folder: a relative path of plain names, never an
/// absolute path, a drive, a <c>..</c> or <c>.</c> component, an empty component or a control character. Names are
/// checked as NuGet writes them, after percent-decoding (<c>%2e%2e</c> is <c>..</c>) and with <c>\</c> read as a separator.
/// </summary>
internal static class ZipEntryNames
{
    /// <summary>The longest entry name accepted, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>The longest component accepted, in characters.</summary>
    public const int MaxComponentLength = 255;

    /// <summary>Splits a zip entry name into safe components.</summary>
    /// <param name="name">The entry's full name as stored in the archive.</param>
    /// <param name="components">The components, the last one a file name (empty for a folder entry).</param>
    /// <param name="problem">Why the name is refused: a phrase that follows "the entry '…'".</param>
    /// <returns>Whether the name is safe.</returns>
    public static bool TrySplit(string name, out IReadOnlyList<string> components, out string? problem)
    {
        components = [];
        problem = null;
        if (string.IsNullOrEmpty(name))
        {
            problem = "has an empty name";
            return false;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(name);
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException)
        {
            problem = "has a name that cannot be decoded";
            return false;
        }

        if (decoded.Length > MaxLength)
        {
            problem = "has a name longer than " + MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters";
            return false;
        }

        for (var i = 0; i < decoded.Length; i++)
        {
            var c = decoded[i];
            if (char.IsControl(c))
            {
                problem = "has a control character in its name";
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < decoded.Length && char.IsLowSurrogate(decoded[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                problem = "has a name that is not valid Unicode";
                return false;
            }
        }

        var path = decoded.Replace('\\', '/');
        if (path.StartsWith('/'))
        {
            problem = "is an absolute path";
            return false;
        }

        if (path.Contains(':', StringComparison.Ordinal))
        {
            problem = path.Length >= 2 && path[1] == ':' ? "names a drive (an absolute path)" : "has a ':' in its name";
            return false;
        }

        var isFolder = path.EndsWith('/');
        var parts = (isFolder ? path[..^1] : path).Split('/');
        var list = new List<string>(parts.Length + 1);
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                problem = "has an empty path component";
                return false;
            }

            if (part is "." or "..")
            {
                problem = "has a '" + part + "' component, which would point outside the package folder";
                return false;
            }

            if (part.Length > MaxComponentLength)
            {
                problem = "has a component longer than " + MaxComponentLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters";
                return false;
            }

            if (part.Trim().Length == 0 || part.EndsWith('.') || part.EndsWith(' '))
            {
                problem = "has a component that is blank or ends in a dot or a space";
                return false;
            }

            list.Add(part);
        }

        if (isFolder)
        {
            list.Add(string.Empty);
        }

        components = list;
        return true;
    }

    /// <summary>Whether <paramref name="path"/> lies strictly inside <paramref name="root"/> (both absolute).</summary>
    public static bool IsInside(string root, string path)
    {
        var prefix = System.IO.Path.TrimEndingDirectorySeparator(root) + System.IO.Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)
            && path.Length > prefix.Length;
    }
}
