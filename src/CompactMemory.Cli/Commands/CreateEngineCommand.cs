using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CompactMemory.Cli.Templates;
using CompactMemory.Text;

namespace CompactMemory.Cli.Commands;

/// <summary>
/// <c>compact-memory dev create-engine-package</c>: writes a new engine project with its tests from the templates of
/// CompactMemory.Templates (the same files <c>dotnet new compact-memory-engine</c> uses), on the SDK of this version.
/// </summary>
internal static class CreateEngineCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name", "-n")
        {
            Description = "The project name, also its namespace and package id; the engine id is its last part in snake_case (Acme.TextSummarizer gives text_summarizer).",
            Required = true,
        };
        name.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && ProjectNames.Problem(result.Tokens[0].Value) is { } problem)
            {
                result.AddError("Invalid value for '--name': " + problem);
            }
        });
        var kind = new Option<string>("--kind", "-k")
        {
            Description = "compression (text and a token budget in, shorter text out) or context (compacts a conversation, with a tool the model can call).",
            DefaultValueFactory = _ => "compression",
        };
        kind.AcceptOnlyFromAmong([.. EngineTemplate.Kinds.Keys]);
        var path = new Option<DirectoryInfo>("--path", "-p") { Description = "The folder to create the project in; it must be new or empty (default: ./NAME)." };
        path.MustNotBeFile();

        var command = new Command("create-engine-package", "Create an engine project with its tests, a README and an experiment, ready to build, test, pack and install.")
        {
            name, kind, path,
        };
        command.SetAction(parse =>
        {
            var projectName = parse.GetValue(name)!;
            var engineKind = parse.GetValue(kind)!;
            var target = parse.GetValue(path)?.FullName ?? Path.GetFullPath(projectName);
            return Run(context, projectName, engineKind, target);
        });
        return command;
    }

    private static int Run(CliContext context, string projectName, string engineKind, string target)
    {
        var shownTarget = PrintableText.Of(target);
        try
        {
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            {
                context.Error.WriteLine($"Error: '{shownTarget}' is not empty; create-engine-package never overwrites files. Give a new or empty folder with --path.");
                return ExitCodes.Error;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"Error: Cannot read '{shownTarget}': {ex.Message}");
            return ExitCodes.Error;
        }

        var template = EngineTemplate.Load(EngineTemplate.Kinds[engineKind]);
        var rendered = template.Render(projectName, CliApp.Version);
        var engineId = rendered.Symbols.TryGetValue("engineId", out var id) ? id : null;
        var projectFile = rendered.Files.FirstOrDefault(f => f.Path == $"{projectName}/{projectName}.csproj").Text ?? string.Empty;
        var version = Regex.Match(projectFile, "<Version>([^<]+)</Version>", RegexOptions.CultureInvariant) is { Success: true } match ? match.Groups[1].Value : "*";
        if (!Write(context, target, rendered))
        {
            return ExitCodes.Error;
        }

        context.Output.WriteLine($"Created the {engineKind} engine project '{projectName}'{(engineId is null ? string.Empty : $" (engine id '{engineId}')")} in {shownTarget}, from the template {template.ShortName}:");
        foreach (var (file, _) in rendered.Files)
        {
            context.Output.WriteLine("  " + file);
        }

        var pluginFolder = $"{projectName}/bin/Debug/net10.0/engines/{engineId}";
        context.Output.WriteLine();
        (string Command, string Why)[] steps =
        [
            ("cd " + Shell(target), string.Empty),
            ("dotnet build", "builds the engine and lays out its plugin folder"),
            ("dotnet test", "runs its tests"),
            ($"compact-memory dev validate-engine-package {pluginFolder}", "checks the plugin folder"),
            ($"compact-memory dev run-package-experiment {pluginFolder}", "runs experiments/example.yaml"),
            ($"dotnet pack {projectName} -o packages", "makes the package to share"),
            ($"compact-memory dev install-engine packages/{projectName}.{version}.nupkg", "installs it for compact-memory"),
        ];
        var width = steps.Max(s => s.Command.Length);
        context.Output.WriteLine("Next steps:");
        foreach (var (step, why) in steps)
        {
            context.Output.WriteLine(why.Length == 0 ? "  " + step : "  " + step.PadRight(width) + "  # " + why);
        }

        return ExitCodes.Success;
    }

    /// <summary>Writes the files; on failure removes what it wrote (and the folder when it created it) and reports why.</summary>
    private static bool Write(CliContext context, string target, RenderedTemplate rendered)
    {
        var createdRoot = !Directory.Exists(target);
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(target);
            foreach (var (file, text) in rendered.Files)
            {
                var destination = Path.Combine(target, file.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                using (var stream = new FileStream(destination, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
                {
                    written.Add(destination);
                    writer.Write(text);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var cleaned = CleanUp(target, createdRoot, written);
            context.Error.WriteLine($"Error: Cannot write the project to '{PrintableText.Of(target)}': {ex.Message} "
                + (cleaned ? "The files written so far were removed. " : "Some files written so far could not be removed; delete the folder. ")
                + "Check the folder's permissions and free space, or choose another folder with --path.");
            return false;
        }
    }

    private static bool CleanUp(string target, bool createdRoot, List<string> written)
    {
        try
        {
            if (createdRoot)
            {
                Directory.Delete(target, recursive: true);
                return true;
            }

            foreach (var file in written)
            {
                File.Delete(file);
            }

            foreach (var directory in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
            {
                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A path as a POSIX shell reads it: quoted when it holds anything but safe characters.</summary>
    private static string Shell(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '\\')
            ? path
            : "'" + PrintableText.Of(path).Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
