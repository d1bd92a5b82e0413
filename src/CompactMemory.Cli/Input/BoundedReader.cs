using System;
using System.IO;
using CompactMemory.IO;

namespace CompactMemory.Cli.Input;

/// <summary>
/// Reads input bytes up to a limit, so that no input (a huge file, <c>/dev/zero</c>, an endless pipe) can exhaust
/// memory: <c>compress</c> reads at most <see cref="MaxInputBytes"/> in all.
/// </summary>
internal static class BoundedReader
{
    /// <summary>The most <c>compress</c> reads: 64 MiB, millions of tokens, far more than any model's context.</summary>
    public const long MaxInputBytes = 64L * 1024 * 1024;

    /// <summary>The limit as messages state it.</summary>
    public const string MaxInputText = "64 MiB (67,108,864 bytes)";

    /// <summary>Reads <paramref name="stream"/> to its end; null when it holds more than <paramref name="limit"/> bytes.</summary>
    public static ArraySegment<byte>? Read(Stream stream, long limit)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            // Ask for one byte more than the limit allows, to know that there is more.
            var wanted = (int)Math.Min(chunk.Length, limit - buffer.Length + 1);
            var read = stream.Read(chunk, 0, wanted);
            if (read == 0)
            {
                return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
            }

            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }
    }

    /// <summary>Reads a file (shared with writers, as other readers would); null when it is larger than <paramref name="limit"/>.</summary>
    /// <exception cref="IOException">The file cannot be read, or is not a regular file (a FIFO, a device).</exception>
    /// <exception cref="UnauthorizedAccessException">Reading it is not allowed.</exception>
    public static ArraySegment<byte>? ReadFile(string path, long limit)
    {
        // A FIFO waits for a writer and a device never ends: only a regular file is opened. A stream that is meant to be
        // read goes through standard input instead.
        var kind = FileKinds.Of(path);
        if (kind is not (FileKind.Regular or FileKind.Unknown or FileKind.Missing))
        {
            throw new IOException($"it is {FileKinds.Describe(kind)}, not a regular file, and reading it could wait forever; pipe it into standard input instead (--text - < file).");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);

        // A regular file that is already too large is refused unread; anything else is read up to the limit.
        return stream.CanSeek && stream.Length > limit ? null : Read(stream, limit);
    }
}
