using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CompactMemory.Plugins;

/// <summary>What a path turns out to be once every symbolic link is followed.</summary>
internal enum FileKind
{
    /// <summary>The type could not be told on this platform; only managed checks were made.</summary>
    Unknown,

    /// <summary>A regular file: the only kind that is opened.</summary>
    Regular,

    /// <summary>Nothing is there (or a symbolic link points at nothing).</summary>
    Missing,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A named pipe: opening one for reading waits for a writer, possibly forever.</summary>
    Fifo,

    /// <summary>A character device such as <c>/dev/zero</c> or a terminal: endless or interactive.</summary>
    CharacterDevice,

    /// <summary>A block device (a disk).</summary>
    BlockDevice,

    /// <summary>A Unix socket.</summary>
    Socket,

    /// <summary>Symbolic links that loop (or nest too deeply to follow).</summary>
    LinkLoop,

    /// <summary>The path cannot be examined (a folder on the way is not searchable).</summary>
    Inaccessible,
}

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
/// them. The path's type is checked before it is opened — following symbolic links, and with the operating system's
/// own <c>stat</c>, because .NET reports a FIFO or a device as a normal file — and only a regular file is opened: a
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
            var kind = KindOf(path);
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

    /// <summary>What <paramref name="path"/> is once symbolic links are followed, without opening it.</summary>
    /// <param name="path">The path.</param>
    /// <returns>Its kind; <see cref="FileKind.Unknown"/> where the platform cannot tell.</returns>
    public static FileKind KindOf(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsKindOf(path);
        }

        var mode = UnixMode(path, out var errno);
        if (mode < 0)
        {
            return errno switch
            {
                -1 => ManagedKindOf(path),
                Errno.NoEntry or Errno.NotDirectory => FileKind.Missing,
                Errno.Access => FileKind.Inaccessible,
                _ when errno == Errno.Loop => FileKind.LinkLoop,
                _ => ManagedKindOf(path),
            };
        }

        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.CharacterDevice,
        };
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
        var kind = KindOf(path);
        return kind switch
        {
            FileKind.Regular or FileKind.Unknown or FileKind.Missing => null,
            FileKind.Directory => "is a directory, not a file",
            FileKind.Fifo => "is a named pipe (FIFO), not a regular file",
            FileKind.CharacterDevice => "is a device, not a regular file",
            FileKind.BlockDevice => "is a block device, not a regular file",
            FileKind.Socket => "is a socket, not a regular file",
            FileKind.LinkLoop => "is a symbolic link that loops",
            _ => "cannot be examined (permission denied on a folder on its way)",
        };
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
    private static string Quote(string path)
    {
        var builder = new StringBuilder(path.Length + 2).Append('\'');
        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('\'').ToString();
    }

    private static FileKind WindowsKindOf(string path)
    {
        FileSystemInfo info = new FileInfo(path);
        if (info.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            FileSystemInfo? final;
            try
            {
                final = File.ResolveLinkTarget(path, returnFinalTarget: true);
            }
            catch (IOException)
            {
                return FileKind.LinkLoop;
            }

            if (final is null)
            {
                return FileKind.Missing;
            }

            info = final;
        }

        return ManagedKind(info);
    }

    /// <summary>What .NET itself can tell: existence, directories and (on Windows) devices.</summary>
    private static FileKind ManagedKindOf(string path) => ManagedKind(new FileInfo(path));

    private static FileKind ManagedKind(FileSystemInfo info)
    {
        info.Refresh();
        var attributes = info.Attributes;
        if ((int)attributes == -1)
        {
            return FileKind.Missing;
        }

        if (attributes.HasFlag(FileAttributes.Directory))
        {
            return FileKind.Directory;
        }

        if (attributes.HasFlag(FileAttributes.Device))
        {
            return FileKind.CharacterDevice;
        }

        return OperatingSystem.IsWindows() ? FileKind.Regular : FileKind.Unknown;
    }

    /// <summary>The <c>st_mode</c> of the path's final target, or -1 with the errno (-1 when stat is unavailable).</summary>
    private static int UnixMode(string path, out int errno)
    {
        errno = -1;
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            errno = Errno.NoEntry;
            return -1;
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        var buffer = new byte[StatBufferSize];
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // statx has the same layout on every Linux architecture: stx_mode is the 16 bits at offset 28.
                if (Native.StatX(AtFdCwd, bytes, 0, StatxType, buffer) != 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    return -1;
                }

                return BitConverter.ToUInt16(buffer, 28);
            }

            if (OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst())
            {
                // The 64-bit-inode struct stat: st_dev (4 bytes), then st_mode (16 bits) at offset 4.
                var result = RuntimeInformation.ProcessArchitecture == Architecture.X64
                    ? Native.StatInode64(bytes, buffer)
                    : Native.StatDarwin(bytes, buffer);
                if (result != 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    return -1;
                }

                return BitConverter.ToUInt16(buffer, 4);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // An old C library without statx: only the managed checks remain.
        }

        return -1;
    }

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatBufferSize = 512;

    /// <summary>The errno values the messages tell apart.</summary>
    private static class Errno
    {
        public const int NoEntry = 2;
        public const int Access = 13;
        public const int NotDirectory = 20;

        public static int Loop => OperatingSystem.IsLinux() ? 40 : 62;
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        public static extern int StatX(int directory, byte[] path, int flags, uint mask, byte[] buffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        public static extern int StatDarwin(byte[] path, byte[] buffer);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        public static extern int StatInode64(byte[] path, byte[] buffer);
    }
}
