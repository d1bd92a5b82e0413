using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.BuiltIn;
using CompactMemory.Cli.Input;
using CompactMemory.Compression;
using CompactMemory.IO;
using CompactMemory.Registry;
using CompactMemory.Tokens;

namespace CompactMemory.Cli.Commands;

/// <summary><c>compact-memory compress</c>: one input (text, stdin, a file or a directory), one engine, one token budget.</summary>
internal static class CompressCommand
{
    /// <summary>The engine used when neither <c>--engine</c> nor <c>COMPACT_MEMORY_DEFAULT_ENGINE_ID</c> names one.</summary>
    public const string DefaultEngineId = NoCompressionEngine.EngineId;

    /// <summary>The option that lets input that is not valid text through, lossily and said so.</summary>
    public const string AllowInvalidUtf8Option = "--allow-invalid-utf8";

    private sealed record TextInput(string Text, string Source);

    public static Command Create(CliContext context)
    {
        var text = new Option<string>("--text") { Description = "The text to compress; '-' reads standard input." };
        var file = new Option<FileInfo>("--file") { Description = "A file to compress." };
        file.FileMustExist();
        var dir = new Option<DirectoryInfo>("--dir") { Description = "A directory whose matching files are combined and compressed once." };
        dir.DirectoryMustExist();
        var engine = new Option<string>("--engine", "-e") { Description = "The engine id (default: COMPACT_MEMORY_DEFAULT_ENGINE_ID, else 'none'). See 'compact-memory engine list'." };
        var budget = new Option<int>("--budget", "-b") { Description = "The token budget (required; zero or more).", Required = true };
        budget.Validators.Add(result =>
        {
            // A value that is not a number is already a parse error; only a parsed negative number is checked here.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value < 0)
            {
                result.AddError("Invalid value for '--budget': the budget is a token count and must be zero or more.");
            }
        });
        var pipelineConfig = new Option<string>("--pipeline-config") { Description = "JSON for --engine pipeline: {\"engines\": [{\"engine_name\": \"<id>\", \"engine_params\": {...}}]}." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Write the compressed text to this file instead of standard output." };
        var outputDir = new Option<DirectoryInfo>("--output-dir") { Description = "With --dir: where compressed_output.txt is written (default: the input directory)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var outputTrace = new Option<FileInfo>("--output-trace") { Description = "Write the compression trace to this JSON file." };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "With --dir: include subdirectories." };
        var pattern = new Option<string>("--pattern", "-p") { Description = "With --dir: the files to read, as a glob relative to --dir: * ? [abc] and **/ (default '*.txt')." };
        var verboseStats = new Option<bool>("--verbose-stats") { Description = "Print the source, token counts and time." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not report the engine used on standard error." };
        var allowInvalidUtf8 = new Option<bool>(AllowInvalidUtf8Option)
        {
            Description = "Read input that is not valid text anyway: invalid bytes become U+FFFD and NUL characters are kept (both are counted on standard error).",
        };
        output.MustNotBeDirectory();
        outputTrace.MustNotBeDirectory();
        outputDir.MustNotBeFile();

        var command = new Command("compress", "Compress text, a file or a directory to a token budget.")
        {
            text, file, dir, engine, budget, pipelineConfig, output, outputDir, json, outputTrace, recursive, pattern, verboseStats, quiet, allowInvalidUtf8,
        };
        pattern.Validators.Add(result =>
        {
            // A pattern that could reach outside --dir (or match nothing by construction) is a usage error.
            if (result.Tokens.Count == 1 && GlobPattern.Parse(result.Tokens[0].Value, recursive: false, out var problem) is null)
            {
                result.AddError("Invalid value for '--pattern': " + problem);
            }
        });

        command.SetAction(parse =>
        {
            var request = new Request(
                parse.GetValue(text),
                parse.GetValue(file),
                parse.GetValue(dir),
                parse.GetValue(engine),
                parse.GetValue(budget),
                parse.GetValue(pipelineConfig),
                parse.GetValue(output),
                parse.GetValue(outputDir),
                parse.GetValue(json),
                parse.GetValue(outputTrace),
                parse.GetValue(recursive),
                parse.GetValue(pattern),
                parse.GetValue(verboseStats),
                parse.GetValue(quiet),
                parse.GetValue(allowInvalidUtf8));
            return Run(context, request);
        });
        return command;
    }

    private sealed record Request(
        string? Text,
        FileInfo? File,
        DirectoryInfo? Dir,
        string? Engine,
        int Budget,
        string? PipelineConfig,
        FileInfo? Output,
        DirectoryInfo? OutputDir,
        bool Json,
        FileInfo? OutputTrace,
        bool Recursive,
        string? Pattern,
        bool VerboseStats,
        bool Quiet,
        bool AllowInvalidUtf8);

    private static int Run(CliContext context, Request request)
    {
        var error = context.Error;
        var inputs = (request.Text is null ? 0 : 1) + (request.File is null ? 0 : 1) + (request.Dir is null ? 0 : 1);
        if (inputs != 1)
        {
            return Fail(error, "Error: Specify exactly ONE of --text, --file, or --dir.");
        }

        var engineId = request.Engine ?? context.Environment("COMPACT_MEMORY_DEFAULT_ENGINE_ID") ?? DefaultEngineId;
        if (string.IsNullOrWhiteSpace(engineId))
        {
            return Fail(error, "Error: Compression engine not specified. Use --engine or set global default.");
        }

        if (engineId == PipelineEngine.EngineId && request.PipelineConfig is null)
        {
            return Fail(error, "Error: --pipeline-config is required when --engine is 'pipeline'.");
        }

        if (engineId != PipelineEngine.EngineId && request.PipelineConfig is not null)
        {
            return Fail(error, "Error: --pipeline-config can only be used when --engine is 'pipeline'.");
        }

        if (request.Dir is not null)
        {
            if (request.Output is not null)
            {
                return Fail(error, "Error: --output (--output-file) cannot be used with --dir. Use --output-dir to choose where compressed_output.txt is written.");
            }

            if (request.Json)
            {
                return Fail(error, "Error: --json output is not supported with --dir. Output is a single compressed file.");
            }
        }
        else
        {
            if (request.OutputDir is not null)
            {
                return Fail(error, "Error: --output-dir is only valid with --dir.");
            }

            if (request.Recursive)
            {
                return Fail(error, "Error: --recursive is only valid with --dir.");
            }

            if (request.Pattern is not null)
            {
                return Fail(error, "Error: --pattern is only valid with --dir.");
            }
        }

        if (request.OutputTrace is not null && CompressedOutputPath(request) is { } compressedOutput
            && RealPath.Resolve(request.OutputTrace.FullName) is { } trace && trace.Equals(RealPath.Resolve(compressedOutput), RealPath.Comparison))
        {
            return Fail(error, $"Error: --output-trace '{request.OutputTrace.FullName}' is the file the compressed output is written to; the trace would overwrite it. Give --output-trace another path.");
        }

        var engine = CreateEngine(context, engineId, fromEnvironment: request.Engine is null, request.PipelineConfig, out var registration, out var failure);
        if (engine is null)
        {
            return failure;
        }

        if (request.Dir is not null)
        {
            return RunDirectory(context, request, engine, registration!);
        }

        TextInput? input;
        if (request.File is not null)
        {
            input = ReadInput(context, request.File.FullName, "file: " + request.File.FullName, () => BoundedReader.ReadFile(request.File.FullName, BoundedReader.MaxInputBytes), request.AllowInvalidUtf8);
        }
        else if (request.Text == "-")
        {
            input = ReadInput(context, "standard input", "stdin", () => BoundedReader.Read(context.Input, BoundedReader.MaxInputBytes), request.AllowInvalidUtf8);
        }
        else
        {
            input = new TextInput(request.Text!, "text");
        }

        if (input is null)
        {
            return ExitCodes.Error;
        }

        var result = Compress(context, engine, engineId, input.Text, request.Budget, out var code);
        if (result is null)
        {
            return code;
        }

        var tokenizer = DefaultTokenizer.Instance;
        var originalTokens = tokenizer.CountTokens(input.Text);
        var compressedTokens = tokenizer.CountTokens(result.Text);
        if (!request.Quiet)
        {
            ReportEngine(context, registration!, originalTokens, compressedTokens);
        }

        if (request.Json)
        {
            var payload = new JsonObject
            {
                ["source"] = input.Source,
                ["compressed_text"] = result.Text,
                ["original_tokens"] = originalTokens,
                ["compressed_tokens"] = compressedTokens,
                ["processing_ms"] = result.Trace?.ProcessingMs,
                ["trace"] = result.Trace?.ToJsonObject(),
            };
            context.Output.WriteLine(payload.ToJsonString(CliJson.Indented));
        }
        else if (request.Output is not null)
        {
            if (!TryWrite(context, request.Output.FullName, result.Text))
            {
                return ExitCodes.Error;
            }

            context.Output.WriteLine($"Saved compressed output to {request.Output.FullName}");
        }
        else
        {
            context.Output.WriteLine(result.Text);
        }

        if (request.OutputTrace is not null && result.Trace is not null)
        {
            if (!TryWrite(context, request.OutputTrace.FullName, result.Trace.ToJson()))
            {
                return ExitCodes.Error;
            }

            context.Output.WriteLine($"Saved compression trace to {request.OutputTrace.FullName}");
        }

        if (request.VerboseStats)
        {
            context.Output.WriteLine($"Source: {input.Source}");
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Original tokens: {originalTokens}"));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compressed tokens: {compressedTokens}"));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Time ms: {result.Trace?.ProcessingMs ?? 0:0.0}"));
        }

        return ExitCodes.Success;
    }

    private static CompressionEngine? CreateEngine(CliContext context, string engineId, bool fromEnvironment, string? pipelineConfig, out EngineRegistration? registration, out int failure)
    {
        var error = context.Error;
        failure = ExitCodes.Error;
        var origin = fromEnvironment && engineId != DefaultEngineId ? " (from COMPACT_MEMORY_DEFAULT_ENGINE_ID)" : string.Empty;
        if (!context.Registry.TryGet(engineId, out registration))
        {
            // The hint and the list name only engines compress accepts: context engines compact conversations.
            var notFound = new EngineNotFoundException(engineId, CompressionEngineIds(context.Registry));
            var hint = notFound.ClosestMatch is null ? string.Empty : $" Did you mean '{notFound.ClosestMatch}'?";
            var available = notFound.AvailableIds.Count == 0 ? " No compression engines are registered." : $" Available: {string.Join(", ", notFound.AvailableIds)}";
            error.WriteLine($"Error: Unknown one-shot compression engine '{notFound.DisplayedId}'{origin}.{hint}{available}");
            ReportFailedPackage(context, engineId);
            return null;
        }

        if (registration.Kind != EngineKind.Compression)
        {
            error.WriteLine($"Error: '{engineId}'{origin} is a context engine: it compacts conversations and cannot compress text. Choose a compression engine: {string.Join(", ", CompressionEngineIds(context.Registry))}");
            return null;
        }

        try
        {
            if (engineId == PipelineEngine.EngineId && registration.Source.Kind == EngineSourceKind.BuiltIn)
            {
                JsonNode? json;
                try
                {
                    json = JsonNode.Parse(pipelineConfig!);
                }
                catch (JsonException ex)
                {
                    error.WriteLine("Error decoding pipeline config JSON: " + ex.Message);
                    return null;
                }

                return PipelineEngine.FromJson(json, new CompressionEngines(context.Registry));
            }

            return context.Registry.CreateCompressionEngine(engineId);
        }
        catch (PipelineConfigurationException ex)
        {
            error.WriteLine(ex.IsStageFailure ? "Error creating pipeline engine from config: " + ex.Message : "Error: " + ex.Message);
            return null;
        }
        catch (CompactMemoryException ex)
        {
            error.WriteLine("Error: " + ex.Message);
            return null;
        }
    }

    /// <summary>The ids <c>compress --engine</c> (and a pipeline stage) accept: the active compression engines, sorted.</summary>
    internal static IReadOnlyList<string> CompressionEngineIds(EngineRegistry registry) =>
        registry.Ids.Where(id => registry.TryGet(id, out var registration) && registration.Kind == EngineKind.Compression).ToArray();

    /// <summary>Creates pipeline stages: compression engines only, with the same hints as <c>--engine</c>.</summary>
    private sealed class CompressionEngines(EngineRegistry registry) : IEngineResolver
    {
        public CompressionEngine CreateCompressionEngine(string id, EngineConfig? config = null)
        {
            if (!registry.TryGet(id, out var registration))
            {
                throw new EngineNotFoundException(id, CompressionEngineIds(registry));
            }

            if (registration.Kind != EngineKind.Compression)
            {
                throw new EngineException($"'{id}' is a context engine: it compacts conversations and cannot compress text, so it cannot be a pipeline stage. Choose a compression engine: {string.Join(", ", CompressionEngineIds(registry))}");
            }

            return registry.CreateCompressionEngine(id, config);
        }
    }

    /// <summary>When the requested id belongs to a package that failed to load, say so: the user meant that engine.</summary>
    private static void ReportFailedPackage(CliContext context, string engineId)
    {
        foreach (var failed in context.Registry.Failures.Where(f => f.Id == engineId))
        {
            context.Error.WriteLine($"The package at '{failed.PackagePath}' declares '{engineId}' but failed to load:");
            foreach (var message in failed.Errors)
            {
                context.Error.WriteLine("- " + message);
            }
        }
    }

    private static CompressedMemory? Compress(CliContext context, CompressionEngine engine, string engineId, string text, int budget, out int code)
    {
        code = ExitCodes.Error;
        var started = Stopwatch.GetTimestamp();
        CompressedMemory? result;
        try
        {
            result = engine.Compress(text, budget, new CompressionOptions { Tokenizer = DefaultTokenizer.Instance });
        }
        catch (ConfigurationException ex)
        {
            context.Error.WriteLine($"Configuration error for engine '{engineId}': {ex.Message}");
            return null;
        }
        catch (EngineException ex)
        {
            context.Error.WriteLine($"Error during compression with engine '{engineId}': {ex.Message}");
            return null;
        }
        catch (Exception ex)
        {
            context.Error.WriteLine($"An unexpected error occurred during compression with engine '{engineId}': {ex.GetType().Name}: {ex.Message}");
            return null;
        }

        if (result is null)
        {
            context.Error.WriteLine($"Internal Error: Compression engine '{engineId}' returned an unexpected result type.");
            return null;
        }

        // --json and --output-trace write the trace; a plugin's trace that JSON cannot hold (NaN, nesting past 256
        // levels) is the engine's error, named as such, not an unexpected one. A trace is small: writing it once more
        // costs microseconds.
        try
        {
            _ = result.Trace?.ToJson(indented: false);
        }
        catch (InvalidOperationException ex)
        {
            context.Error.WriteLine($"Error during compression with engine '{engineId}': its trace cannot be written as JSON: {ex.Message}");
            return null;
        }

        if (result.Trace is { ProcessingMs: null } trace)
        {
            trace.ProcessingMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        code = ExitCodes.Success;
        return result;
    }

    /// <summary>Where the compressed text is written as a file: --output, or compressed_output.txt for --dir; null for standard output.</summary>
    private static string? CompressedOutputPath(Request request) =>
        request.Dir is not null ? Path.Combine((request.OutputDir ?? request.Dir).FullName, "compressed_output.txt") : request.Output?.FullName;

    /// <summary>
    /// Reads one input (a file or standard input) within the size limit and decodes it; null (after saying why) when it
    /// cannot be read, is too large, or is not text and <c>--allow-invalid-utf8</c> is not given.
    /// </summary>
    private static TextInput? ReadInput(CliContext context, string name, string source, Func<ArraySegment<byte>?> read, bool allowInvalid)
    {
        ArraySegment<byte>? bytes;
        try
        {
            bytes = read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            context.Error.WriteLine($"Error: Cannot read '{name}': {ex.Message}");
            return null;
        }

        if (bytes is not { } content)
        {
            context.Error.WriteLine($"Error: '{name}' is larger than {BoundedReader.MaxInputText}, the most compress reads. Split it and compress the parts.");
            return null;
        }

        var decoded = TextDecoder.Decode(content);
        if (!decoded.IsClean && !allowInvalid)
        {
            context.Error.WriteLine($"Error: {NotText(name, decoded)} Pass {AllowInvalidUtf8Option} to {(FirstProblem(decoded).IsNul ? "read it anyway (NUL characters are kept)" : "decode it with U+FFFD replacements")}.");
            return null;
        }

        ReportLossyDecoding(context, name, decoded);
        return new TextInput(decoded.Text, source);
    }

    /// <summary><c>'x.bin' is not valid UTF-8 text (invalid start byte 0xFF at offset 1234).</c>, for the first problem in the input.</summary>
    private static string NotText(string name, DecodedText decoded)
    {
        var (problem, isNul) = FirstProblem(decoded);
        return isNul
            ? $"'{name}' looks like binary data, not text ({problem})."
            : $"'{name}' is not valid {decoded.Encoding} text ({problem}).";
    }

    private static (TextProblem Problem, bool IsNul) FirstProblem(DecodedText decoded) =>
        decoded.FirstNul is { } nul && (decoded.FirstInvalid is null || nul.Offset < decoded.FirstInvalid.Offset)
            ? (nul, true)
            : (decoded.FirstInvalid!, false);

    /// <summary>With <c>--allow-invalid-utf8</c>: what the decoding changed or let through, so nothing changes unsaid.</summary>
    private static void ReportLossyDecoding(CliContext context, string name, DecodedText decoded)
    {
        if (decoded.FirstInvalid is { } invalid)
        {
            context.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Warning: '{name}': replaced {decoded.InvalidBytes} invalid byte(s) with U+FFFD (the first: {invalid})."));
        }

        if (decoded.FirstNul is { } nul)
        {
            context.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Warning: '{name}': kept {decoded.NulCount} NUL character(s) (the first at offset {nul.Offset})."));
        }
    }

    private static int RunDirectory(CliContext context, Request request, CompressionEngine engine, EngineRegistration registration)
    {
        var directory = request.Dir!;
        var pattern = GlobPattern.Parse(request.Pattern ?? "*.txt", request.Recursive, out var patternError);
        if (pattern is null)
        {
            // The option's validator refuses such patterns before the command runs; this keeps the two in step.
            context.Error.WriteLine("Error: Invalid value for '--pattern': " + patternError);
            return ExitCodes.Usage;
        }

        if (pattern.HasGlobstar && !request.Recursive)
        {
            context.Error.WriteLine("Warning: Pattern includes '**' but --recursive not set; '**/' matches no subdirectory, so only the directories the rest of the pattern names are searched.");
        }

        var target = Path.Combine((request.OutputDir ?? directory).FullName, "compressed_output.txt");
        var scan = DirectoryScanner.Scan(directory.FullName, pattern, excluded: target);
        if (scan.Failure is not null)
        {
            context.Error.WriteLine(scan.Failure);
            return ExitCodes.Error;
        }

        foreach (var notice in scan.Notices)
        {
            context.Error.WriteLine(notice);
        }

        if (scan.Files.Count == 0 && scan.Skipped == 0)
        {
            context.Output.WriteLine($"No files matching pattern '{pattern.Text}' found in '{directory.FullName}'.");
            return ExitCodes.Success;
        }

        if (!CanWriteOutput(context, target))
        {
            return ExitCodes.Error;
        }

        if (request.OutputDir is null)
        {
            context.Output.WriteLine("Info: No --output-dir specified for --dir input. 'compressed_output.txt' will be saved in the input directory.");
        }

        context.Output.WriteLine($"Reading and combining files from '{directory.FullName}' matching '{pattern.Text}'...");
        var contents = new List<string>();
        var notText = new List<string>();
        var skipped = scan.Skipped;
        var remaining = BoundedReader.MaxInputBytes;
        foreach (var file in scan.Files)
        {
            ArraySegment<byte>? bytes;
            try
            {
                // Read where the scan found it really is, so a link changed since cannot lead elsewhere.
                bytes = BoundedReader.ReadFile(file.RealPath, remaining);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"Warning: Skipping '{file.Path}': {ex.Message}");
                skipped++;
                continue;
            }

            if (bytes is not { } content)
            {
                context.Error.WriteLine($"Error: The files matching '{pattern.Text}' in '{directory.FullName}' add up to more than {BoundedReader.MaxInputText}, the most compress reads (reached at '{file.Path}'). Narrow --pattern or compress the directory in parts.");
                return ExitCodes.Error;
            }

            remaining -= content.Count;
            var decoded = TextDecoder.Decode(content);
            if (!decoded.IsClean && !request.AllowInvalidUtf8)
            {
                notText.Add("Error: " + NotText(file.Path, decoded));
                continue;
            }

            ReportLossyDecoding(context, file.Path, decoded);
            contents.Add(decoded.Text);
        }

        if (notText.Count > 0)
        {
            foreach (var line in notText)
            {
                context.Error.WriteLine(line);
            }

            context.Error.WriteLine($"Pass {AllowInvalidUtf8Option} to read such files anyway (invalid bytes become U+FFFD, NUL characters are kept), or leave them out with --pattern.");
            return ExitCodes.Error;
        }

        context.Output.WriteLine($"Successfully read and combined content from {contents.Count} file(s). Skipped {skipped} file(s) due to errors.");
        context.Output.WriteLine("Compressing combined content...");
        var combined = string.Join("\n\n", contents);
        var result = Compress(context, engine, registration.Id, combined, request.Budget, out var code);
        if (result is null)
        {
            return code;
        }

        if (!TryWrite(context, target, result.Text))
        {
            return ExitCodes.Error;
        }

        if (request.OutputTrace is not null && result.Trace is not null && !TryWrite(context, request.OutputTrace.FullName, result.Trace.ToJson()))
        {
            return ExitCodes.Error;
        }

        if (!request.Quiet)
        {
            ReportEngine(context, registration, DefaultTokenizer.Instance.CountTokens(combined), DefaultTokenizer.Instance.CountTokens(result.Text));
        }

        context.Output.WriteLine($"Finished processing directory. Combined {contents.Count} file(s) into '{target}'.");
        return ExitCodes.Success;
    }

    /// <summary>
    /// compressed_output.txt is written into a directory that may come from someone else: it is written only as a new or
    /// regular file, never through a symbolic link (which could point anywhere) and never into a FIFO (which would block).
    /// </summary>
    private static bool CanWriteOutput(CliContext context, string target)
    {
        var info = new FileInfo(target);
        string? link;
        try
        {
            link = info.LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            link = ex.Message;
        }

        if (link is not null)
        {
            context.Error.WriteLine($"Error: '{target}' is a symbolic link (to '{link}'); compress does not write compressed_output.txt through a link. Remove the link or choose another --output-dir.");
            return false;
        }

        var kind = FileKinds.Of(target);
        if (kind is not (FileKind.Missing or FileKind.Regular or FileKind.Unknown))
        {
            context.Error.WriteLine($"Error: '{target}' is {FileKinds.Describe(kind)}, not a regular file; compress cannot write compressed_output.txt there. Remove it or choose another --output-dir.");
            return false;
        }

        return true;
    }

    private static void ReportEngine(CliContext context, EngineRegistration registration, int originalTokens, int compressedTokens)
    {
        context.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Engine: {registration.Id} ({registration.DisplayName} {registration.Version}) from {registration.Source.Label}; tokens: {originalTokens} -> {compressedTokens}"));
    }

    private static bool TryWrite(CliContext context, string path, string content)
    {
        try
        {
            var parent = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(parent))
            {
                Directory.CreateDirectory(parent);
            }

            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"Error: Cannot write '{path}': {ex.Message}");
            return false;
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return ExitCodes.Error;
    }
}
