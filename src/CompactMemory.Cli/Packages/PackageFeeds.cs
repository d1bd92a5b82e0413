using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CompactMemory.Text;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace CompactMemory.Cli.Packages;

/// <summary>
/// The feeds packages come from: the <c>--source</c> values when given, otherwise the enabled sources of the
/// <c>nuget.config</c> files that apply to the current directory (as <c>dotnet restore</c> reads them). Every request
/// has a time limit, so an unreachable or silent feed is an error, not a hang. Packages are downloaded straight into
/// a work folder: the NuGet global packages folder is neither read nor written.
/// </summary>
internal sealed class PackageFeeds : IDisposable
{
    private readonly List<PackageSource> _sources;
    private readonly TimeSpan _timeout;
    private readonly SourceCacheContext _cache = new() { NoCache = true, DirectDownload = true };
    private readonly Dictionary<string, FindPackageByIdResource?> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failures = new(StringComparer.Ordinal);

    private PackageFeeds(List<PackageSource> sources, TimeSpan timeout)
    {
        _sources = sources;
        _timeout = timeout;
    }

    /// <summary>The feeds, in the order they are asked.</summary>
    public IReadOnlyList<PackageSource> Sources => _sources;

    /// <summary>What messages call the feeds: <c>'a', 'b'</c>.</summary>
    public string Describe() => _sources.Count == 0 ? "(none)" : string.Join(", ", _sources.Select(s => "'" + PrintableText.Of(s.Source) + "'"));

    /// <summary>Feeds that failed, with why (for messages).</summary>
    public IReadOnlyDictionary<string, string> Failures => _failures;

    /// <summary>The feeds for this command.</summary>
    /// <param name="explicitSources">The <c>--source</c> values; when any are given the configured feeds are not used.</param>
    /// <param name="settingsRoot">The folder whose nuget.config files apply (the current directory).</param>
    /// <param name="firstLocalFolder">A folder asked before the others (the folder of a .nupkg being installed), or null.</param>
    /// <param name="timeout">How long one request to one feed may take.</param>
    /// <returns>The feeds.</returns>
    /// <exception cref="PackageInstallException">A nuget.config file cannot be read.</exception>
    public static PackageFeeds Create(IReadOnlyList<string> explicitSources, string settingsRoot, string? firstLocalFolder, TimeSpan timeout)
    {
        var sources = new List<PackageSource>();
        if (firstLocalFolder is not null)
        {
            sources.Add(new PackageSource(firstLocalFolder, "package folder"));
        }

        if (explicitSources.Count > 0)
        {
            foreach (var source in explicitSources)
            {
                var value = Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    ? source
                    : Path.GetFullPath(source, settingsRoot);
                sources.Add(new PackageSource(value));
            }
        }
        else
        {
            try
            {
                var settings = Settings.LoadDefaultSettings(settingsRoot);
                sources.AddRange(new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled));
            }
            catch (Exception ex) when (ex is NuGetConfigurationException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                throw new PackageInstallException("The NuGet configuration cannot be read: " + ex.Message.TrimEnd('.') + "; fix the nuget.config file it names, or give the feed with --source.", ex);
            }
        }

        // One feed named twice is asked once.
        var distinct = sources.GroupBy(s => s.Source, StringComparer.Ordinal).Select(g => g.First()).ToList();
        return new PackageFeeds(distinct, timeout);
    }

    /// <summary>Every version of <paramref name="id"/> each feed has, in feed order. Feeds that fail are recorded in <see cref="Failures"/>.</summary>
    public IReadOnlyList<(NuGetVersion Version, PackageSource Source)> Versions(string id) =>
        _sources.SelectMany(source => VersionsFrom(source, id)).ToList();

    /// <summary>The versions of <paramref name="id"/> one feed has; none when it fails (recorded in <see cref="Failures"/>).</summary>
    public IReadOnlyList<(NuGetVersion Version, PackageSource Source)> VersionsFrom(PackageSource source, string id)
    {
        var versions = Call(source, (resource, token) => resource.GetAllVersionsAsync(id, _cache, NullLogger.Instance, token));
        return versions is null ? [] : versions.Select(v => (v, source)).ToList();
    }

    /// <summary>Downloads one package into <paramref name="folder"/>.</summary>
    /// <returns>The .nupkg path.</returns>
    /// <exception cref="PackageInstallException">The feed failed or no longer has the package.</exception>
    public string Download(string id, NuGetVersion version, PackageSource source, string folder)
    {
        var path = Path.Combine(folder, id.ToLowerInvariant() + "." + version.ToNormalizedString().ToLowerInvariant() + ".nupkg");
        bool copied;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            copied = Call(source, (resource, token) => resource.CopyNupkgToStreamAsync(id, version, file, _cache, NullLogger.Instance, token));
        }

        if (!copied)
        {
            var why = _failures.TryGetValue(source.Source, out var failure) ? failure : "the feed no longer lists it";
            throw new PackageInstallException("Package " + id + " " + version.ToNormalizedString() + " could not be downloaded from '" + PrintableText.Of(source.Source) + "': " + why + ".");
        }

        return path;
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>Runs one request against one feed with the time limit; a failure is recorded and gives the default.</summary>
    private T? Call<T>(PackageSource source, Func<FindPackageByIdResource, CancellationToken, Task<T>> request)
    {
        if (_failures.ContainsKey(source.Source))
        {
            return default;
        }

        using var limit = new CancellationTokenSource(_timeout);
        try
        {
            var work = Task.Run(
                async () =>
                {
                    var resource = await Resource(source, limit.Token).ConfigureAwait(false);
                    return await request(resource, limit.Token).ConfigureAwait(false);
                },
                limit.Token);

            // The time limit holds even when a feed's client ignores cancellation.
            if (!work.Wait(_timeout + TimeSpan.FromSeconds(1)))
            {
                limit.Cancel();
                throw new OperationCanceledException();
            }

            return work.Result;
        }
        catch (Exception ex) when (Unwrap(ex) is OperationCanceledException)
        {
            _failures[source.Source] = "it did not answer within " + _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
        }
        catch (Exception ex) when (Unwrap(ex) is not OutOfMemoryException)
        {
            _failures[source.Source] = Describe(Unwrap(ex));
        }

        return default;
    }

    private async Task<FindPackageByIdResource> Resource(PackageSource source, CancellationToken token)
    {
        lock (_resources)
        {
            if (_resources.TryGetValue(source.Source, out var known) && known is not null)
            {
                return known;
            }
        }

        if (source.IsLocal && !Directory.Exists(source.Source))
        {
            throw new DirectoryNotFoundException("the folder does not exist");
        }

        var repository = Repository.Factory.GetCoreV3(source);
        var resource = await repository.GetResourceAsync<FindPackageByIdResource>(token).ConfigureAwait(false)
            ?? throw new InvalidOperationException("it is not a NuGet feed");
        lock (_resources)
        {
            _resources[source.Source] = resource;
        }

        return resource;
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerException: { } inner })
        {
            exception = inner;
        }

        return exception;
    }

    /// <summary>The exception's message and those of its causes, without repeats: "Unable to load the service index…: Connection refused".</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var text = current.Message.Trim().TrimEnd('.');
            if (text.Length > 0 && !parts.Any(p => p.Contains(text, StringComparison.Ordinal)))
            {
                parts.Add(text);
            }
        }

        return parts.Count == 0 ? exception.GetType().Name : string.Join(": ", parts);
    }
}
