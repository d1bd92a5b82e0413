using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CompactMemory.Cli.Input;

/// <summary>What a path is, after following symbolic links.</summary>
internal enum FileKind
{
    /// <summary>Nothing is there (or a link leads nowhere).</summary>
    Missing,

    /// <summary>A regular file: the only kind whose reading is known to end.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A FIFO (named pipe): opening it waits for a writer.</summary>
    Fifo,

    /// <summary>A character device (a terminal, <c>/dev/zero</c>…).</summary>
    CharacterDevice,

    /// <summary>A block device (a disk).</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Something exists, but this platform cannot say what (it is read as a regular file).</summary>
    Unknown,
}

/// <summary>
/// Tells regular files from FIFOs, devices and sockets, which .NET's file APIs all report as plain files (and whose
/// reading can wait forever). Linux asks <c>statx(2)</c>, whose result has one layout on every architecture; macOS asks
/// <c>stat(2)</c>; Windows has no such files in directories. Anything else, or a kernel without <c>statx</c>, answers
/// <see cref="FileKind.Unknown"/>.
/// </summary>
internal static class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int MacStatModeOffset = 4;
    private const int TypeMask = 0xF000;

    private static volatile bool _nativeUnavailable;

    /// <summary>The kind of <paramref name="path"/>, following symbolic links; never throws.</summary>
    public static FileKind Of(string path)
    {
        if (Directory.Exists(path))
        {
            return FileKind.Directory;
        }

        if (!File.Exists(path))
        {
            return FileKind.Missing;
        }

        if (OperatingSystem.IsWindows() || _nativeUnavailable)
        {
            return OperatingSystem.IsWindows() ? FileKind.Regular : FileKind.Unknown;
        }

        try
        {
            var mode = OperatingSystem.IsLinux() ? LinuxMode(path) : OperatingSystem.IsMacOS() ? MacMode(path) : null;
            return mode is { } bits ? FromMode(bits) : FileKind.Unknown;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _nativeUnavailable = true;
            return FileKind.Unknown;
        }
    }

    /// <summary>How a kind is named in a message: <c>a FIFO (named pipe)</c>.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "a file of unknown kind",
    };

    private static FileKind FromMode(int mode) => (mode & TypeMask) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    private static int? LinuxMode(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, NullTerminated(path), 0, StatxType, buffer) != 0)
        {
            // ENOSYS (an old kernel) or EPERM (a sandbox that filters the call): the kind cannot be known.
            return null;
        }

        return BitConverter.ToUInt16(buffer, StatxModeOffset);
    }

    private static int? MacMode(string path)
    {
        var buffer = new byte[512];
        var status = RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? MacStatX64(NullTerminated(path), buffer)
            : MacStat(NullTerminated(path), buffer);
        return status == 0 ? BitConverter.ToUInt16(buffer, MacStatModeOffset) : null;
    }

    private static byte[] NullTerminated(string path) => Encoding.UTF8.GetBytes(path + "\0");

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directoryFd, byte[] path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MacStat(byte[] path, [Out] byte[] buffer);

    // On x64 macOS the 64-bit-inode `struct stat` (the one with st_mode at offset 4) is behind this name.
    [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MacStatX64(byte[] path, [Out] byte[] buffer);
}
