using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using CompactMemory.IO;
using CompactMemory.Text;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace CompactMemory.Cli.Packages;

/// <summary>
/// A .nupkg opened without trusting it. Opening checks every entry before anything is written: each name must be a
/// relative path inside the package (no absolute path, drive, <c>..</c>, symbolic link or duplicate), there are at most
/// <see cref="MaxEntries"/> entries and they expand to at most <see cref="MaxExpandedBytes"/>; the .nuspec is read
/// bounded. One bad entry refuses the whole package.
/// </summary>
internal sealed class NupkgFile : IDisposable
{
    /// <summary>The most entries a package may hold.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>The most bytes a package may expand to (1 GiB).</summary>
    public const long MaxExpandedBytes = 1L << 30;

    /// <summary>The largest .nuspec read (1 MiB).</summary>
    private const int MaxNuspecBytes = 1 << 20;

    private const int SymbolicLinkMode = 0xA000;
    private const int FileTypeMask = 0xF000;

    private readonly FileStream _stream;
    private readonly ZipArchive _zip;
    private readonly List<(IReadOnlyList<string> Path, ZipArchiveEntry Entry)> _files;

    private NupkgFile(string path, FileStream stream, ZipArchive zip, List<(IReadOnlyList<string>, ZipArchiveEntry)> files, NuspecReader nuspec, string id, NuGetVersion version)
    {
        FilePath = path;
        _stream = stream;
        _zip = zip;
        _files = files;
        Nuspec = nuspec;
        Id = id;
        Version = version;
    }

    /// <summary>The .nupkg file.</summary>
    public string FilePath { get; }

    /// <summary>The package id from the .nuspec.</summary>
    public string Id { get; }

    /// <summary>The package version from the .nuspec.</summary>
    public NuGetVersion Version { get; }

    /// <summary>The package as messages name it: <c>Acme.Engine 1.0.0</c>.</summary>
    public string Display => Id + " " + Version.ToNormalizedString();

    /// <summary>The package's .nuspec.</summary>
    public NuspecReader Nuspec { get; }

    /// <summary>Opens and checks a .nupkg.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The opened package.</returns>
    /// <exception cref="PackageInstallException">The file is not a package, or is unsafe; the message names it and the fix.</exception>
    public static NupkgFile Open(string path)
    {
        var label = "'" + PrintableText.Of(path) + "'";
        var kind = FileKinds.Of(path);
        if (kind is not (FileKind.Regular or FileKind.Unknown))
        {
            throw new PackageInstallException(label + " is " + FileKinds.Describe(kind) + ", not a .nupkg file; give the path of a package made by 'dotnet pack'.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageInstallException("Cannot read " + label + ": " + ex.Message, ex);
        }

        try
        {
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException ex)
            {
                throw new PackageInstallException(label + " is not a NuGet package: it is not a zip archive (" + ex.Message.TrimEnd('.') + "); give a .nupkg made by 'dotnet pack', or download it again if it was cut short.", ex);
            }

            try
            {
                var files = CheckEntries(zip, label);
                var (nuspec, id, version) = ReadNuspec(files, label);
                return new NupkgFile(path, stream, zip, files, nuspec, id, version);
            }
            catch
            {
                zip.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a file at the package root, or <see langword="null"/> when there is none.</summary>
    /// <exception cref="PackageInstallException">The file is larger than <paramref name="maxBytes"/>.</exception>
    public byte[]? ReadRootFile(string name, int maxBytes)
    {
        var entry = _files.FirstOrDefault(f => f.Path.Count == 1 && string.Equals(f.Path[0], name, StringComparison.Ordinal)).Entry;
        if (entry is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        CopyBounded(entry, buffer, maxBytes, name);
        return buffer.ToArray();
    }

    /// <summary>The frameworks of the package's <c>lib/</c> folders that hold files, as NuGet names them.</summary>
    public IReadOnlyList<NuGetFramework> LibFrameworks() => _files
        .Where(f => f.Path.Count >= 3 && IsLib(f.Path[0]) && f.Path[^1].Length > 0)
        .Select(f => NuGetFramework.ParseFolder(f.Path[1]))
        .Where(framework => !framework.IsUnsupported)
        .Distinct()
        .OrderBy(framework => framework.GetShortFolderName(), StringComparer.Ordinal)
        .ToList();

    /// <summary>The <c>lib/</c> framework nearest to <paramref name="target"/>, or <see langword="null"/> when none can be loaded.</summary>
    public NuGetFramework? NearestLib(NuGetFramework target) => new FrameworkReducer().GetNearest(target, LibFrameworks());

    /// <summary>The package's dependencies for <paramref name="target"/>, without those that exclude runtime assets.</summary>
    public IReadOnlyList<PackageDependency> Dependencies(NuGetFramework target)
    {
        IEnumerable<PackageDependencyGroup> groups;
        try
        {
            groups = Nuspec.GetDependencyGroups().ToList();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new PackageInstallException("Package " + Display + " lists dependencies its .nuspec cannot describe (" + ex.Message + "); ask its author for a package made by 'dotnet pack'.", ex);
        }

        var nearest = NuGetFrameworkUtility.GetNearest(groups, target, group => group.TargetFramework);
        return nearest is null
            ? []
            : nearest.Packages.Where(p => !p.Exclude.Any(e => e.Equals("Runtime", StringComparison.OrdinalIgnoreCase) || e.Equals("All", StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>The files of one <c>lib/</c> framework folder, with their paths below it.</summary>
    public IEnumerable<(string RelativePath, ZipArchiveEntry Entry)> LibFiles(NuGetFramework framework) => _files
        .Where(f => f.Path.Count >= 3 && IsLib(f.Path[0]) && f.Path[^1].Length > 0 && f.Path[^1] != "_._"
            && NuGetFramework.ParseFolder(f.Path[1]).Equals(framework))
        .Select(f => (string.Join('/', f.Path.Skip(2)), f.Entry));

    /// <summary>The engine files at the package root: the manifest, tools.json, README.md and experiments/.</summary>
    public IEnumerable<(string RelativePath, ZipArchiveEntry Entry)> EngineRootFiles() => _files
        .Where(f => f.Path[^1].Length > 0 && (
            (f.Path.Count == 1 && f.Path[0] is EngineFiles.Manifest or EngineFiles.Tools or EngineFiles.Readme)
            || (f.Path.Count >= 2 && f.Path[0] == EngineFiles.Experiments)))
        .Select(f => (string.Join('/', f.Path), f.Entry));

    /// <summary>Writes an entry to <paramref name="root"/>/<paramref name="relativePath"/>, never outside, never over another file.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="root">The folder being filled.</param>
    /// <param name="relativePath">The path below it ('/' separated, already checked).</param>
    /// <param name="budget">Bytes still allowed; reduced by what is written.</param>
    public static void Extract(ZipArchiveEntry entry, string root, string relativePath, ref long budget)
    {
        var destination = Path.GetFullPath(Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!ZipEntryNames.IsInside(root, destination))
        {
            throw new PackageInstallException("The entry '" + PrintableText.Of(entry.FullName) + "' would be written outside the engine folder; the package is unsafe and nothing was installed.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        budget -= CopyBounded(entry, output, budget, entry.FullName);
    }

    public void Dispose()
    {
        _zip.Dispose();
        _stream.Dispose();
    }

    private static bool IsLib(string folder) => string.Equals(folder, "lib", StringComparison.OrdinalIgnoreCase);

    private static long CopyBounded(ZipArchiveEntry entry, Stream output, long limit, string name)
    {
        using var input = entry.Open();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new PackageInstallException("The entry '" + PrintableText.Of(name) + "' expands to more than " + limit.ToString("N0", CultureInfo.InvariantCulture) + " bytes; the package is too large or damaged, and nothing was installed.");
            }

            output.Write(buffer, 0, read);
        }

        return total;
    }

    private static List<(IReadOnlyList<string>, ZipArchiveEntry)> CheckEntries(ZipArchive zip, string label)
    {
        var entries = zip.Entries;
        if (entries.Count > MaxEntries)
        {
            throw new PackageInstallException("Package " + label + " has " + entries.Count.ToString("N0", CultureInfo.InvariantCulture) + " entries, more than the " + MaxEntries.ToString("N0", CultureInfo.InvariantCulture) + " an engine package may hold; nothing was installed.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var files = new List<(IReadOnlyList<string>, ZipArchiveEntry)>();
        long expanded = 0;
        foreach (var entry in entries)
        {
            if (!ZipEntryNames.TrySplit(entry.FullName, out var components, out var problem))
            {
                throw Unsafe(label, entry.FullName, problem!);
            }

            if (((entry.ExternalAttributes >> 16) & FileTypeMask) == SymbolicLinkMode)
            {
                throw Unsafe(label, entry.FullName, "is a symbolic link");
            }

            var key = string.Join('/', components);
            if (!seen.Add(key))
            {
                throw Unsafe(label, entry.FullName, "appears twice");
            }

            expanded += entry.Length;
            if (expanded > MaxExpandedBytes)
            {
                throw new PackageInstallException("Package " + label + " expands to more than 1 GiB; an engine package is far smaller, so it is refused and nothing was installed.");
            }

            files.Add((components, entry));
        }

        return files;
    }

    private static PackageInstallException Unsafe(string label, string entryName, string problem) => new(
        "Package " + label + " is unsafe: its entry '" + PrintableText.Of(entryName) + "' " + problem
        + ". Nothing was installed; do not use this package, or ask its author for one made by 'dotnet pack'.");

    private static (NuspecReader, string, NuGetVersion) ReadNuspec(List<(IReadOnlyList<string> Path, ZipArchiveEntry Entry)> files, string label)
    {
        var nuspecs = files.Where(f => f.Path.Count == 1 && f.Path[0].EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)).ToList();
        if (nuspecs.Count != 1)
        {
            throw new PackageInstallException(label + " is not a NuGet package: it has " + (nuspecs.Count == 0 ? "no .nuspec" : "more than one .nuspec") + " at its root; give a .nupkg made by 'dotnet pack'.");
        }

        try
        {
            using var buffer = new MemoryStream();
            CopyBounded(nuspecs[0].Entry, buffer, MaxNuspecBytes, nuspecs[0].Entry.FullName);
            buffer.Position = 0;
            var nuspec = new NuspecReader(buffer);
            var id = nuspec.GetId();
            var version = nuspec.GetVersion();
            if (string.IsNullOrWhiteSpace(id) || !PackageIdValidator.IsValidPackageId(id))
            {
                throw new PackageInstallException(label + " has no valid package id in its .nuspec; give a .nupkg made by 'dotnet pack'.");
            }

            return (nuspec, id, version);
        }
        catch (PackageInstallException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new PackageInstallException(label + " has a .nuspec that cannot be read (" + ex.Message.TrimEnd('.') + "); give a .nupkg made by 'dotnet pack'.", ex);
        }
    }
}

/// <summary>The files of an engine package folder that come from the package root.</summary>
internal static class EngineFiles
{
    public const string Manifest = "engine_package.yaml";
    public const string Tools = "tools.json";
    public const string Readme = "README.md";
    public const string Experiments = "experiments";
    public const string Record = ".compact-memory-package.json";
}
