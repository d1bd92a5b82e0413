using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using CompactMemory.Text;

namespace CompactMemory.Cli.Packages;

/// <summary>
/// A plugin directory being changed by <c>install-engine</c> or <c>uninstall-engine</c>. Changes are made under a lock
/// file, so two commands never change one directory at once, and only by renaming whole folders: an engine is staged
/// in a hidden sibling folder and renamed into place, and a replaced or removed engine is renamed aside before it is
/// deleted. The registry skips folders whose names start with '.', so a process killed at any moment leaves either
/// the old engine or the new one, never half of one; leftovers are cleaned up by the next command.
/// </summary>
internal sealed class PluginFolder : IDisposable
{
    /// <summary>The prefix of folders an install is filling.</summary>
    public const string StagingPrefix = ".compact-memory-staging-";

    /// <summary>The prefix of engine folders renamed aside before they are deleted: <c>prefix + guid + '-' + engine id</c>.</summary>
    public const string AsidePrefix = ".compact-memory-replaced-";

    /// <summary>The prefix of uninstalled engine folders renamed aside before they are deleted.</summary>
    public const string RemovedPrefix = ".compact-memory-removed-";

    /// <summary>The lock file.</summary>
    public const string LockFile = ".compact-memory-install.lock";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private readonly FileStream _lock;

    private readonly string _what;

    private PluginFolder(string path, FileStream lockStream, string what)
    {
        Path = path;
        _what = what;
        _lock = lockStream;
    }

    /// <summary>The plugin directory.</summary>
    public string Path { get; }

    /// <summary>Test hook: runs after the engine is staged and validated, just before it is renamed into place.</summary>
    internal static Action<string>? BeforeCommit { get; set; }

    /// <summary>Creates the directory when needed, takes its lock and cleans up what interrupted commands left.</summary>
    /// <param name="path">The plugin directory.</param>
    /// <param name="what">What is being installed or removed, for messages: <c>install Acme.Engine 1.0.0</c>, <c>uninstall 'my_engine'</c>.</param>
    /// <exception cref="PackageInstallException">The directory cannot be created or written, or stays locked.</exception>
    public static PluginFolder Open(string path, string what)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(full, what, ex);
        }

        var lockPath = System.IO.Path.Combine(full, LockFile);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var folder = new PluginFolder(full, stream, what);
                folder.CleanUp();
                return folder;
            }
            catch (UnauthorizedAccessException ex)
            {
                throw NotWritable(full, what, ex);
            }
            catch (IOException ex) when (File.Exists(lockPath) && waited.Elapsed < LockWait)
            {
                // Another install or uninstall holds the lock; wait for it.
                _ = ex;
                Thread.Sleep(100);
            }
            catch (IOException ex)
            {
                throw File.Exists(lockPath)
                    ? new PackageInstallException("Cannot " + what + " in '" + PrintableText.Of(full) + "': another install or uninstall has held the directory for 30 s. Wait for it to finish and run the command again. Nothing was changed.", ex)
                    : NotWritable(full, what, ex);
            }
        }
    }

    /// <summary>Creates a new empty staging folder.</summary>
    public string CreateStaging()
    {
        var staging = System.IO.Path.Combine(Path, StagingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(staging);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(Path, _what, ex);
        }

        return staging;
    }

    /// <summary>Renames <paramref name="staging"/> to <paramref name="target"/>, first renaming any existing target aside.</summary>
    public void Commit(string staging, string target, string engineId)
    {
        BeforeCommit?.Invoke(staging);
        string? aside = null;
        if (Exists(target))
        {
            aside = System.IO.Path.Combine(Path, AsidePrefix + Guid.NewGuid().ToString("N") + "-" + engineId);
            Directory.Move(target, aside);
        }

        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            if (aside is not null)
            {
                Directory.Move(aside, target);
            }

            throw;
        }

        if (aside is not null)
        {
            DeleteQuietly(aside);
        }
    }

    /// <summary>Removes an engine folder: renamed aside at once, then deleted.</summary>
    public void Remove(string target, string engineId)
    {
        var aside = System.IO.Path.Combine(Path, RemovedPrefix + Guid.NewGuid().ToString("N") + "-" + engineId);
        Directory.Move(target, aside);
        DeleteQuietly(aside);
    }

    /// <summary>Whether a folder (or a link to one) exists at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => Directory.Exists(path) || new DirectoryInfo(path).LinkTarget is not null;

    /// <summary>Deletes a folder this command made or moved aside; a failure leaves a hidden folder the next command removes.</summary>
    public static void DeleteQuietly(string folder)
    {
        try
        {
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is not null)
            {
                info.Delete();
            }
            else if (info.Exists)
            {
                info.Delete(recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left hidden; cleaned up by the next install or uninstall.
        }
    }

    public void Dispose() => _lock.Dispose();

    private static PackageInstallException NotWritable(string directory, string what, Exception ex) => new(
        "Cannot " + what + ": the plugin directory '" + PrintableText.Of(directory) + "' is not writable (" + ex.Message.TrimEnd('.')
        + "). Choose a writable directory with --path, or fix its permissions. Nothing was changed.", ex);

    /// <summary>
    /// Under the lock no other command is running, so hidden folders are leftovers of interrupted ones: a staging
    /// folder is deleted; an engine renamed aside is put back when nothing replaced it, otherwise deleted.
    /// </summary>
    private void CleanUp()
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(Path, ".compact-memory-*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            var name = System.IO.Path.GetFileName(folder);
            if (name.StartsWith(StagingPrefix, StringComparison.Ordinal) || name.StartsWith(RemovedPrefix, StringComparison.Ordinal))
            {
                DeleteQuietly(folder);
            }
            else if (name.StartsWith(AsidePrefix, StringComparison.Ordinal) && name.Length > AsidePrefix.Length + 33)
            {
                var engineId = name[(AsidePrefix.Length + 33)..];
                var original = System.IO.Path.Combine(Path, engineId);
                try
                {
                    if (!Exists(original) && engineId.Length > 0 && !engineId.StartsWith('.') && engineId.IndexOfAny(['/', '\\']) < 0)
                    {
                        Directory.Move(folder, original);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Deleted below.
                }

                DeleteQuietly(folder);
            }
        }
    }
}
