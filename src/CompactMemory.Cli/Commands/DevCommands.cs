using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.Cli.Input;
using CompactMemory.Cli.Output;
using CompactMemory.Cli.Packages;
using CompactMemory.Compression;
using CompactMemory.Plugins;
using CompactMemory.Text;

namespace CompactMemory.Cli.Commands;

/// <summary><c>compact-memory dev …</c>: tools for engine authors.</summary>
internal static class DevCommands
{
    public static Command Create(CliContext context)
    {
        var dev = new Command("dev", "Tools for engine authors: list engines, validate packages, inspect traces.")
        {
            ListEngines(context),
            ValidateEnginePackage(context),
            InspectTrace(context),
            InstallCommands.InstallEngine(context),
            InstallCommands.UninstallEngine(context),
            ExperimentCommand.Create(context),
            CreateEngineCommand.Create(context),
        };
        return dev;
    }

    private static Command ListEngines(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the listing as JSON." };
        var includeContrib = new Option<bool>("--include-contrib") { Description = "Accepted for compatibility; has no effect.", Hidden = true };
        var command = new Command("list-engines", "List every engine (compression and context) with its kind, its source, what it overrides, what shadows it, and packages that failed to load.")
        {
            json, includeContrib,
        };
        command.Aliases.Add("list-strategies");
        command.SetAction(parse =>
        {
            var rows = context.Registry.List();
            var packages = rows.Select(InstalledPackage).ToList();
            if (parse.GetValue(json))
            {
                var array = new JsonArray(rows.Select((row, index) => (JsonNode)new JsonObject
                {
                    ["engine_id"] = row.Id,
                    ["display_name"] = row.DisplayName,
                    ["version"] = row.Version,
                    ["kind"] = row.Kind is { } kind ? EngineCommands.KindName(kind) : null,
                    ["source"] = row.Source.Label,
                    ["status"] = row.Status.ToString().ToLowerInvariant(),
                    ["overrides"] = new JsonArray(row.Overrides.Select(source => (JsonNode)JsonValue.Create(source.Label)).ToArray()),
                    ["shadowed_by"] = row.ShadowedBy?.Label,
                    ["errors"] = new JsonArray(row.Errors.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
                    ["path"] = row.PackagePath,
                    ["package_id"] = packages[index]?.PackageId,
                    ["package_version"] = packages[index]?.PackageVersion,
                }).ToArray());
                context.Output.WriteLine(array.ToJsonString(CliJson.Indented));
                return ExitCodes.Success;
            }

            if (rows.Count == 0)
            {
                context.Output.WriteLine("No compression engines found.");
                return ExitCodes.Success;
            }

            // The Package column appears when an engine was installed with install-engine.
            var withPackages = packages.Any(p => p is not null);
            var table = withPackages
                ? new TextTable("Engine ID", "Display Name", "Version", "Kind", "Source", "Package", "Status")
                : new TextTable("Engine ID", "Display Name", "Version", "Kind", "Source", "Status");
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var kindName = row.Kind is { } kind ? EngineCommands.KindName(kind) : string.Empty;
                if (withPackages)
                {
                    table.AddRow(row.Id, row.DisplayName, row.Version, kindName, row.Source.Label, packages[i]?.Display ?? string.Empty, row.StatusText);
                }
                else
                {
                    table.AddRow(row.Id, row.DisplayName, row.Version, kindName, row.Source.Label, row.StatusText);
                }
            }

            table.WriteTo(context.Output, "Available Compression Engines");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ValidateEnginePackage(CliContext context)
    {
        var path = new Argument<string>("PACKAGE_PATH") { Description = "The engine package folder (it holds engine_package.yaml), or an engine .nupkg." };
        var source = new Option<string[]>("--source") { Description = "For a .nupkg: a feed (URL or folder) its dependencies come from, instead of the feeds in nuget.config; repeat for more." };
        var timeout = InstallCommands.Timeout();
        var command = new Command("validate-engine-package", "Check an engine package folder or .nupkg: its manifest, its assembly and its engine class.") { path, source, timeout };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(path)!;
            string full;
            try
            {
                full = Path.GetFullPath(given);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                context.Error.WriteLine($"Error: Invalid value for 'PACKAGE_PATH': '{PrintableText.Of(given)}' is not a valid path ({(given.Contains('\0', StringComparison.Ordinal) ? "it contains a NUL character" : ex.Message)}).");
                return ExitCodes.Usage;
            }

            if (!Directory.Exists(full))
            {
                if (File.Exists(full))
                {
                    return InstallCommands.ValidatePackageFile(context, full, parse.GetValue(source) ?? [], TimeSpan.FromSeconds(parse.GetValue(timeout)));
                }

                context.Error.WriteLine($"Error: Invalid value for 'PACKAGE_PATH': '{PrintableText.Of(full)}' does not exist; give an engine package folder or a .nupkg file.");
                return ExitCodes.Usage;
            }

            var directory = new DirectoryInfo(full);
            try
            {
#pragma warning disable IL2026 // Validation loads the package, as the registry would.
                var inspection = EnginePackageLoader.Validate(directory.FullName);
#pragma warning restore IL2026
                foreach (var warning in inspection.Warnings)
                {
                    context.Output.WriteLine("Warning: " + warning);
                }

                if (inspection.Errors.Count > 0)
                {
                    context.Error.WriteLine("Engine package validation failed with errors:");
                    foreach (var error in inspection.Errors)
                    {
                        context.Error.WriteLine("- " + error);
                    }

                    return ExitCodes.Error;
                }

                context.Output.WriteLine($"Engine package at '{directory.FullName}' appears valid.");
                return ExitCodes.Success;
            }
            catch (Exception ex)
            {
                context.Error.WriteLine($"An unexpected error occurred validating package '{directory.FullName}': {ex.Message}");
                return ExitCodes.Error;
            }
        });
        return command;
    }

    /// <summary>The package an engine folder was installed from (its install record), for plugin-directory rows.</summary>
    private static InstallRecord? InstalledPackage(Registry.EngineListing row) =>
        row.Source.Kind == Registry.EngineSourceKind.PluginDirectory && row.PackagePath is { } folder ? InstallRecord.TryRead(folder, out _) : null;

    private static Command InspectTrace(CliContext context)
    {
        var file = new Argument<FileInfo>("TRACE_FILE") { Description = "A trace written by 'compress --output-trace'." };
        file.FileMustExist("TRACE_FILE");
        var type = new Option<string>("--type") { Description = "Show only steps of this type." };
        var command = new Command("inspect-trace", "Show the steps of a compression trace.") { file, type };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            CompressionTrace trace;
            try
            {
                // Read like compress reads its input: a regular file, at most 64 MiB, strictly as text.
                if (BoundedReader.ReadFile(path.FullName, BoundedReader.MaxInputBytes) is not { } bytes)
                {
                    context.Error.WriteLine($"Error: '{path.FullName}' is larger than {BoundedReader.MaxInputText}; a trace written by 'compress --output-trace' is far smaller.");
                    return ExitCodes.Error;
                }

                var decoded = TextDecoder.Decode(bytes);
                if (!decoded.IsClean)
                {
                    var problem = decoded.FirstInvalid ?? decoded.FirstNul!;
                    context.Error.WriteLine($"Error: '{path.FullName}' is not a compression trace: it is not valid {decoded.Encoding} text ({problem}).");
                    return ExitCodes.Error;
                }

                var text = decoded.Text;
                try
                {
                    JsonNode.Parse(text);
                }
                catch (JsonException ex)
                {
                    context.Error.WriteLine($"Error: Invalid JSON in trace file '{path.FullName}': {ex.Message}");
                    return ExitCodes.Error;
                }

                trace = CompressionTrace.Parse(text);
            }
            catch (FormatException ex)
            {
                context.Error.WriteLine($"Error: '{path.FullName}' is not a compression trace: {ex.Message}");
                return ExitCodes.Error;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"Error: Cannot read '{path.FullName}': {ex.Message}");
                return ExitCodes.Error;
            }

            var filter = parse.GetValue(type);
            var steps = trace.Steps
                .Select((step, index) => (step, index))
                .Where(pair => filter is null || StepType(pair.step) == filter)
                .ToList();
            if (steps.Count == 0)
            {
                context.Output.WriteLine(filter is null ? "No steps found in the trace." : $"No steps found with type '{filter}'.");
                return ExitCodes.Success;
            }

            var table = new TextTable("Index", "Type", "Details Preview");
            foreach (var (step, index) in steps)
            {
                table.AddRow(index.ToString(CultureInfo.InvariantCulture), StepType(step) ?? string.Empty, Preview(step));
            }

            table.WriteTo(context.Output, Title(path.Name, trace));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? StepType(JsonObject step) =>
        step.TryGetPropertyValue("type", out var value) && value is JsonValue scalar && scalar.TryGetValue<string>(out var text) ? text : null;

    private static string Preview(JsonObject step)
    {
        var details = step.TryGetPropertyValue("details", out var value) ? value : null;
        var compact = details?.ToJsonString(CliJson.Compact) ?? "null";
        return compact.Length > 50 ? compact[..50] + "..." : compact;
    }

    private static string Title(string file, CompressionTrace trace)
    {
        var parts = new System.Collections.Generic.List<string> { "Compression Trace: " + file, "Engine: " + trace.EngineName };
        if (trace.OriginalTokens is { } original)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Original Tokens: {original}"));
        }

        if (trace.CompressedTokens is { } compressed)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Compressed Tokens: {compressed}"));
        }

        if (trace.ProcessingMs is { } ms)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Time: {ms:0.00}ms"));
        }

        return string.Join(" | ", parts);
    }
}
