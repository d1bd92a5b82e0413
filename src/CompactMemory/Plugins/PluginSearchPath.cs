using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using CompactMemory.Registry;
using CompactMemory.Text;

namespace CompactMemory.Plugins;

/// <summary>
/// Where engine packages are looked for: every entry of <c>COMPACT_MEMORY_ENGINES_PATH</c> (split on the OS path
/// separator, left to right, like <c>PATH</c>), then the per-user plugin directory.
/// </summary>
public static class PluginSearchPath
{
    /// <summary>The environment variable that lists plugin directories.</summary>
    public const string EnvironmentVariable = "COMPACT_MEMORY_ENGINES_PATH";

    /// <summary>
    /// The per-user plugin directory: <c>$XDG_DATA_HOME/compact_memory/plugins</c> (default
    /// <c>~/.local/share/compact_memory/plugins</c>) on Linux, <c>~/Library/Application Support/compact_memory/plugins</c>
    /// on macOS, <c>%LOCALAPPDATA%\CompactMemoryTeam\compact_memory\plugins</c> on Windows.
    /// </summary>
    /// <param name="getEnvironmentVariable">Reads environment variables (tests pass their own).</param>
    /// <returns>The directory, which may not exist.</returns>
    public static string UserPluginDirectory(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var home = getEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            var local = getEnvironmentVariable("LOCALAPPDATA") is { Length: > 0 } l ? l : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(local, "CompactMemoryTeam", "compact_memory", "plugins");
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            return Path.Combine(home, "Library", "Application Support", "compact_memory", "plugins");
        }

        var data = getEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share");
        return Path.Combine(data, "compact_memory", "plugins");
    }

    /// <summary>The plugin directories in search order, from the environment. A directory named twice is searched once.</summary>
    /// <param name="getEnvironmentVariable">Reads environment variables (tests pass their own).</param>
    /// <returns>
    /// The directories; ones that do not exist are kept (and skipped when searched), and so are entries that cannot
    /// name a directory at all (a NUL character): they are kept as written and, existing nowhere, skipped. Never throws.
    /// </returns>
    public static IReadOnlyList<PluginDirectory> FromEnvironment(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var paths = new List<(string Path, string Label)>();
        var configured = getEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            foreach (var entry in configured.Split(Path.PathSeparator))
            {
                if (entry.Trim().Length == 0)
                {
                    continue;
                }

                var full = FullPathOrAsWritten(entry.Trim());
                paths.Add((full, "local (" + Path.GetFileName(Path.TrimEndingDirectorySeparator(full)) + ")"));
            }
        }

        var user = UserPluginDirectory(getEnvironmentVariable);
        paths.Add((FullPathOrAsWritten(user), "local (plugins)"));
        return Deduplicate(paths);
    }

    /// <summary>Turns explicit paths into plugin directories in the given order (for hosts that do not use the environment).</summary>
    /// <param name="paths">The directories, highest precedence first.</param>
    /// <returns>The plugin directories.</returns>
    /// <exception cref="ArgumentException">A path is <see langword="null"/>, empty, or cannot name a directory (it holds a NUL character); the message says which.</exception>
    public static IReadOnlyList<PluginDirectory> FromPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = new List<(string Path, string Label)>();
        var index = 0;
        foreach (var path in paths)
        {
            if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    "Plugin directory " + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is "
                    + (path is null ? "null" : path.Trim().Length == 0 ? "empty" : "'" + PrintableText.Of(path) + "', which holds a NUL character and cannot name a directory")
                    + "; pass the directories' paths.",
                    nameof(paths));
            }

            index++;
            var full = Path.GetFullPath(path);
            list.Add((full, "local (" + Path.GetFileName(Path.TrimEndingDirectorySeparator(full)) + ")"));
        }

        return Deduplicate(list);
    }

    /// <summary>The absolute path, or the text as written when it cannot be a path (it holds a NUL character).</summary>
    private static string FullPathOrAsWritten(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            return path;
        }
    }

    private static List<PluginDirectory> Deduplicate(List<(string Path, string Label)> paths)
    {
        var comparer = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var seen = new HashSet<string>(comparer);
        var result = new List<PluginDirectory>();
        foreach (var (path, label) in paths)
        {
            if (seen.Add(Path.TrimEndingDirectorySeparator(path)))
            {
                result.Add(new PluginDirectory(path, label, result.Count));
            }
        }

        return result;
    }
}
