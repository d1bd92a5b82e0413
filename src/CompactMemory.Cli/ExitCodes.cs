namespace CompactMemory.Cli;

/// <summary>The command's exit codes, as in Compact Memory.</summary>
internal static class ExitCodes
{
    /// <summary>Success (also: a directory with no matching files).</summary>
    public const int Success = 0;

    /// <summary>Any application error.</summary>
    public const int Error = 1;

    /// <summary>A usage error: a missing required option, a path that does not exist, a value of the wrong type.</summary>
    public const int Usage = 2;
}
