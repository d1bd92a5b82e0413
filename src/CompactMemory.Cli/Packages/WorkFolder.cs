using System;
using System.IO;

namespace CompactMemory.Cli.Packages;

/// <summary>A private temporary folder for downloads and validation, deleted when disposed.</summary>
internal sealed class WorkFolder : IDisposable
{
    public WorkFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "compact-memory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => PluginFolder.DeleteQuietly(Path);
}
