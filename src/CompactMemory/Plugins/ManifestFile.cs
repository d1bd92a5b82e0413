using CompactMemory.Manifest;

namespace CompactMemory.Plugins;

/// <summary>
/// Reads <c>engine_package.yaml</c> from disk without trusting it: only a regular file is opened (a FIFO, a device
/// such as <c>/dev/zero</c>, a socket or a directory — also behind a symbolic link — is refused before it is opened),
/// at most <see cref="ManifestSchema.MaxBytes"/> + 1 bytes are read whatever length the file reports, and the bytes
/// are read as strict UTF-8 by <see cref="EngineManifestReader.ReadUtf8(byte[])"/>.
/// </summary>
public static class ManifestFile
{
    /// <summary>Reads and checks a manifest file.</summary>
    /// <param name="path">The manifest's path.</param>
    /// <returns>The fields and every problem; a file that cannot be read is a problem naming it and the fix. Never throws.</returns>
    public static ManifestReadResult Read(string path)
    {
        var read = BoundedFile.Read(path ?? string.Empty, ManifestSchema.MaxBytes);
        if (read.Error is not null)
        {
            return Unreadable(read.Error);
        }

        if (read.TooLargeSize > 0)
        {
            return new ManifestReadResult(new EngineManifest(), [EngineManifestReader.TooLarge(read.TooLargeSize)]);
        }

        return EngineManifestReader.ReadUtf8(read.Bytes!);
    }

    private static ManifestReadResult Unreadable(string reason) => new(
        new EngineManifest(),
        [new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.InvalidYaml, null, reason == BoundedFile.ManifestNotFound ? reason : "Cannot read engine_package.yaml: " + reason, 0, 0)]);
}
