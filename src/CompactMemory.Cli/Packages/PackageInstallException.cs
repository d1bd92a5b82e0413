using System;

namespace CompactMemory.Cli.Packages;

/// <summary>
/// A package could not be read, resolved or installed. The message is a complete sentence for the user: it names the
/// package, what is wrong and how to fix it.
/// </summary>
internal sealed class PackageInstallException : Exception
{
    public PackageInstallException(string message)
        : base(message)
    {
    }

    public PackageInstallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
