using System;
using System.CommandLine;
using System.IO;
using CompactMemory.Text;

namespace CompactMemory.Cli.Commands;

/// <summary>Path checks that report the way Compact Memory does: usage errors, exit code 2.</summary>
internal static class Validators
{
    public static void FileMustExist(this Option<FileInfo> option) => option.Validators.Add(result =>
    {
        if (Value<FileInfo>(result, option.Name) is { } file && !file.Exists)
        {
            result.AddError(Directory.Exists(file.FullName)
                ? IsDirectory(option.Name, file.FullName, "use --dir for directories.")
                : DoesNotExist(option.Name, "File", file));
        }
    });

    public static void DirectoryMustExist(this Option<DirectoryInfo> option) => option.Validators.Add(result =>
    {
        if (Value<DirectoryInfo>(result, option.Name) is { } directory && !directory.Exists)
        {
            result.AddError(File.Exists(directory.FullName)
                ? IsFile(option.Name, directory.FullName, "use --file for a single file.")
                : DoesNotExist(option.Name, "Directory", directory));
        }
    });

    public static void FileMustExist(this Argument<FileInfo> argument, string displayName) => argument.Validators.Add(result =>
    {
        if (Value<FileInfo>(result, displayName) is { } file && !file.Exists)
        {
            result.AddError(Directory.Exists(file.FullName)
                ? IsDirectory(displayName, file.FullName, "give a file.")
                : DoesNotExist(displayName, "File", file));
        }
    });

    public static void DirectoryMustExist(this Argument<DirectoryInfo> argument, string displayName) => argument.Validators.Add(result =>
    {
        if (Value<DirectoryInfo>(result, displayName) is { } directory && !directory.Exists)
        {
            result.AddError(File.Exists(directory.FullName)
                ? IsFile(displayName, directory.FullName, "give the folder that holds it.")
                : DoesNotExist(displayName, "Directory", directory));
        }
    });

    /// <summary>A file to write may not exist yet, but it may not be an existing directory.</summary>
    public static void MustNotBeDirectory(this Option<FileInfo> option) => option.Validators.Add(result =>
    {
        if (Value<FileInfo>(result, option.Name) is { } file && Directory.Exists(file.FullName))
        {
            result.AddError(IsDirectory(option.Name, file.FullName, "give the path of a file to write."));
        }
    });

    /// <summary>A directory to write into may not exist yet, but it may not be an existing file.</summary>
    public static void MustNotBeFile(this Option<DirectoryInfo> option) => option.Validators.Add(result =>
    {
        if (Value<DirectoryInfo>(result, option.Name) is { } directory && File.Exists(directory.FullName))
        {
            result.AddError(IsFile(option.Name, directory.FullName, "give a directory to write into."));
        }
    });

    /// <summary>Compact Memory's wording: <c>Invalid value for '--file': File '/x' does not exist.</c></summary>
    private static string DoesNotExist(string name, string kind, FileSystemInfo path) =>
        $"Invalid value for '{name}': {kind} '{path.FullName}' does not exist.";

    private static string IsDirectory(string name, string path, string fix) =>
        $"Invalid value for '{name}': '{path}' is a directory, not a file; {fix}";

    private static string IsFile(string name, string path, string fix) =>
        $"Invalid value for '{name}': '{path}' is a file, not a directory; {fix}";

    /// <summary>
    /// The parsed value, or null when parsing already failed (that error is reported on its own) or the text is not a
    /// path at all (a NUL character, say), which is reported here as a usage error.
    /// </summary>
    private static T? Value<T>(System.CommandLine.Parsing.SymbolResult result, string name)
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
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            var reason = token.Contains('\0', StringComparison.Ordinal) ? "it contains a NUL character" : ex.Message;
            result.AddError($"Invalid value for '{name}': '{PrintableText.Of(token)}' is not a valid path ({reason}).");
            return null;
        }
    }
}
