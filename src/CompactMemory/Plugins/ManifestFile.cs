using System.IO;
using System.Text;
using CompactMemory.Manifest;

namespace CompactMemory.Plugins;

/// <summary>Reads <c>engine_package.yaml</c> from disk, refusing oversized files before reading them.</summary>
public static class ManifestFile
{
    /// <summary>Reads and checks a manifest file.</summary>
    /// <param name="path">The manifest's path.</param>
    /// <returns>The fields and every problem; I/O failures are problems too.</returns>
    public static ManifestReadResult Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > ManifestSchema.MaxBytes)
            {
                return new ManifestReadResult(new EngineManifest(), [EngineManifestReader.TooLarge(info.Length)]);
            }

            return EngineManifestReader.Read(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (IOException ex)
        {
            return Unreadable(ex.Message);
        }
        catch (System.UnauthorizedAccessException ex)
        {
            return Unreadable(ex.Message);
        }
    }

    private static ManifestReadResult Unreadable(string reason) => new(
        new EngineManifest(),
        [new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.InvalidYaml, null, "Cannot read engine_package.yaml: " + reason, 0, 0)]);
}
