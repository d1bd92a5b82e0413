using System;
using System.Collections.Generic;
using System.IO;

namespace CompactMemory.Cli.Input;

/// <summary>
/// The canonical path of a file or directory: every symbolic link on the way resolved, <c>.</c> and <c>..</c> applied
/// after each link (as the kernel does, unlike <see cref="Path.GetFullPath(string)"/>), like <c>realpath(3)</c>. Two
/// paths name the same file exactly when their real paths are equal, and a path is inside a directory exactly when its
/// real path starts with the directory's.
/// </summary>
internal static class RealPath
{
    /// <summary>More links than this on one path is a loop, as for the kernel's <c>ELOOP</c>.</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// How paths compare: by ordinal, ignoring case on Windows only. (macOS volumes may be case-sensitive; there two
    /// names that differ in case are two files, and treating them as one would drop one.)
    /// </summary>
    public static StringComparison Comparison { get; } = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>A comparer for sets of real paths.</summary>
    public static StringComparer Comparer { get; } = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>
    /// Resolves <paramref name="path"/> (made absolute first). Components that do not exist are kept as they are.
    /// Returns null when the links loop or a link cannot be read; never throws.
    /// </summary>
    public static string? Resolve(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or IOException)
        {
            return null;
        }

        var root = Path.GetPathRoot(full);
        if (string.IsNullOrEmpty(root))
        {
            return null;
        }

        var pending = new Stack<string>();
        Push(pending, full[root.Length..]);
        var current = root;
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                var targetRoot = Path.GetPathRoot(target);
                if (string.IsNullOrEmpty(targetRoot))
                {
                    return null;
                }

                current = targetRoot;
                Push(pending, target[targetRoot.Length..]);
            }
            else
            {
                Push(pending, target);
            }
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or inside it (both real paths).</summary>
    public static bool IsInside(string path, string directory)
    {
        if (path.Equals(directory, Comparison))
        {
            return true;
        }

        var prefix = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, Comparison);
    }

    /// <summary>Pushes the components of a relative path so that the first one is popped first.</summary>
    private static void Push(Stack<string> pending, string relative)
    {
        var parts = relative.Split(Separators);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static readonly char[] Separators = Path.DirectorySeparatorChar == Path.AltDirectorySeparatorChar
        ? [Path.DirectorySeparatorChar]
        : [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];
}
