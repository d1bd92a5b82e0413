using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CompactMemory.IO;

/// <summary>What a path turns out to be once every symbolic link is followed.</summary>
internal enum FileKind
{
    /// <summary>Something is there, but this platform cannot say what (it is treated as a regular file).</summary>
    Unknown,

    /// <summary>A regular file: the only kind whose reading is known to end.</summary>
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

/// <summary>
/// Tells regular files from FIFOs, devices and sockets, which .NET's file APIs all report as plain files (and whose
/// reading can wait forever), without opening anything. Linux asks <c>statx(2)</c>, whose result has one layout on
/// every architecture; macOS asks <c>stat(2)</c>; Windows reads attributes. Where none of these answers, only .NET's
/// own checks remain and a file is <see cref="FileKind.Unknown"/>. The one place the runtime (plugin folders) and the
/// CLI (input files) learn what a path is. Nothing here throws.
/// </summary>
internal static class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int MacStatModeOffset = 4;
    private const int StatBufferSize = 512;

    private static volatile bool _nativeUnavailable;

    /// <summary>What <paramref name="path"/> is once symbolic links are followed, without opening it.</summary>
    /// <param name="path">The path.</param>
    /// <returns>Its kind; <see cref="FileKind.Unknown"/> where the platform cannot tell a file's type.</returns>
    public static FileKind Of(string path)
    {
        try
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
                    Errno.NoEntry or Errno.NotDirectory => FileKind.Missing,
                    Errno.Access => FileKind.Inaccessible,
                    _ when errno == Errno.Loop => FileKind.LinkLoop,
                    _ => ManagedKind(new FileInfo(path)),
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return FileKind.Missing;
        }
    }

    /// <summary>How a kind is named in a message: <c>a named pipe (FIFO)</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>An article and a noun.</returns>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.LinkLoop => "a symbolic link that loops",
        FileKind.Inaccessible => "a path that cannot be examined (permission denied on a folder on its way)",
        _ => "a file of unknown kind",
    };

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
        if (path.IndexOf('\0') >= 0)
        {
            errno = Errno.NoEntry;
            return -1;
        }

        if (_nativeUnavailable)
        {
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

                return BitConverter.ToUInt16(buffer, StatxModeOffset);
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

                return BitConverter.ToUInt16(buffer, MacStatModeOffset);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // An old C library without statx: only the managed checks remain, from now on.
            _nativeUnavailable = true;
        }

        return -1;
    }

    /// <summary>The errno values the kinds tell apart.</summary>
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
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int StatX(int directory, byte[] path, int flags, uint mask, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int StatDarwin(byte[] path, [Out] byte[] buffer);

        // On x64 macOS the 64-bit-inode struct stat (st_mode at offset 4) is behind this name.
        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int StatInode64(byte[] path, [Out] byte[] buffer);
    }
}
