using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using CompactMemory.Cli.Packages;
using CompactMemory.Manifest;
using CompactMemory.Plugins;
using CompactMemory.Text;
using NuGet.Packaging;
using NuGet.Versioning;

namespace CompactMemory.Cli.Commands;

/// <summary><c>dev install-engine</c> and <c>dev uninstall-engine</c>: sharing engines as NuGet packages.</summary>
internal static class InstallCommands
{
    /// <summary>The security warning every install shows (from the sharing guide).</summary>
    public const string SecurityWarning = "Security warning: loading an engine runs its code with your permissions. Only install engines from sources you trust.";

    /// <summary>How long one request to one feed may take unless --timeout says otherwise.</summary>
    private const int DefaultTimeoutSeconds = 60;

    public static Command InstallEngine(CliContext context)
    {
        var package = new Argument<string>("PACKAGE") { Description = "A package id (looked up on the feeds), a .nupkg file, or an engine package folder." };
        var version = new Option<string>("--version") { Description = "The package version to install (default: the latest stable version on the feeds)." };
        var source = new Option<string[]>("--source") { Description = "A feed (URL or folder) to use instead of the feeds in nuget.config; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var path = new Option<DirectoryInfo>("--path") { Description = "The plugin directory to install into (default: the per-user plugin directory)." };
        path.MustNotBeFile();
        var force = new Option<bool>("--force") { Description = "Replace an engine folder of the same id that another package (or no install) put there." };
        var timeout = Timeout();
        var command = new Command("install-engine", "Install an engine package from a feed, a .nupkg or a folder into a plugin directory, with the packages it depends on.")
        {
            package, version, source, path, force, timeout,
        };
        command.SetAction(parse =>
        {
            var what = parse.GetValue(package)!;
            var pluginDirectory = parse.GetValue(path)?.FullName ?? PluginSearchPath.UserPluginDirectory(context.Environment);
            try
            {
                return Install(
                    context,
                    what,
                    parse.GetValue(version),
                    parse.GetValue(source) ?? [],
                    pluginDirectory,
                    parse.GetValue(force),
                    TimeSpan.FromSeconds(parse.GetValue(timeout)));
            }
            catch (PackageInstallException ex)
            {
                context.Error.WriteLine("Error: " + ex.Message);
                return ExitCodes.Error;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine("Error: Cannot install '" + PrintableText.Of(what) + "': " + ex.Message.TrimEnd('.') + ". Nothing was installed.");
                return ExitCodes.Error;
            }
        });
        return command;
    }

    public static Command UninstallEngine(CliContext context)
    {
        var id = new Argument<string>("ENGINE_ID") { Description = "The id of an engine installed with install-engine." };
        var path = new Option<DirectoryInfo>("--path") { Description = "The plugin directory it was installed into (default: the per-user plugin directory)." };
        path.MustNotBeFile();
        var force = new Option<bool>("--force") { Description = "Remove the engine folder even if install-engine did not put it there." };
        var command = new Command("uninstall-engine", "Remove an engine that install-engine installed.") { id, path, force };
        command.SetAction(parse =>
        {
            var engineId = parse.GetValue(id)!;
            var directory = Path.GetFullPath(parse.GetValue(path)?.FullName ?? PluginSearchPath.UserPluginDirectory(context.Environment));
            try
            {
                return Uninstall(context, engineId, directory, parse.GetValue(force));
            }
            catch (PackageInstallException ex)
            {
                context.Error.WriteLine("Error: " + ex.Message);
                return ExitCodes.Error;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine("Error: Cannot uninstall '" + PrintableText.Of(engineId) + "': " + ex.Message.TrimEnd('.') + ". Check the permissions of '" + PrintableText.Of(directory) + "'.");
                return ExitCodes.Error;
            }
        });
        return command;
    }

    /// <summary>The --timeout option (seconds per feed request), shared with validate-engine-package.</summary>
    public static Option<int> Timeout()
    {
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for one feed request before giving up.", DefaultValueFactory = _ => DefaultTimeoutSeconds };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
            {
                result.AddError("Invalid value for '--timeout': give a number of seconds from 1 to 3600.");
            }
        });
        return timeout;
    }

    /// <summary>Validates a .nupkg the way install-engine would install it: extracted safely into a temporary engine folder with its dependencies, then checked.</summary>
    public static int ValidatePackageFile(CliContext context, string file, IReadOnlyList<string> sources, TimeSpan timeout)
    {
        try
        {
            using var work = new WorkFolder();
            using var plan = PlanFile(Path.GetFullPath(file), sources, timeout, work.Path);
            var folder = Path.Combine(work.Path, plan.EngineId);
            Directory.CreateDirectory(folder);
            plan.WriteTo(folder);
#pragma warning disable IL2026 // Validation loads the package, as the registry would.
            var inspection = EnginePackageLoader.Validate(folder);
#pragma warning restore IL2026
            foreach (var warning in inspection.Warnings)
            {
                context.Output.WriteLine("Warning: " + warning);
            }

            if (inspection.Errors.Count > 0)
            {
                context.Error.WriteLine("Engine package " + plan.Display + " ('" + PrintableText.Of(file) + "') failed validation with errors:");
                foreach (var error in inspection.Errors)
                {
                    context.Error.WriteLine("- " + error);
                }

                return ExitCodes.Error;
            }

            context.Output.WriteLine("Engine package " + plan.Display + " ('" + PrintableText.Of(Path.GetFullPath(file)) + "') appears valid: engine '" + plan.EngineId + "' from " + plan.LibFolder + Dependencies(plan) + ".");
            return ExitCodes.Success;
        }
        catch (PackageInstallException ex)
        {
            context.Error.WriteLine("Error: " + ex.Message);
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine("Error: Cannot validate '" + PrintableText.Of(file) + "': " + ex.Message.TrimEnd('.') + ".");
            return ExitCodes.Error;
        }
    }

    private static int Install(CliContext context, string package, string? version, IReadOnlyList<string> sources, string pluginDirectory, bool force, TimeSpan timeout)
    {
        using var work = new WorkFolder();
        using var plan = Plan(package, version, sources, timeout, work.Path);
        context.Output.WriteLine(SecurityWarning);
        using var folder = PluginFolder.Open(pluginDirectory, "install " + plan.Display);
        var target = Path.Combine(folder.Path, plan.EngineId);
        var previous = CheckReplace(target, plan, force);
        var staging = folder.CreateStaging();
        try
        {
            plan.WriteTo(staging);
            new InstallRecord(plan.PackageId, plan.PackageVersion, plan.Source, DateTimeOffset.UtcNow).WriteTo(staging);
#pragma warning disable IL2026 // Validation loads the package, as the registry would.
            var inspection = EnginePackageLoader.Validate(staging);
#pragma warning restore IL2026
            if (inspection.Errors.Count > 0)
            {
                throw new PackageInstallException("Package " + plan.Display + " did not pass validation, so nothing was installed:"
                    + string.Concat(inspection.Errors.Select(e => "\n- " + e))
                    + "\nFix the engine and pack it again; 'compact-memory dev validate-engine-package' checks a package before you share it.");
            }

            foreach (var warning in inspection.Warnings)
            {
                context.Output.WriteLine("Warning: " + warning);
            }

            folder.Commit(staging, target, plan.EngineId);
        }
        catch
        {
            PluginFolder.DeleteQuietly(staging);
            throw;
        }

        var details = new List<string>();
        if (plan.LibFolder is not null)
        {
            details.Add(plan.LibFolder + Dependencies(plan));
        }

        if (previous is not null)
        {
            details.Add(previous.Value.Record is { } record ? "replacing " + record.Display : "replacing the folder that was there");
        }

        context.Output.WriteLine("Installed engine '" + plan.EngineId + "' from " + (plan.LibFolder is null ? "folder " : "package ") + plan.Display
            + (details.Count == 0 ? string.Empty : " (" + string.Join("; ", details) + ")")
            + " into '" + PrintableText.Of(target) + "'.");
        context.Output.WriteLine("Use it with: compact-memory compress --engine " + plan.EngineId + " --text \"...\" --budget 100");
        return ExitCodes.Success;
    }

    private static string Dependencies(InstallPlan plan) => plan.Dependencies.Count == 0 ? string.Empty
        : (plan.Dependencies.Count == 1 ? ", dependency " : ", dependencies ") + string.Join(", ", plan.Dependencies);

    /// <summary>Whether the engine folder may be replaced: only one this command installed from the same package, unless forced.</summary>
    /// <returns>Null when there is nothing to replace; otherwise what is there.</returns>
    private static (InstallRecord? Record, string? Problem)? CheckReplace(string target, InstallPlan plan, bool force)
    {
        if (File.Exists(target) && !Directory.Exists(target))
        {
            throw new PackageInstallException("Cannot install " + plan.Display + ": '" + PrintableText.Of(target) + "' is a file, where the engine folder would go. Move the file away, or choose another directory with --path. Nothing was installed.");
        }

        if (!PluginFolder.Exists(target))
        {
            return null;
        }

        var record = InstallRecord.TryRead(target, out var problem);
        if (!force)
        {
            if (record is null)
            {
                throw new PackageInstallException("Cannot install " + plan.Display + ": the engine folder '" + PrintableText.Of(target) + "' is already there and was not installed by install-engine ("
                    + (problem ?? "it has no " + EngineFiles.Record) + "). Pass --force to replace it, or choose another directory with --path. Nothing was installed.");
            }

            if (!string.Equals(record.PackageId, plan.PackageId, StringComparison.OrdinalIgnoreCase))
            {
                throw new PackageInstallException("Cannot install " + plan.Display + ": engine '" + plan.EngineId + "' is already installed from package " + record.Display
                    + ", a different package. Run 'compact-memory dev uninstall-engine " + plan.EngineId + "' first, or pass --force to replace it. Nothing was installed.");
            }
        }

        return (record, problem);
    }

    private static InstallPlan Plan(string package, string? version, IReadOnlyList<string> sources, TimeSpan timeout, string work)
    {
        var printable = PrintableText.Of(package);
        string full;
        try
        {
            full = Path.GetFullPath(package);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            full = string.Empty;
        }

        // A folder named like a package id (the engine's project folder, say) does not hide the package: a bare id
        // names a folder only when that folder is an engine package (it holds engine_package.yaml).
        var bareId = PackageIdValidator.IsValidPackageId(package) && !package.StartsWith('.')
            && !package.Contains('/', StringComparison.Ordinal) && !package.Contains('\\', StringComparison.Ordinal);
        if (full.Length > 0 && Directory.Exists(full) && (!bareId || File.Exists(Path.Combine(full, ManifestSchema.FileName))))
        {
            RefuseVersion(version, "a folder");
            return InstallPlan.ForFolder(full);
        }

        if (full.Length > 0 && File.Exists(full))
        {
            RefuseVersion(version, "a .nupkg file");
            return PlanFile(full, sources, timeout, work);
        }

        if (package.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) || package.Contains('/', StringComparison.Ordinal) || package.Contains('\\', StringComparison.Ordinal))
        {
            throw new PackageInstallException("'" + printable + "' does not exist; give a package id, a .nupkg file or an engine package folder.");
        }

        if (!PackageIdValidator.IsValidPackageId(package))
        {
            throw new PackageInstallException("'" + printable + "' is not a package id, a .nupkg file or a folder; give a package id such as Acme.Summarizer.");
        }

        NuGetVersion? wanted = null;
        if (version is not null && !NuGetVersion.TryParse(version, out wanted))
        {
            throw new PackageInstallException("--version '" + PrintableText.Of(version) + "' is not a package version; give one such as 1.2.0 or 1.2.0-beta.1.");
        }

        using var feeds = PackageFeeds.Create(sources, Directory.GetCurrentDirectory(), null, timeout);
        if (feeds.Sources.Count == 0)
        {
            throw new PackageInstallException("Cannot install " + package + ": no package feeds are configured. Give one with --source (a URL or a folder of .nupkg files), or add one to nuget.config.");
        }

        var available = feeds.Versions(package);
        if (available.Count == 0 && feeds.Failures.Count == feeds.Sources.Count)
        {
            throw new PackageInstallException("Cannot look up package " + package + ": no feed answered. "
                + string.Join(" ", feeds.Failures.Select(f => "'" + PrintableText.Of(f.Key) + "': " + f.Value + "."))
                + " Check the feed's address and your network, or give another feed with --source (a URL or a folder of .nupkg files). Nothing was installed.");
        }

        var failed = feeds.Failures.Count == 0 ? string.Empty
            : " Feeds that failed: " + string.Join("; ", feeds.Failures.Select(f => "'" + PrintableText.Of(f.Key) + "': " + f.Value)) + ".";
        (NuGetVersion Version, NuGet.Configuration.PackageSource Source) chosen;
        if (wanted is not null)
        {
            chosen = available.FirstOrDefault(a => a.Version == wanted);
            if (chosen.Source is null)
            {
                var others = available.Select(a => a.Version).Distinct().OrderByDescending(v => v).Take(10).Select(v => v.ToNormalizedString()).ToList();
                throw new PackageInstallException("Package " + package + " " + wanted.ToNormalizedString() + " was not found on " + feeds.Describe() + "."
                    + (others.Count > 0 ? " Versions there: " + string.Join(", ", others) + "." : string.Empty) + failed
                    + (others.Count > 0 ? " Pick one of those with --version." : " Check the id and version, or add the feed that has it with --source."));
            }
        }
        else
        {
            var stable = available.Where(a => !a.Version.IsPrerelease).OrderByDescending(a => a.Version).ToList();
            if (stable.Count == 0)
            {
                var prerelease = available.Select(a => a.Version).OrderByDescending(v => v).FirstOrDefault();
                throw new PackageInstallException(prerelease is not null
                    ? "Package " + package + " has only prerelease versions on " + feeds.Describe() + " (the latest is " + prerelease.ToNormalizedString() + "); install one with --version " + prerelease.ToNormalizedString() + "."
                    : "Package " + package + " was not found on " + feeds.Describe() + "." + failed + " Check the id, or add the feed that has it with --source or in nuget.config.");
            }

            chosen = stable[0];
        }

        var path = feeds.Download(package, chosen.Version, chosen.Source, work);
        var opened = NupkgFile.Open(path);
        return InstallPlan.ForPackage(opened, chosen.Source.Source, feeds, work);
    }

    private static InstallPlan PlanFile(string file, IReadOnlyList<string> sources, TimeSpan timeout, string work)
    {
        var package = NupkgFile.Open(file);
        try
        {
            using var feeds = PackageFeeds.Create(sources, Directory.GetCurrentDirectory(), Path.GetDirectoryName(file), timeout);
            return InstallPlan.ForPackage(package, file, feeds, work);
        }
        catch (PackageInstallException)
        {
            throw;
        }
        catch
        {
            package.Dispose();
            throw;
        }
    }

    private static void RefuseVersion(string? version, string what)
    {
        if (version is not null)
        {
            throw new PackageInstallException("--version applies to a package id looked up on a feed, not to " + what + "; drop --version, or give the package id.");
        }
    }

    private static int Uninstall(CliContext context, string engineId, string directory, bool force)
    {
        var printable = PrintableText.Of(engineId);
        if (engineId.Length == 0 || engineId.StartsWith('.') || engineId.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            context.Error.WriteLine("Error: '" + printable + "' is not an engine id; give the id that 'compact-memory dev list-engines' shows.");
            return ExitCodes.Error;
        }

        var target = Path.Combine(directory, engineId);
        if (!PluginFolder.Exists(target))
        {
            var installed = Directory.Exists(directory)
                ? Directory.GetDirectories(directory).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.')).Select(n => n!).Order(StringComparer.Ordinal).ToList()
                : [];
            context.Error.WriteLine("Error: No engine '" + printable + "' is installed in '" + PrintableText.Of(directory) + "'. "
                + (installed.Count == 0 ? "Nothing is installed there." : "Installed there: " + string.Join(", ", installed) + ".")
                + " Run 'compact-memory dev list-engines' to see every engine and its folder, and pass --path for another plugin directory.");
            return ExitCodes.Error;
        }

        var record = InstallRecord.TryRead(target, out var problem);
        if (record is null && !force)
        {
            context.Error.WriteLine("Error: The engine folder '" + PrintableText.Of(target) + "' was not installed by install-engine (" + (problem ?? "it has no " + EngineFiles.Record)
                + "), so it is left alone. Pass --force to remove it anyway.");
            return ExitCodes.Error;
        }

        using (var folder = PluginFolder.Open(directory, "uninstall '" + printable + "'"))
        {
            folder.Remove(target, engineId);
        }

        context.Output.WriteLine("Uninstalled engine '" + printable + "'" + (record is null ? string.Empty : " (package " + record.Display + ")") + " from '" + PrintableText.Of(target) + "'.");
        return ExitCodes.Success;
    }
}
