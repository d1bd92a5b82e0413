using System.CommandLine;
using System.IO;

namespace CompactMemory.Cli.Commands;

/// <summary>Path checks that report the way Compact Memory does: usage errors, exit code 2.</summary>
internal static class Validators
{
    public static void FileMustExist(this Option<FileInfo> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<FileInfo>() is { } file && !file.Exists)
        {
            result.AddError($"Invalid value for '{option.Name}': File '{file.FullName}' does not exist.");
        }
    });

    public static void DirectoryMustExist(this Option<DirectoryInfo> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<DirectoryInfo>() is { } directory && !directory.Exists)
        {
            result.AddError($"Invalid value for '{option.Name}': Directory '{directory.FullName}' does not exist.");
        }
    });

    public static void FileMustExist(this Argument<FileInfo> argument, string displayName) => argument.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<FileInfo>() is { } file && !file.Exists)
        {
            result.AddError($"Invalid value for '{displayName}': File '{file.FullName}' does not exist.");
        }
    });

    public static void DirectoryMustExist(this Argument<DirectoryInfo> argument, string displayName) => argument.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<DirectoryInfo>() is { } directory && !directory.Exists)
        {
            result.AddError($"Invalid value for '{displayName}': Directory '{directory.FullName}' does not exist.");
        }
    });
}
