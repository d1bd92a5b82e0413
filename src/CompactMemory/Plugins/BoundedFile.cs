using System;
using System.IO;
using CompactMemory.IO;
using CompactMemory.Text;

namespace CompactMemory.Plugins;

/// <summary>The outcome of <see cref="BoundedFile.Read"/>: the bytes, or why there are none.</summary>
internal readonly struct BoundedRead
{
    public BoundedRead(byte[]? bytes, string? error, long tooLargeSize)
    {
        Bytes = bytes;
        Error = error;
        TooLargeSize = tooLargeSize;
    }

    /// <summary>The file's bytes (at most the cap) when it was read.</summary>
    public byte[]? Bytes { get; }

    /// <summary>Why the file was not read: what it is and how to fix it, naming the path.</summary>
    public string? Error { get; }

    /// <summary>When the file holds more than the cap: the size known (at least cap + 1); otherwise 0.</summary>
    public long TooLargeSize { get; }
}

/// <summary>
/// Reads small files that other people put on disk (manifests in plugin folders) without trusting anything about
/// them. The path's type is checked by <see cref="FileKinds"/> before it is opened, following symbolic links, and
/// only a regular file is opened: a
/// FIFO would block the reader until a writer came, a device such as <c>/dev/zero</c> never ends. A regular file is
/// then read to at most cap + 1 bytes, whatever length it reports. Nothing here throws.
/// </summary>
internal static class BoundedFile
{
    /// <summary>Reads a regular file of at most <paramref name="cap"/> bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cap">The most bytes accepted.</param>
    /// <returns>The bytes, an error, or the size found when the file is larger than the cap.</returns>
    public static BoundedRead Read(string path, int cap)
    {
        try
        {
            var kind = FileKinds.Of(path);
            if (kind is not (FileKind.Regular or FileKind.Unknown))
            {
                return new BoundedRead(null, Describe(path, kind), 0);
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.None);
            long reported = 0;
            if (stream.CanSeek)
            {
                reported = stream.Length;
            }

            // The reported length only sizes the first buffer; the read stops at cap + 1 bytes whatever it said.
            var buffer = new byte[(int)Math.Min(cap + 1L, Math.Max(4096L, reported + 1))];
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > cap)
                    {
                        return new BoundedRead(null, null, Math.Max(reported, cap + 1L));
                    }

                    Array.Resize(ref buffer, (int)Math.Min(cap + 1L, buffer.Length * 2L));
                }

                var read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total != buffer.Length)
            {
                Array.Resize(ref buffer, total);
            }

            return new BoundedRead(buffer, null, 0);
        }
        catch (UnauthorizedAccessException)
        {
            return new BoundedRead(null, Quote(path) + " is not readable (permission denied); make it readable by the user that runs compact-memory (for example chmod a+r)", 0);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            return new BoundedRead(null, Quote(path) + " could not be read: " + ex.Message, 0);
        }
    }

    private static string Describe(string path, FileKind kind)
    {
        var target = LinkTarget(path);
        var subject = target is null ? Quote(path) + " is " : Quote(path) + " is a symbolic link to " + Quote(target) + ", which is ";
        return kind switch
        {
            FileKind.Missing when target is not null => Quote(path) + " is a symbolic link to " + Quote(target) + ", which does not exist; point it at the manifest or replace it with the file",
            FileKind.Missing => ManifestNotFound,
            FileKind.Directory => subject + "a directory, not a file; the manifest must be a regular file: remove the directory and write the manifest in its place",
            FileKind.Fifo => subject + "a named pipe (FIFO), not a regular file; it is not opened because reading it can wait forever: replace it with the manifest file",
            FileKind.CharacterDevice => subject + "a device, not a regular file; it is not read because a device such as /dev/zero never ends: replace it with the manifest file",
            FileKind.BlockDevice => subject + "a block device, not a regular file; replace it with the manifest file",
            FileKind.Socket => subject + "a socket, not a regular file; replace it with the manifest file",
            FileKind.LinkLoop => Quote(path) + " is a symbolic link that loops (or nests too deeply to follow); point it at the manifest or replace it with the file",
            FileKind.Inaccessible => Quote(path) + " cannot be examined: permission denied on a folder on its way; make the folders searchable by the user that runs compact-memory",
            _ => Quote(path) + " is not a regular file; replace it with the manifest file",
        };
    }

    /// <summary>
    /// Why a file of a package (an assembly, a <c>.deps.json</c>) must not be opened, or <see langword="null"/> when it
    /// is a regular file (or cannot be told apart from one). Loading a FIFO would wait for a writer forever, a device
    /// never ends: such a file is refused before the runtime opens it.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>"is a named pipe (FIFO), not a regular file" and the like, or <see langword="null"/>.</returns>
    public static string? NotRegular(string path)
    {
        var kind = FileKinds.Of(path);
        return kind is FileKind.Regular or FileKind.Unknown or FileKind.Missing ? null : "is " + FileKinds.Describe(kind) + ", not a regular file";
    }

    /// <summary>The message for a missing manifest, the same as the loader's own check.</summary>
    internal const string ManifestNotFound = "engine_package.yaml not found";

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Paths are shown whole, with control characters escaped so a message stays one line.</summary>
    private static string Quote(string path) => "'" + PrintableText.Of(path) + "'";
}
