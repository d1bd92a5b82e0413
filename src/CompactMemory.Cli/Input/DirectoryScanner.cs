using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CompactMemory.IO;

namespace CompactMemory.Cli.Input;

/// <summary>A file <c>compress --dir</c> will read.</summary>
/// <param name="Path">The path shown to the user: under --dir as given, through any link that led to it.</param>
/// <param name="RealPath">Where the file really is (every link resolved).</param>
/// <param name="Relative">Its components below --dir, its name last.</param>
internal sealed record FoundFile(string Path, string RealPath, IReadOnlyList<string> Relative);

/// <summary>What a scan found, and what it said about the files it did not take.</summary>
internal sealed class DirectoryScan
{
    /// <summary>The files to read, sorted by their components below --dir, ordinally (a folder's files with the folder).</summary>
    public List<FoundFile> Files { get; } = [];

    /// <summary>
    /// Lines for standard error, in the order found: <c>Warning: …</c> for a matching file that is not read (counted in
    /// <see cref="Skipped"/>) or a link not followed out of --dir; <c>Info: …</c> for a link to something already read.
    /// </summary>
    public List<string> Notices { get; } = [];

    /// <summary>Matching files that are not read: FIFOs, devices, sockets, broken links, links out of --dir.</summary>
    public int Skipped { get; set; }

    /// <summary>Set when --dir itself cannot be resolved (its links loop); the message to print.</summary>
    public string? Failure { get; set; }
}

/// <summary>
/// Finds the files of <c>compress --dir</c>. It reads only inside --dir and always ends:
/// <list type="bullet">
/// <item>Every directory is listed at most once (per pattern depth without --recursive): directories are identified by
/// their real path, so a symbolic link back up the tree (<c>sub/again -> ..</c>) is not followed again.</item>
/// <item>Real directories are searched before symbolic links to directories, so a file is read under its own path
/// when it has one; a link to a directory inside --dir is followed only when that directory is not searched yet.</item>
/// <item>Nothing outside --dir is read: a link (to a file or a directory) whose real path is outside --dir is reported
/// and not followed; the pattern itself can not leave --dir (see <see cref="GlobPattern"/>).</item>
/// <item>Each real file is read once, however many links lead to it.</item>
/// <item>Only regular files are read: a FIFO, device or socket that matches is skipped with a warning (reading it
/// could wait forever).</item>
/// </list>
/// </summary>
internal sealed class DirectoryScanner
{
    private readonly string _root;
    private readonly string _rootReal;
    private readonly GlobPattern _pattern;
    private readonly string? _excludedReal;
    private readonly DirectoryScan _scan = new();
    private readonly Dictionary<string, string> _searched = new(RealPath.Comparer);
    private readonly Dictionary<string, string> _taken = new(RealPath.Comparer);
    private readonly List<PendingLink> _links = [];

    private DirectoryScanner(string root, string rootReal, GlobPattern pattern, string? excludedReal)
    {
        _root = root;
        _rootReal = rootReal;
        _pattern = pattern;
        _excludedReal = excludedReal;
    }

    /// <summary>Scans <paramref name="root"/> (an absolute path) for files matching <paramref name="pattern"/>; never throws.</summary>
    /// <param name="root">--dir, as a full path.</param>
    /// <param name="pattern">The pattern.</param>
    /// <param name="excluded">A file never to read (the output the command writes), or null.</param>
    public static DirectoryScan Scan(string root, GlobPattern pattern, string? excluded)
    {
        var rootReal = RealPath.Resolve(root);
        if (rootReal is null)
        {
            return new DirectoryScan { Failure = $"Error: Cannot search '{root}': its symbolic links loop or cannot be read." };
        }

        var excludedReal = excluded is null ? null : RealPath.Resolve(excluded);
        var scanner = new DirectoryScanner(root, rootReal, pattern, excludedReal);
        return scanner.Run();
    }

    private DirectoryScan Run()
    {
        Search(_root, _rootReal, []);

        // Links found while searching (and inside the directories they lead to) are taken after every real directory.
        for (var i = 0; i < _links.Count; i++)
        {
            FollowLink(_links[i]);
        }

        _scan.Files.Sort((x, y) => CompareComponents(x.Relative, y.Relative));
        return _scan;
    }

    /// <summary>Searches a directory and the real directories below it, depth first in ordinal name order.</summary>
    private void Search(string path, string real, string[] relative)
    {
        if (!_searched.TryAdd(SearchKey(real, relative.Length), path))
        {
            return;
        }

        var pending = new Stack<(string Path, string Real, string[] Relative)>();
        pending.Push((path, real, relative));
        while (pending.Count > 0)
        {
            var (directory, directoryReal, directoryRelative) = pending.Pop();
            var subdirectories = new List<(string, string, string[])>();
            foreach (var entry in List(directory))
            {
                var entryPath = Path.Join(directory, entry.Name);
                var entryReal = Path.Join(directoryReal, entry.Name);
                string[] entryRelative = [.. directoryRelative, entry.Name];
                if (IsLink(entry))
                {
                    _links.Add(new PendingLink(entryPath, entryRelative));
                }
                else if (entry is DirectoryInfo)
                {
                    if (_pattern.MayDescend(directoryRelative.Length, entry.Name) && _searched.TryAdd(SearchKey(entryReal, entryRelative.Length), entryPath))
                    {
                        subdirectories.Add((entryPath, entryReal, entryRelative));
                    }
                }
                else if (_pattern.Matches(entryRelative))
                {
                    Take(entryPath, entryReal, entryRelative, FileKinds.Of(entryPath), link: null);
                }
            }

            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }
    }

    private void FollowLink(PendingLink link)
    {
        var real = RealPath.Resolve(link.Path);
        var name = link.Relative[^1];
        var depth = link.Relative.Count - 1;
        if (real is null)
        {
            if (_pattern.Matches(link.Relative))
            {
                Skip($"Skipping '{link.Path}': its symbolic links loop or cannot be read.");
            }

            return;
        }

        var kind = FileKinds.Of(real);
        if (kind == FileKind.Directory)
        {
            if (!_pattern.MayDescend(depth, name))
            {
                return;
            }

            if (!RealPath.IsInside(real, _rootReal))
            {
                _scan.Notices.Add($"Warning: Not following symbolic link '{link.Path}': it leads outside '{_root}' (to '{real}'); only files inside --dir are read.");
                return;
            }

            if (_searched.TryGetValue(SearchKey(real, link.Relative.Count), out var searchedAs))
            {
                _scan.Notices.Add($"Info: Not following symbolic link '{link.Path}': it leads to '{searchedAs}', which is already searched.");
                return;
            }

            Search(link.Path, real, [.. link.Relative]);
            return;
        }

        if (!_pattern.Matches(link.Relative))
        {
            return;
        }

        if (kind == FileKind.Missing)
        {
            Skip($"Skipping '{link.Path}': it is a symbolic link to '{real}', which does not exist.");
        }
        else if (!RealPath.IsInside(real, _rootReal))
        {
            Skip($"Skipping '{link.Path}': it is a symbolic link leading outside '{_root}' (to '{real}'); only files inside --dir are read.");
        }
        else
        {
            Take(link.Path, real, link.Relative, kind, link: real);
        }
    }

    private void Take(string path, string real, IReadOnlyList<string> relative, FileKind kind, string? link)
    {
        if (_excludedReal is not null && real.Equals(_excludedReal, RealPath.Comparison))
        {
            _scan.Notices.Add($"Info: Not reading '{path}': it is the compressed_output.txt this command writes.");
            return;
        }

        if (_taken.TryGetValue(real, out var takenAs))
        {
            _scan.Notices.Add($"Info: Not reading '{path}' again: it is the same file as '{takenAs}'.");
            return;
        }

        switch (kind)
        {
            case FileKind.Regular or FileKind.Unknown:
                _taken.Add(real, path);
                _scan.Files.Add(new FoundFile(path, real, relative));
                break;
            case FileKind.Missing:
                Skip($"Skipping '{path}': it cannot be found (removed meanwhile, or its name is not valid UTF-8).");
                break;
            default:
                var what = FileKinds.Describe(kind);
                Skip(link is null
                    ? $"Skipping '{path}': it is {what}, not a regular file."
                    : $"Skipping '{path}': it is a symbolic link to {what} ('{link}'), not to a regular file.");
                break;
        }
    }

    private void Skip(string message)
    {
        _scan.Notices.Add("Warning: " + message);
        _scan.Skipped++;
    }

    /// <summary>
    /// Directories are searched once each; without --recursive the same directory at another depth is matched by other
    /// pattern components, so the depth is part of its identity there (a finite number of pairs all the same).
    /// </summary>
    private string SearchKey(string real, int depth) =>
        _pattern.Recursive ? real : real + "\0" + depth.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private List<FileSystemInfo> List(string directory)
    {
        try
        {
            var options = new EnumerationOptions
            {
                AttributesToSkip = 0,
                IgnoreInaccessible = false,
                RecurseSubdirectories = false,
                ReturnSpecialDirectories = false,
                MatchType = MatchType.Simple,
            };
            var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options).ToList();
            entries.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
            return entries;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            _scan.Notices.Add($"Warning: Cannot list '{directory}': {ex.Message} Its files are not included.");
            return [];
        }
    }

    private static bool IsLink(FileSystemInfo entry)
    {
        if ((entry.Attributes & FileAttributes.ReparsePoint) == 0)
        {
            return false;
        }

        try
        {
            return entry.LinkTarget is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A reparse point whose target cannot be read: treated as a link, whose resolution then reports it.
            return true;
        }
    }

    private static int CompareComponents(IReadOnlyList<string> x, IReadOnlyList<string> y)
    {
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            var byComponent = string.CompareOrdinal(x[i], y[i]);
            if (byComponent != 0)
            {
                return byComponent;
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    private sealed record PendingLink(string Path, IReadOnlyList<string> Relative);
}
