using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using CompactMemory.Cli.Input;
using CompactMemory.Cli.Output;
using CompactMemory.Context;
using CompactMemory.Registry;
using CompactMemory.Text;
using Microsoft.Extensions.AI;

namespace CompactMemory.Cli.Commands;

/// <summary>
/// <c>compact-memory context compress|list-engines|status</c>: conversations in the OpenAI chat-completions format and
/// the context engines that compact them.
/// </summary>
/// <remarks>
/// <para>Configuration: <c>--config FILE</c>, else the file named by <c>COMPACT_MEMORY_CONFIG</c>, else
/// <c>./config.yaml</c> when it exists, else the defaults. Only the context keys are read (<c>compression:</c>,
/// <c>auxiliary.compression:</c>, <c>context.engine</c>, <c>model_thresholds</c>).</para>
/// <para>Output of <c>compress</c>: the compacted conversation (OpenAI JSON) on standard output, what happened on
/// standard error, so the output can be piped or redirected to a file; with <c>--json</c>, one JSON document on
/// standard output holding the statistics and the messages.</para>
/// <para>No summary model is configured by the command: the built-in compressor writes its deterministic offline
/// fallback summary (no model call), and says so.</para>
/// </remarks>
internal static class ContextCommands
{
    /// <summary>The environment variable naming the config file.</summary>
    public const string ConfigVariable = "COMPACT_MEMORY_CONFIG";

    private const string OfflineNote =
        "Note: no summary model is configured, so the summary is the built-in compressor's deterministic offline fallback (a digest of the summarized turns, written without a model call).";

    private const string RoughNote = "rough estimate: characters / 4, typically 20–30 % under a provider's count";

    private static readonly JsonWriterOptions IndentedJson = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var compress = CompressCommand(context);
        var list = ListCommand(context);
        var status = StatusCommand(context);
        return new Command("context", "Compact conversations (OpenAI chat-completions JSON) with a context engine; list the engines; show an engine's status.")
        {
            compress, list, status,
        };
    }

    private static Option<string> ConfigOption()
    {
        var option = new Option<string>("--config") { Description = $"The config.yaml to read (default: ${ConfigVariable}, else ./config.yaml if present, else the defaults)." };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && result.Tokens[0].Value is { Length: > 0 } path && !File.Exists(path))
            {
                result.AddError(Directory.Exists(path)
                    ? $"Invalid value for '--config': '{PrintableText.Of(path)}' is a directory, not a file; give the path of a config.yaml."
                    : $"Invalid value for '--config': File '{PrintableText.Of(Path.GetFullPath(path))}' does not exist.");
            }
        });
        return option;
    }

    private static Option<string> EngineOption() =>
        new("--engine", "-e") { Description = "The context engine (default: context.engine of the config, else 'compressor'). See 'compact-memory context list-engines'." };

    private static Option<int?> ContextLengthOption()
    {
        var option = new Option<int?>("--context-length") { Description = "The model's context window in tokens, at least 64000 (default: 128000)." };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && value < ContextEngineSelector.MinimumContextLength)
            {
                result.AddError(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Invalid value for '--context-length': {value} is under the minimum of {ContextEngineSelector.MinimumContextLength:N0} tokens a context engine runs with; give the model's window, such as 128000."));
            }
        });
        return option;
    }

    // ------------------------------------------------------------------------------------------------ compress

    private static Command CompressCommand(CliContext context)
    {
        var messages = new Option<string>("--messages", "-m")
        {
            Description = "The conversation: a file holding a JSON array of OpenAI chat-completions messages; '-' reads standard input.",
            Required = true,
        };
        messages.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && result.Tokens[0].Value is { } path && path != "-" && !File.Exists(path))
            {
                result.AddError(Directory.Exists(path)
                    ? $"Invalid value for '--messages': '{PrintableText.Of(path)}' is a directory, not a file; give the JSON file of the conversation."
                    : $"Invalid value for '--messages': File '{PrintableText.Of(Path.GetFullPath(path))}' does not exist.");
            }
        });
        var engine = EngineOption();
        var contextLength = ContextLengthOption();
        var focus = new Option<string>("--focus") { Description = "A topic the summary keeps in detail (as '/compress <focus>')." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: the statistics and the compacted messages." };
        var stripPrivate = new Option<bool>("--strip-private") { Description = "Leave out host-private '_' keys (such as _compressed_summary), for a conversation sent to a provider." };
        var config = ConfigOption();
        var command = new Command(
            "compress",
            "Compact a conversation now (a manual compaction: cooldowns do not apply). The compacted conversation is written to standard output as OpenAI JSON; what was summarized and the tokens before and after go to standard error.")
        {
            messages, engine, contextLength, focus, json, stripPrivate, config,
        };
        command.SetAction(parse => Compress(
            context,
            parse.GetValue(messages)!,
            parse.GetValue(engine),
            parse.GetValue(contextLength),
            parse.GetValue(focus),
            parse.GetValue(json),
            parse.GetValue(stripPrivate),
            parse.GetValue(config)));
        return command;
    }

    private static int Compress(CliContext context, string messagesPath, string? engineName, int? contextLength, string? focus, bool json, bool stripPrivate, string? configPath)
    {
        var error = context.Error;
        var text = ReadMessagesText(context, messagesPath);
        if (text is null)
        {
            return ExitCodes.Error;
        }

        List<ChatMessage> messages;
        try
        {
            messages = OpenAIChatFormat.ParseMessages(text);
        }
        catch (ChatFormatException ex)
        {
            error.WriteLine($"Error: '{SourceName(messagesPath)}': {ex.Message}");
            return ExitCodes.Error;
        }

        var selection = SelectEngine(context, engineName, contextLength, configPath, out var config);
        if (selection is null)
        {
            return ExitCodes.Error;
        }

        var engine = selection.Engine;
        var engineLabel = EngineName(engine);
        var warnings = new List<string>(selection.Warnings);
        if (selection.Source == ContextEngineSource.BuiltIn && config!.Auxiliary.Compression is { } aux && (aux.Model.Length > 0 || aux.BaseUrl.Length > 0))
        {
            warnings.Add("auxiliary.compression names a summary model, but this command does not call models: the built-in compressor writes its offline fallback summary. Host the engine in an IChatClient pipeline to use a summary model.");
        }
        var tokensBefore = RoughTokenEstimator.EstimateMessagesTokensRough(messages);
        var approx = RoughTokenEstimator.EstimateRequestTokensRough(messages, string.Empty, ToolSchemas(engine, warnings));

        bool hasContent;
        try
        {
            hasContent = engine.HasContentToCompress(messages);
        }
#pragma warning disable CA1031 // Optional engine members are called fail-open, as the host does.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            warnings.Add($"Engine '{engineLabel}' failed in HasContentToCompress ({ex.GetType().Name}: {ex.Message}); compressing anyway.");
            hasContent = true;
        }

        IReadOnlyList<ChatMessage> compacted = messages;
        CompressionOutcome? outcome = null;
        if (hasContent)
        {
            try
            {
                compacted = engine.CompressAsync(messages, approx, string.IsNullOrWhiteSpace(focus) ? null : focus, force: true, memoryContext: string.Empty, CancellationToken.None)
                    .GetAwaiter().GetResult() ?? throw new InvalidOperationException("it returned null instead of a list of messages");
            }
#pragma warning disable CA1031 // An engine may throw anything: the conversation is kept and the failure named.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                WriteWarnings(error, warnings);
                error.WriteLine($"Error: context engine '{engineLabel}' failed while compressing: {ex.GetType().Name}: {ex.Message}. The conversation was not changed.");
                return ExitCodes.Error;
            }

            outcome = (engine as ICompressionOutcomeSource)?.LastCompressionOutcome;
        }

        var changed = !ReferenceEquals(compacted, messages) && !SameMessages(compacted, messages);
        var aborted = outcome?.Aborted == true;
        var fallbackUsed = outcome?.SummaryFallbackUsed == true;
        var tokensAfter = changed ? RoughTokenEstimator.EstimateMessagesTokensRough(compacted) : tokensBefore;
        var removed = Removed(messages, compacted);
        var summarized = !changed ? 0 : fallbackUsed && outcome!.SummaryDroppedCount > 0 ? outcome.SummaryDroppedCount : SummarizedCount(messages, compacted);
        if (aborted)
        {
            warnings.Add($"⚠ Compression aborted: {outcome!.SummaryError ?? "the summary failed"}. No messages were dropped; the conversation is unchanged.");
        }
        else if (outcome?.SummaryError is { } summaryError && selection.Source != ContextEngineSource.BuiltIn)
        {
            warnings.Add($"⚠ Compression summary failed: {summaryError}. Inserted a fallback context marker.");
        }

        if (outcome?.AuxModelFailureModel is { } auxModel)
        {
            warnings.Add($"The summary model '{auxModel}' failed ({outcome.AuxModelFailureError}); the main model wrote the summary. Check auxiliary.compression.model.");
        }

        WriteWarnings(error, warnings);
        string body;
        try
        {
            body = json
                ? JsonDocumentText(engineLabel, changed, tokensBefore, tokensAfter, messages.Count, compacted.Count, summarized, fallbackUsed, aborted, warnings, compacted, !stripPrivate)
                : OpenAIChatFormat.Serialize(compacted, includePrivateKeys: !stripPrivate, indented: true);
        }
        catch (ChatFormatException ex)
        {
            error.WriteLine($"Error: the conversation engine '{engineLabel}' returned cannot be written as JSON: {ex.Message}");
            return ExitCodes.Error;
        }

        context.Output.WriteLine(body);
        if (!json)
        {
            error.WriteLine($"Engine: {engineLabel} ({SourceLabel(selection)})");
            if (!hasContent || (!changed && !aborted))
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Nothing to compress: engine '{engineLabel}' kept all {messages.Count} messages (~{tokensBefore:N0} tokens, {RoughNote})."));
            }
            else if (!aborted)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compressed {messages.Count} messages to {compacted.Count}: {Describe(summarized, removed, selection.Source == ContextEngineSource.BuiltIn)}."));
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tokens: ~{tokensBefore:N0} -> ~{tokensAfter:N0} ({RoughNote})."));
            }

            if (changed && fallbackUsed && selection.Source == ContextEngineSource.BuiltIn)
            {
                error.WriteLine(OfflineNote);
            }
        }

        return aborted ? ExitCodes.Error : ExitCodes.Success;
    }

    /// <summary>The engine's tool schemas for the request estimate (fail-open).</summary>
    private static IReadOnlyList<ToolSchema> ToolSchemas(IContextEngine engine, List<string> warnings)
    {
        try
        {
            return engine.GetToolSchemas() ?? Array.Empty<ToolSchema>();
        }
#pragma warning disable CA1031 // Optional engine members are called fail-open, as the host does.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            warnings.Add($"Engine '{EngineName(engine)}' failed in GetToolSchemas ({ex.GetType().Name}: {ex.Message}); its tools are left out of the estimate.");
            return Array.Empty<ToolSchema>();
        }
    }

    private static bool SameMessages(IReadOnlyList<ChatMessage> a, List<ChatMessage> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The input messages (with their indexes) that are not in the output as they were.</summary>
    private static List<(int Index, ChatMessage Message)> Removed(List<ChatMessage> before, IReadOnlyList<ChatMessage> after)
    {
        var kept = new HashSet<ChatMessage>(after, ReferenceEqualityComparer.Instance);
        var removed = new List<(int, ChatMessage)>();
        for (var i = 0; i < before.Count; i++)
        {
            if (!kept.Contains(before[i]))
            {
                removed.Add((i, before[i]));
            }
        }

        return removed;
    }

    /// <summary>Messages the summary stands for, when the engine does not say: the messages gone, plus one for a summary that took a place of its own.</summary>
    private static int SummarizedCount(List<ChatMessage> before, IReadOnlyList<ChatMessage> after)
    {
        var inputs = new HashSet<ChatMessage>(before, ReferenceEqualityComparer.Instance);
        var newSummaries = after.Count(m => !inputs.Contains(m) && ChatMessageFacts.IsCompressedSummary(m));
        return Math.Max(0, before.Count - after.Count + newSummaries);
    }

    private static string Describe(int summarized, List<(int Index, ChatMessage Message)> removed, bool builtIn)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{summarized} message{(summarized == 1 ? string.Empty : "s")} summarized into one summary message");
        var rewritten = removed.Count - summarized;
        return rewritten <= 0
            ? text
            : text + string.Create(CultureInfo.InvariantCulture, $"; {rewritten} other message{(rewritten == 1 ? " was" : "s were")} kept but rewritten{(builtIn ? " (old tool output trimmed, the compaction note added to the system prompt)" : " by the engine")}");
    }

    private static string JsonDocumentText(
        string engine,
        bool compressed,
        int tokensBefore,
        int tokensAfter,
        int messagesBefore,
        int messagesAfter,
        int summarized,
        bool fallbackUsed,
        bool aborted,
        List<string> warnings,
        IReadOnlyList<ChatMessage> messages,
        bool includePrivateKeys)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, IndentedJson))
        {
            writer.WriteStartObject();
            writer.WriteString("engine", engine);
            writer.WriteBoolean("compressed", compressed);
            writer.WriteNumber("tokens_before", tokensBefore);
            writer.WriteNumber("tokens_after", tokensAfter);
            writer.WriteNumber("messages_before", messagesBefore);
            writer.WriteNumber("messages_after", messagesAfter);
            writer.WriteNumber("summarized", summarized);
            writer.WriteBoolean("fallback_used", fallbackUsed);
            writer.WriteBoolean("aborted", aborted);
            writer.WritePropertyName("warnings");
            writer.WriteStartArray();
            foreach (var warning in warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("messages");
            OpenAIChatFormat.Write(writer, messages, includePrivateKeys);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static string SourceName(string path) => path == "-" ? "standard input" : PrintableText.Of(path);

    /// <summary>Reads the messages file or standard input as text; null (after saying why) when it cannot be read.</summary>
    private static string? ReadMessagesText(CliContext context, string path)
    {
        var name = SourceName(path);
        ArraySegment<byte>? bytes;
        try
        {
            bytes = path == "-" ? BoundedReader.Read(context.Input, BoundedReader.MaxInputBytes) : BoundedReader.ReadFile(Path.GetFullPath(path), BoundedReader.MaxInputBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            context.Error.WriteLine($"Error: Cannot read '{name}': {ex.Message}");
            return null;
        }

        if (bytes is not { } content)
        {
            context.Error.WriteLine($"Error: '{name}' is larger than {BoundedReader.MaxInputText}, the most context compress reads. Split the conversation.");
            return null;
        }

        var decoded = TextDecoder.Decode(content);
        if (decoded.FirstInvalid is { } invalid)
        {
            context.Error.WriteLine($"Error: '{name}' is not valid {decoded.Encoding} text ({invalid}); the messages must be JSON text.");
            return null;
        }

        return decoded.Text;
    }

    private static void WriteWarnings(TextWriter error, List<string> warnings)
    {
        foreach (var warning in warnings)
        {
            error.WriteLine(warning.StartsWith('⚠') ? warning : "Warning: " + warning);
        }
    }

    // ------------------------------------------------------------------------------------------------ selection

    /// <summary>
    /// Reads the config and selects the engine. An engine named with <c>--engine</c> must exist and be a context engine
    /// that can be created (a usage mistake is an error); one named by the config falls back to the built-in with a
    /// warning, as an agent does. Null (after saying why) on failure.
    /// </summary>
    private static ContextEngineSelection? SelectEngine(CliContext context, string? engineName, int? contextLength, string? configPath, out ContextConfig? config)
    {
        var error = context.Error;
        config = LoadConfig(context, configPath);
        if (config is null)
        {
            return null;
        }

        var explicitName = string.IsNullOrWhiteSpace(engineName) ? null : engineName;
        if (explicitName is not null && explicitName != ContextEngineSelector.BuiltInName)
        {
            var available = string.Join(", ", ContextEngineSelector.ListEngines(context.Registry).Select(e => e.Name));
            if (!context.Registry.TryGet(explicitName, out var registration))
            {
                var notFound = new EngineNotFoundException(explicitName, ContextEngineSelector.ListEngines(context.Registry).Select(e => e.Name).ToArray());
                var hint = notFound.ClosestMatch is null ? string.Empty : $" Did you mean '{notFound.ClosestMatch}'?";
                error.WriteLine($"Error: Unknown context engine '{notFound.DisplayedId}'.{hint} Available: {available}");
                foreach (var failed in context.Registry.Failures.Where(f => f.Id == explicitName))
                {
                    error.WriteLine($"The package at '{failed.PackagePath}' declares '{explicitName}' but failed to load:");
                    foreach (var message in failed.Errors)
                    {
                        error.WriteLine("- " + message);
                    }
                }

                return null;
            }

            if (registration.Kind != EngineKind.Context)
            {
                error.WriteLine($"Error: '{explicitName}' is a compression engine: it compresses text and cannot manage a conversation's context. Choose a context engine: {available}");
                return null;
            }
        }

        ContextEngineSelection selection;
        try
        {
            selection = ContextEngineSelector.Select(config, context.Registry, new ContextEngineSelectionOptions { EngineName = explicitName, ContextLength = contextLength });
        }
        catch (ConfigurationException ex)
        {
            error.WriteLine("Error: " + ex.Message);
            return null;
        }

        if (explicitName is not null && selection.FallbackUsed)
        {
            foreach (var warning in selection.Warnings.Take(selection.Warnings.Count - 1))
            {
                error.WriteLine("Error: " + warning);
            }

            return null;
        }

        return selection;
    }

    /// <summary>The config: <c>--config</c>, else <c>$COMPACT_MEMORY_CONFIG</c>, else <c>./config.yaml</c> if present, else the defaults.</summary>
    private static ContextConfig? LoadConfig(CliContext context, string? configPath)
    {
        var path = configPath;
        var origin = "--config";
        if (string.IsNullOrEmpty(path) && context.Environment(ConfigVariable) is { Length: > 0 } fromEnvironment)
        {
            path = fromEnvironment;
            origin = ConfigVariable;
        }

        if (string.IsNullOrEmpty(path))
        {
            var local = Path.Combine(Directory.GetCurrentDirectory(), "config.yaml");
            if (!File.Exists(local))
            {
                return ContextConfig.Default;
            }

            path = local;
            origin = "./config.yaml";
        }

        try
        {
            return ContextConfig.Load(path);
        }
        catch (ConfigurationException ex)
        {
            context.Error.WriteLine($"Error: {ex.Message}" + (origin == "--config" ? string.Empty : $" (the config file comes from {origin})"));
            return null;
        }
    }

    /// <summary>An engine's name, or a placeholder when reading it throws.</summary>
    private static string EngineName(IContextEngine engine)
    {
        try
        {
            return engine.Name ?? string.Empty;
        }
#pragma warning disable CA1031 // A plugin's Name property may throw anything.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "(name unavailable)";
        }
    }

    private static string SourceLabel(ContextEngineSelection selection) => selection.Source switch
    {
        ContextEngineSource.BuiltIn => selection.FallbackUsed ? "built-in, fallback" : "built-in",
        ContextEngineSource.PluginSlot => "installed plugin",
        _ => "registry",
    };

    // ------------------------------------------------------------------------------------------------ list-engines

    private static Command ListCommand(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the engines as a JSON array." };
        var command = new Command("list-engines", "List the context engines 'context.engine' and --engine accept: the built-in compressor first, then the registry's context engines.") { json };
        command.SetAction(parse =>
        {
            var rows = ContextEngineSelector.ListEngines(context.Registry);
            if (parse.GetValue(json))
            {
                using var stream = new MemoryStream();
                using (var writer = new Utf8JsonWriter(stream, IndentedJson))
                {
                    writer.WriteStartArray();
                    foreach (var row in rows)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", row.Name);
                        writer.WriteString("description", row.Description);
                        writer.WriteString("source", row.Origin);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }

                context.Output.WriteLine(Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
                return ExitCodes.Success;
            }

            var table = new TextTable("Name", "Description", "Source");
            foreach (var row in rows)
            {
                table.AddRow(row.Name, row.Description, row.Origin);
            }

            table.WriteTo(context.Output, "Available Context Engines");
            return ExitCodes.Success;
        });
        return command;
    }

    // ------------------------------------------------------------------------------------------------ status

    private static Command StatusCommand(CliContext context)
    {
        var engine = EngineOption();
        var contextLength = ContextLengthOption();
        var json = new Option<bool>("--json") { Description = "Print the status as JSON: {\"engine\", \"source\", \"status\": {…}}." };
        var config = ConfigOption();
        var command = new Command("status", "Show a freshly selected engine's status (its GetStatus keys, in the contract's order).") { engine, contextLength, json, config };
        command.SetAction(parse =>
        {
            var selection = SelectEngine(context, parse.GetValue(engine), parse.GetValue(contextLength), parse.GetValue(config), out _);
            if (selection is null)
            {
                return ExitCodes.Error;
            }

            var name = EngineName(selection.Engine);
            System.Text.Json.Nodes.JsonObject status;
            try
            {
                status = selection.Engine.GetStatus().ToJsonObject();
            }
#pragma warning disable CA1031 // An engine may throw anything; the command names it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                context.Error.WriteLine($"Error: context engine '{name}' failed in GetStatus: {ex.GetType().Name}: {ex.Message}");
                return ExitCodes.Error;
            }

            WriteWarnings(context.Error, selection.Warnings.ToList());
            if (parse.GetValue(json))
            {
                var document = new System.Text.Json.Nodes.JsonObject
                {
                    ["engine"] = name,
                    ["source"] = SourceLabel(selection),
                    ["status"] = status,
                };
                context.Output.WriteLine(document.ToJsonString(CliJson.Indented));
                return ExitCodes.Success;
            }

            context.Output.WriteLine($"Engine: {name} ({SourceLabel(selection)})");
            var table = new TextTable("Key", "Value");
            foreach (var pair in status)
            {
                table.AddRow(pair.Key, pair.Value is null ? "null" : pair.Value.ToJsonString(CliJson.Compact));
            }

            table.WriteTo(context.Output);
            return ExitCodes.Success;
        });
        return command;
    }
}
