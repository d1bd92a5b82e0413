using System.CommandLine;
using System.IO;

namespace CompactMemory.Cli.Commands;

/// <summary>Path checks that report the way Compact Memory does: usage errors, exit code 2.</summary>
internal static class Validators
{
    public static void FileMustExist(this Option<FileInfo> option) => option.Validators.Add(result =>
    {
        if (Value<FileInfo>(result) is { } file && !file.Exists)
        {
            result.AddError(Directory.Exists(file.FullName)
                ? $"Invalid value for '{option.Name}': '{file.FullName}' is a directory; use --dir for directories."
                : DoesNotExist(option.Name, "File", file));
        }
    });

    public static void DirectoryMustExist(this Option<DirectoryInfo> option) => option.Validators.Add(result =>
    {
        if (Value<DirectoryInfo>(result) is { } directory && !directory.Exists)
        {
            result.AddError(DoesNotExist(option.Name, "Directory", directory));
        }
    });

    public static void FileMustExist(this Argument<FileInfo> argument, string displayName) => argument.Validators.Add(result =>
    {
        if (Value<FileInfo>(result) is { } file && !file.Exists)
        {
            result.AddError(DoesNotExist(displayName, "File", file));
        }
    });

    public static void DirectoryMustExist(this Argument<DirectoryInfo> argument, string displayName) => argument.Validators.Add(result =>
    {
        if (Value<DirectoryInfo>(result) is { } directory && !directory.Exists)
        {
            result.AddError(DoesNotExist(displayName, "Directory", directory));
        }
    });

    /// <summary>Compact Memory's wording: <c>Invalid value for '--file': File '/x' does not exist.</c></summary>
    private static string DoesNotExist(string name, string kind, FileSystemInfo path) =>
        $"Invalid value for '{name}': {kind} '{path.FullName}' does not exist.";

    /// <summary>The parsed value, or null when parsing already failed (that error is reported on its own).</summary>
    private static T? Value<T>(System.CommandLine.Parsing.SymbolResult result)
        where T : class
    {
        try
        {
            return result switch
            {
                System.CommandLine.Parsing.OptionResult option => option.GetValueOrDefault<T>(),
                System.CommandLine.Parsing.ArgumentResult argument => argument.GetValueOrDefault<T>(),
                _ => null,
            };
        }
        catch (System.InvalidOperationException)
        {
            return null;
        }
    }
}
