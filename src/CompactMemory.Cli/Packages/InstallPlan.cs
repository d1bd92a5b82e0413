using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using CompactMemory.IO;
using CompactMemory.Manifest;
using CompactMemory.Plugins;
using CompactMemory.Text;
using NuGet.Frameworks;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace CompactMemory.Cli.Packages;

/// <summary>What <c>install-engine</c> (and <c>validate-engine-package</c> of a .nupkg) is about to lay out: which package,
/// which engine, which framework folder and which dependency packages; <see cref="WriteTo"/> writes the engine folder.</summary>
internal sealed class InstallPlan : IDisposable
{
    /// <summary>The most files a folder install copies.</summary>
    private const int MaxFolderFiles = 10_000;

    private readonly NupkgFile? _package;
    private readonly NuGetFramework? _framework;
    private readonly IReadOnlyList<(NupkgFile Package, NuGetFramework? Framework)> _dependencies;
    private readonly string? _folder;

    private InstallPlan(string packageId, string packageVersion, string engineId, string source, NupkgFile? package, NuGetFramework? framework, IReadOnlyList<(NupkgFile, NuGetFramework?)> dependencies, string? folder)
    {
        PackageId = packageId;
        PackageVersion = packageVersion;
        EngineId = engineId;
        Source = source;
        _package = package;
        _framework = framework;
        _dependencies = dependencies;
        _folder = folder;
    }

    /// <summary>The framework the CLI is built for (net10.0), which installed engines are loaded into.</summary>
    public static NuGetFramework HostFramework { get; } =
        typeof(InstallPlan).Assembly.GetCustomAttribute<TargetFrameworkAttribute>() is { } attribute
            ? NuGetFramework.ParseFrameworkName(attribute.FrameworkName, DefaultFrameworkNameProvider.Instance)
            : FrameworkConstants.CommonFrameworks.Net10_0;

    public string PackageId { get; }

    public string PackageVersion { get; }

    /// <summary>The package as messages name it.</summary>
    public string Display => PackageId + " " + PackageVersion;

    public string EngineId { get; }

    /// <summary>Where the package came from (a feed, a file, a folder).</summary>
    public string Source { get; }

    /// <summary>The lib/ folder used, such as <c>lib/net10.0</c>; null for a folder install.</summary>
    public string? LibFolder => _framework is null ? null : "lib/" + _framework.GetShortFolderName();

    /// <summary>The dependency packages installed with the engine, as <c>Id Version</c>.</summary>
    public IReadOnlyList<string> Dependencies => _dependencies.Select(d => d.Package.Display).ToList();

    /// <summary>Plans the install of a .nupkg: reads its manifest, picks its lib/ folder and resolves its dependencies.</summary>
    /// <param name="package">The opened package (the plan owns it from now on).</param>
    /// <param name="source">Where it came from.</param>
    /// <param name="feeds">Where dependency packages come from.</param>
    /// <param name="workFolder">Where dependency packages are downloaded.</param>
    public static InstallPlan ForPackage(NupkgFile package, string source, PackageFeeds feeds, string workFolder)
    {
        var dependencies = new List<(NupkgFile, NuGetFramework?)>();
        try
        {
            var manifestBytes = package.ReadRootFile(EngineFiles.Manifest, ManifestSchema.MaxBytes)
                ?? throw new PackageInstallException("Package " + package.Display + " has no " + EngineFiles.Manifest + " at its root, so it is a library, not an engine package; pack an engine project that uses CompactMemory.Sdk (it adds the manifest), or install the engine package instead.");
            var engineId = EngineIdOf(EngineManifestReader.ReadUtf8(manifestBytes), package.Display);
            var framework = package.NearestLib(HostFramework) ?? throw NoFramework(package, isEngine: true);
            dependencies.AddRange(new DependencyWalk(package, feeds, workFolder).Resolve());
            return new InstallPlan(package.Id, package.Version.ToNormalizedString(), engineId, source, package, framework, dependencies, null);
        }
        catch
        {
            foreach (var (dependency, _) in dependencies)
            {
                dependency.Dispose();
            }

            package.Dispose();
            throw;
        }
    }

    /// <summary>Plans the install of a ready engine package folder (as <c>dotnet build</c> lays it out).</summary>
    public static InstallPlan ForFolder(string folder)
    {
        var read = ManifestFile.Read(Path.Combine(folder, EngineFiles.Manifest));
        var label = "folder '" + PrintableText.Of(folder) + "'";
        var engineId = EngineIdOf(read, label);
        var version = read.Manifest.Version is { Length: > 0 } v ? v : "0.0.0";
        return new InstallPlan(engineId, version, engineId, folder, null, null, [], folder);
    }

    /// <summary>Writes the engine folder: root files and lib/ assemblies flat beside them, with the dependencies' assemblies.</summary>
    /// <param name="target">An empty folder.</param>
    public void WriteTo(string target)
    {
        if (_folder is not null)
        {
            var files = 0;
            long bytes = NupkgFile.MaxExpandedBytes;
            CopyTree(_folder, target, isRoot: true, ref files, ref bytes);
            return;
        }

        var budget = NupkgFile.MaxExpandedBytes;
        var writtenBy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (path, entry) in _package!.EngineRootFiles())
        {
            writtenBy[path] = _package.Display;
            NupkgFile.Extract(entry, target, path, ref budget);
        }

        foreach (var (package, framework) in new[] { (_package, _framework) }.Concat(_dependencies))
        {
            if (framework is null)
            {
                continue;
            }

            var libFiles = package.LibFiles(framework).ToList();
            var assemblies = new HashSet<string>(libFiles.Where(f => f.RelativePath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(f => f.RelativePath[..^4]), StringComparer.OrdinalIgnoreCase);
            foreach (var (path, entry) in libFiles)
            {
                // The host's own assemblies come from the host; an assembly's XML documentation is for compilers, not for loading.
                var isDocumentation = path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && assemblies.Contains(path[..^4]);
                if (HostContracts.IsHostAssemblyFile(Path.GetFileName(path)) || isDocumentation)
                {
                    continue;
                }

                if (writtenBy.TryGetValue(path, out var first))
                {
                    throw new PackageInstallException("Packages " + first + " and " + package.Display + " both have a file '" + PrintableText.Of(path) + "'; an engine folder holds one of each. Ask the engine's author to resolve the clash.");
                }

                writtenBy[path] = package.Display;
                NupkgFile.Extract(entry, target, path, ref budget);
            }
        }
    }

    public void Dispose()
    {
        _package?.Dispose();
        foreach (var (dependency, _) in _dependencies)
        {
            dependency.Dispose();
        }
    }

    internal static PackageInstallException NoFramework(NupkgFile package, bool isEngine)
    {
        var found = package.LibFrameworks();
        var host = HostFramework.GetShortFolderName();
        return new PackageInstallException(found.Count == 0
            ? "Package " + package.Display + " has no lib/ folder, so it holds no " + (isEngine ? "engine " : string.Empty) + "assembly; pack the engine project with 'dotnet pack'."
            : "Package " + package.Display + " has no lib/ folder compact-memory can load: it runs on " + host + " and the package has "
                + string.Join(", ", found.Select(f => "lib/" + f.GetShortFolderName())) + ". "
                + (isEngine ? "Build the engine for " + host + " (<TargetFramework>" + host + "</TargetFramework>) and pack it again." : "Ask its author for a build for " + host + " or netstandard2.0."));
    }

    /// <summary>The manifest's engine id, which names the installed folder; a manifest with errors stops the install.</summary>
    private static string EngineIdOf(ManifestReadResult read, string label)
    {
        var errors = read.Problems.Where(p => p.Severity == ManifestSeverity.Error).Select(p => p.ToString()).ToList();
        if (errors.Count > 0)
        {
            throw new PackageInstallException("The engine_package.yaml of " + label + " is invalid:" + string.Concat(errors.Select(e => "\n- " + e)) + "\nFix the manifest and build the package again.");
        }

        var id = read.Manifest.EngineId;
        if (id is null || !IsFolderName(id))
        {
            throw new PackageInstallException("The engine_id '" + PrintableText.Of(id ?? string.Empty) + "' of " + label + " cannot name a folder; use letters, digits, '_', '-' and '.', starting with a letter or digit.");
        }

        return id;
    }

    private static bool IsFolderName(string id) =>
        id.Length is > 0 and <= 200 && char.IsAsciiLetterOrDigit(id[0]) && !id.EndsWith('.')
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static void CopyTree(string from, string to, bool isRoot, ref int files, ref long budget)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (isRoot && entry.Name == EngineFiles.Record)
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                throw new PackageInstallException("The engine folder has a symbolic link '" + PrintableText.Of(entry.FullName) + "'; an installed engine holds only its own files. Replace the link with the file it points to.");
            }

            var destination = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo)
            {
                CopyTree(entry.FullName, destination, isRoot: false, ref files, ref budget);
                continue;
            }

            var kind = FileKinds.Of(entry.FullName);
            if (kind is not (FileKind.Regular or FileKind.Unknown))
            {
                throw new PackageInstallException("The engine folder has '" + PrintableText.Of(entry.FullName) + "', which is " + FileKinds.Describe(kind) + "; an engine folder holds only regular files. Remove it.");
            }

            budget -= ((FileInfo)entry).Length;
            if (++files > MaxFolderFiles || budget < 0)
            {
                throw new PackageInstallException("The engine folder '" + PrintableText.Of(from) + "' holds more than " + MaxFolderFiles.ToString("N0", CultureInfo.InvariantCulture) + " files or 1 GiB; give the folder 'dotnet build' laid out for the engine.");
            }

            File.Copy(entry.FullName, destination);
        }
    }

    /// <summary>
    /// Finds the dependency packages an engine needs at run time: the dependency group nearest the host framework,
    /// transitively, the lowest version each range allows (as NuGet restores), skipping what the host supplies.
    /// </summary>
    private sealed class DependencyWalk(NupkgFile root, PackageFeeds feeds, string workFolder)
    {
        private const int MaxPackages = 200;

        private readonly Dictionary<string, NupkgFile> _chosen = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<(VersionRange Range, string By)>> _ranges = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, IReadOnlyList<(NuGetVersion Version, NuGet.Configuration.PackageSource Source)>> _versions = new(StringComparer.OrdinalIgnoreCase);

        public List<(NupkgFile, NuGetFramework?)> Resolve()
        {
            try
            {
                var queue = new Queue<(PackageDependency Dependency, NupkgFile By)>(root.Dependencies(HostFramework).Select(d => (d, root)));
                var steps = 0;
                while (queue.Count > 0)
                {
                    var (dependency, by) = queue.Dequeue();
                    if (++steps > MaxPackages * 20)
                    {
                        throw new PackageInstallException("Package " + root.Display + " has too many dependencies to resolve; an engine package needs few.");
                    }

                    if (HostContracts.IsSharedPackage(dependency.Id))
                    {
                        CheckHostVersion(dependency, by);
                        continue;
                    }

                    if (string.Equals(dependency.Id, root.Id, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    if (!_ranges.TryGetValue(dependency.Id, out var ranges))
                    {
                        _ranges[dependency.Id] = ranges = [];
                    }

                    ranges.Add((dependency.VersionRange ?? VersionRange.All, by.Display));
                    if (_chosen.TryGetValue(dependency.Id, out var have) && ranges.All(r => r.Range.Satisfies(have.Version)))
                    {
                        continue;
                    }

                    var package = Fetch(dependency.Id, ranges);
                    if (_chosen.Remove(dependency.Id, out var replaced))
                    {
                        replaced.Dispose();
                    }

                    _chosen[dependency.Id] = package;
                    if (_chosen.Count > MaxPackages)
                    {
                        throw new PackageInstallException("Package " + root.Display + " needs more than " + MaxPackages.ToString(CultureInfo.InvariantCulture) + " packages; an engine package needs few.");
                    }

                    foreach (var next in package.Dependencies(HostFramework))
                    {
                        queue.Enqueue((next, package));
                    }
                }

                return Reachable();
            }
            catch
            {
                foreach (var package in _chosen.Values)
                {
                    package.Dispose();
                }

                throw;
            }
        }

        /// <summary>The chosen packages still needed with the versions finally chosen (a replaced version's own dependencies may not be).</summary>
        private List<(NupkgFile, NuGetFramework?)> Reachable()
        {
            var needed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var stack = new Stack<NupkgFile>([root]);
            while (stack.Count > 0)
            {
                foreach (var dependency in stack.Pop().Dependencies(HostFramework))
                {
                    if (_chosen.TryGetValue(dependency.Id, out var package) && needed.Add(dependency.Id))
                    {
                        stack.Push(package);
                    }
                }
            }

            var result = new List<(NupkgFile, NuGetFramework?)>();
            foreach (var (id, package) in _chosen.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
            {
                if (!needed.Contains(id))
                {
                    package.Dispose();
                    continue;
                }

                var framework = package.NearestLib(HostFramework);
                if (framework is null && package.LibFrameworks().Count > 0)
                {
                    throw NoFramework(package, isEngine: false);
                }

                result.Add((package, framework));
            }

            return result;
        }

        private NupkgFile Fetch(string id, List<(VersionRange Range, string By)> ranges)
        {
            // Feeds are asked in order and the first that has a fitting version is used, so a package's own folder
            // answers before any remote feed is contacted.
            var available = new List<(NuGetVersion Version, NuGet.Configuration.PackageSource Source)>();
            var satisfying = new List<(NuGetVersion Version, NuGet.Configuration.PackageSource Source)>();
            foreach (var feed in feeds.Sources)
            {
                var key = id + "\n" + feed.Source;
                if (!_versions.TryGetValue(key, out var versions))
                {
                    _versions[key] = versions = feeds.VersionsFrom(feed, id);
                }

                available.AddRange(versions);
                satisfying = versions.Where(a => ranges.All(r => r.Range.Satisfies(a.Version))).OrderBy(a => a.Version).ToList();
                if (satisfying.Count > 0)
                {
                    break;
                }
            }

            var wanted = string.Join(" and ", ranges.Select(r => r.Range.PrettyPrint() + " (for " + r.By + ")"));
            if (satisfying.Count == 0)
            {
                var failed = feeds.Failures.Count == 0 ? string.Empty
                    : " Feeds that failed: " + string.Join("; ", feeds.Failures.Select(f => "'" + PrintableText.Of(f.Key) + "': " + f.Value)) + ".";
                var seen = available.Count == 0 ? "no feed has it"
                    : "the feeds have " + string.Join(", ", available.Select(a => a.Version).Distinct().OrderByDescending(v => v).Take(5).Select(v => v.ToNormalizedString()));
                throw new PackageInstallException("Dependency " + id + " " + wanted + " was not found: " + seen + " (feeds: " + feeds.Describe() + ")." + failed
                    + " Add the feed that has it with --source or in nuget.config.");
            }

            var (version, source) = satisfying.FirstOrDefault(s => !s.Version.IsPrerelease) is { Source: not null } stable ? stable : satisfying[0];
            var path = feeds.Download(id, version, source, workFolder);
            var package = NupkgFile.Open(path);
            if (!string.Equals(package.Id, id, StringComparison.OrdinalIgnoreCase) || package.Version != version)
            {
                package.Dispose();
                throw new PackageInstallException("The feed '" + PrintableText.Of(source.Source) + "' returned " + package.Display + " when asked for " + id + " " + version.ToNormalizedString() + "; the feed is damaged.");
            }

            return package;
        }

        private static void CheckHostVersion(PackageDependency dependency, NupkgFile by)
        {
            if (!dependency.Id.StartsWith("CompactMemory", StringComparison.OrdinalIgnoreCase) || dependency.VersionRange?.MinVersion is not { } minimum)
            {
                return;
            }

            var hostText = typeof(CompactMemory.Compression.CompressionEngine).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0];
            if (NuGetVersion.TryParse(hostText, out var host) && minimum > host)
            {
                throw new PackageInstallException("Package " + by.Display + " needs " + dependency.Id + " " + minimum.ToNormalizedString() + " or later, and this compact-memory has " + host.ToNormalizedString()
                    + "; update it ('dotnet tool update -g CompactMemory.Cli'), or install an older version of the engine with --version.");
            }
        }
    }
}
