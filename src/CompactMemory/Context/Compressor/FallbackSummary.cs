using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>
/// The deterministic offline summary used when no summary could be written (contract §8.14): the last user ask, the
/// tools called with one-line result summaries, blockers, relevant files and the last dropped turns, redacted,
/// prefixed and capped at 8,000 characters.
/// </summary>
internal static class FallbackSummary
{
    /// <summary>The cap of the whole summary, prefix included (then <see cref="ContextCompressor.FallbackTruncationMarker"/>).</summary>
    public const int MaxLength = 8_000;

    /// <summary>How many dropped turns are quoted at the end.</summary>
    public const int LastTurns = 8;

    /// <summary>The cap of one quoted turn, role included.</summary>
    public const int TurnLength = 700;

    private const int MaxBlockers = 8;
    private const int MaxFiles = 30;
    private const int MaxToolLines = 20;

    private static readonly string[] BlockerWords = { "error", "failed", "exception", "traceback", "timeout", "fatal" };

    private static readonly string[] PathKeys = { "path", "workdir", "file_path", "output_path" };

    /// <summary>The prefixed fallback summary of the dropped turns.</summary>
    /// <param name="dropped">The turns compacted away.</param>
    /// <param name="reason">Why no summary was written.</param>
    /// <returns>The summary text.</returns>
    public static string Build(IReadOnlyList<ChatMessage> dropped, string reason)
    {
        ArgumentNullException.ThrowIfNull(dropped);
        var turns = new List<ChatMessage>(dropped.Count);
        foreach (var message in dropped)
        {
            if (message is not null)
            {
                turns.Add(message);
            }
        }

        var body = new StringBuilder();
        body.Append("## Historical Task Snapshot\n").Append(UserAsk(turns)).Append("\n\n");

        var calls = CallsById(turns);
        body.Append("## Completed Actions\n");
        AppendActions(body, turns, calls);
        body.Append('\n');

        body.Append("## Blocked\n");
        var blockers = Blockers(turns, calls);
        if (blockers.Count == 0)
        {
            body.Append("None recorded.\n");
        }
        else
        {
            foreach (var blocker in blockers)
            {
                body.Append("- ").Append(blocker).Append('\n');
            }
        }

        body.Append('\n');
        body.Append("## Relevant Files\n");
        var files = RelevantFiles(turns);
        if (files.Count == 0)
        {
            body.Append("None recorded.\n");
        }
        else
        {
            foreach (var file in files)
            {
                body.Append("- ").Append(file).Append('\n');
            }
        }

        body.Append('\n');
        body.Append("## Last Dropped Turns\n");
        for (var i = Math.Max(0, turns.Count - LastTurns); i < turns.Count; i++)
        {
            body.Append(Turn(turns[i])).Append('\n');
        }

        body.Append('\n');
        body.Append("Summary generation was unavailable, so this is a best-effort deterministic fallback for ")
            .Append(dropped.Count.ToString(CultureInfo.InvariantCulture))
            .Append(" compacted message(s). Summary failure reason: ")
            .Append(SummaryText.CollapseWhitespace(string.IsNullOrWhiteSpace(reason) ? "summary unavailable" : reason));

        var text = HandoffText.WithSummaryPrefix(SecretRedactor.Redact(body.ToString()));
        return text.Length <= MaxLength ? text : SummaryText.Prefix(text, MaxLength) + ContextCompressor.FallbackTruncationMarker;
    }

    /// <summary>
    /// A one-line summary of a tool call and its result: <c>[terminal] ran `cmd` -&gt; exit N, L lines output</c>,
    /// <c>[read_file] read &lt;path&gt; from line &lt;offset&gt; (N chars)</c>, or <c>[tool] k=v … (N chars result)</c>.
    /// </summary>
    /// <param name="call">The call, or <see langword="null"/> when the result has none.</param>
    /// <param name="resultText">The result's text.</param>
    /// <param name="toolName">The tool's name when there is no call.</param>
    /// <returns>The line (redacted, at most about 300 characters).</returns>
    public static string ToolLine(FunctionCallContent? call, string resultText, string? toolName = null)
    {
        var name = call?.Name ?? toolName ?? "tool";
        var arguments = call is null ? null : ChatMessageFacts.ParseArguments(ChatMessageFacts.ArgumentsJson(call));
        string line;
        if (name is "terminal" or "bash" or "shell" or "run_command" or "execute_command" && Argument(arguments, "command", "cmd") is { } command)
        {
            var exit = ExitCode(resultText);
            var lines = resultText.Length == 0 ? 0 : resultText.Split('\n').Length;
            line = "[" + name + "] ran `" + SummaryText.Ellipsize(SummaryText.CollapseWhitespace(command), 120) + "` -> "
                + (exit is null ? string.Empty : "exit " + exit + ", ")
                + lines.ToString(CultureInfo.InvariantCulture) + " lines output";
        }
        else if (name is "read_file" or "read" or "view_file" && Argument(arguments, "path", "file_path") is { } path)
        {
            var offset = Argument(arguments, "offset", "start_line", "line") ?? "1";
            line = "[" + name + "] read " + path + " from line " + offset + " (" + resultText.Length.ToString(CultureInfo.InvariantCulture) + " chars)";
        }
        else
        {
            var builder = new StringBuilder("[").Append(name).Append(']');
            if (arguments is not null)
            {
                foreach (var pair in arguments)
                {
                    builder.Append(' ').Append(pair.Key).Append('=').Append(SummaryText.Ellipsize(SummaryText.CollapseWhitespace(ValueText(pair.Value)), 60));
                    if (builder.Length > 220)
                    {
                        break;
                    }
                }
            }

            builder.Append(" (").Append(resultText.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars result)");
            line = builder.ToString();
        }

        return SummaryText.Ellipsize(SecretRedactor.Redact(line), 300);
    }

    private static string UserAsk(List<ChatMessage> turns)
    {
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            var message = turns[i];
            if (!ChatMessageFacts.IsUser(message))
            {
                continue;
            }

            var live = HandoffText.IsHandoff(message) ? HandoffText.LiveContent(message) : message;
            var text = live is null ? string.Empty : SummaryText.CollapseWhitespace(SummaryText.Clean(ChatMessageFacts.Text(live)));
            if (text.Length > 0)
            {
                return "User asked: '" + SummaryText.Ellipsize(text, TurnLength) + "'";
            }
        }

        return "User asked: (no user request among the compacted turns)";
    }

    private static Dictionary<string, FunctionCallContent> CallsById(List<ChatMessage> turns)
    {
        var calls = new Dictionary<string, FunctionCallContent>(StringComparer.Ordinal);
        foreach (var message in turns)
        {
            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                if (!string.IsNullOrEmpty(call.CallId))
                {
                    calls[call.CallId] = call;
                }
            }
        }

        return calls;
    }

    private static void AppendActions(StringBuilder body, List<ChatMessage> turns, Dictionary<string, FunctionCallContent> calls)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in turns)
        {
            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                var name = string.IsNullOrEmpty(call.Name) ? "tool" : call.Name;
                if (seen.Add(name))
                {
                    names.Add(name);
                }
            }
        }

        if (names.Count == 0)
        {
            body.Append("No tool calls among the compacted turns.\n");
            return;
        }

        body.Append("Called tool(s): ").Append(string.Join(", ", names)).Append('\n');
        var lines = new List<string>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in turns)
        {
            if (!ChatMessageFacts.IsTool(message))
            {
                continue;
            }

            var id = ChatMessageFacts.ToolCallId(message);
            FunctionCallContent? call = null;
            if (id is not null && calls.TryGetValue(id, out var found))
            {
                call = found;
                answered.Add(id);
            }

            lines.Add(ToolLine(call, ChatMessageFacts.Text(message)));
        }

        foreach (var pair in calls)
        {
            if (!answered.Contains(pair.Key))
            {
                lines.Add(ToolLine(pair.Value, string.Empty).Replace(" (0 chars result)", " (no result among the compacted turns)", StringComparison.Ordinal));
            }
        }

        var start = Math.Max(0, lines.Count - MaxToolLines);
        if (start > 0)
        {
            body.Append("- (").Append(start.ToString(CultureInfo.InvariantCulture)).Append(" earlier tool result(s) omitted)\n");
        }

        for (var i = start; i < lines.Count; i++)
        {
            body.Append("- ").Append(lines[i]).Append('\n');
        }
    }

    private static List<string> Blockers(List<ChatMessage> turns, Dictionary<string, FunctionCallContent> calls)
    {
        var blockers = new List<string>();
        foreach (var message in turns)
        {
            if (!ChatMessageFacts.IsTool(message))
            {
                continue;
            }

            var text = ChatMessageFacts.Text(message);
            var line = FirstBlockerLine(text);
            if (line is null)
            {
                continue;
            }

            var id = ChatMessageFacts.ToolCallId(message);
            var name = id is not null && calls.TryGetValue(id, out var call) && !string.IsNullOrEmpty(call.Name) ? call.Name : "tool";
            blockers.Add("[" + name + "] " + SummaryText.Ellipsize(SummaryText.CollapseWhitespace(SummaryText.Clean(line)), 240));
        }

        return blockers.Count <= MaxBlockers ? blockers : blockers.GetRange(blockers.Count - MaxBlockers, MaxBlockers);
    }

    private static string? FirstBlockerLine(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var lower = raw.ToLowerInvariant();
            foreach (var word in BlockerWords)
            {
                if (lower.Contains(word, StringComparison.Ordinal) && raw.Trim().Length > 0)
                {
                    return raw.Trim();
                }
            }
        }

        return null;
    }

    private static List<string> RelevantFiles(List<ChatMessage> turns)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string candidate)
        {
            var cleaned = SecretRedactor.Redact(candidate.Trim());
            if (cleaned.Length > 0 && cleaned.Length <= 300 && files.Count < MaxFiles && seen.Add(cleaned))
            {
                files.Add(cleaned);
            }
        }

        foreach (var message in turns)
        {
            foreach (var call in ChatMessageFacts.ToolCalls(message))
            {
                var arguments = ChatMessageFacts.ParseArguments(ChatMessageFacts.ArgumentsJson(call));
                if (arguments is null)
                {
                    continue;
                }

                foreach (var key in PathKeys)
                {
                    if (Argument(arguments, key) is { } value)
                    {
                        Add(value);
                    }
                }
            }
        }

        foreach (var message in turns)
        {
            var live = HandoffText.IsHandoff(message) ? HandoffText.LiveContent(message) : message;
            if (live is null)
            {
                continue;
            }

            foreach (var path in PathLike(ChatMessageFacts.Text(live)))
            {
                Add(path);
            }

            foreach (var call in ChatMessageFacts.ToolCalls(live))
            {
                foreach (var path in PathLike(ChatMessageFacts.ArgumentsJson(call).Replace("\\\\", "\\", StringComparison.Ordinal)))
                {
                    Add(path);
                }
            }
        }

        return files;
    }

    /// <summary>Path-like words: POSIX (<c>/a/b</c>, <c>./a</c>, <c>~/a</c>, <c>dir/file.ext</c>) and Windows (<c>C:\a\b</c>). One linear pass, no regular expression.</summary>
    internal static IEnumerable<string> PathLike(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && IsDelimiter(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !IsDelimiter(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                var word = text[start..i].TrimEnd('.', ',', ':', ';', '!', '?');
                if (IsPathLike(word))
                {
                    yield return word;
                }
            }
        }
    }

    private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is '"' or '\'' or '`' or '(' or ')' or '[' or ']' or '{' or '}' or '<' or '>' or ',' or ';' or '|' or '=';

    private static bool IsPathLike(string word)
    {
        if (word.Length < 2 || word.Length > 300 || word.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in word)
        {
            if (!(char.IsLetterOrDigit(c) || c is '/' or '\\' or '.' or '_' or '-' or '~' or '+' or '@' or ':'))
            {
                return false;
            }
        }

        if (word.Length >= 4 && char.IsAsciiLetter(word[0]) && word[1] == ':' && word[2] == '\\')
        {
            return word.IndexOf(':', 2) < 0 && HasSegment(word, 3);
        }

        if (word.Contains(':', StringComparison.Ordinal) || word.Contains("//", StringComparison.Ordinal) || word.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        if (word.StartsWith('/') || word.StartsWith("./", StringComparison.Ordinal) || word.StartsWith("../", StringComparison.Ordinal) || word.StartsWith("~/", StringComparison.Ordinal))
        {
            return HasSegment(word, word.IndexOf('/', StringComparison.Ordinal) + 1);
        }

        // A relative path: at least one separator and a file extension on the last segment.
        var slash = word.LastIndexOf('/');
        if (slash <= 0 || slash == word.Length - 1)
        {
            return false;
        }

        var dot = word.LastIndexOf('.');
        return dot > slash + 1 && dot < word.Length - 1 && word.Length - dot - 1 <= 8;
    }

    private static bool HasSegment(string word, int from)
    {
        for (var i = from; i < word.Length; i++)
        {
            if (char.IsLetterOrDigit(word[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Turn(ChatMessage message)
    {
        var role = string.IsNullOrEmpty(message.Role.Value) ? "UNKNOWN" : message.Role.Value.ToUpperInvariant();
        var live = HandoffText.IsHandoff(message) ? HandoffText.LiveContent(message) : message;
        var text = live is null ? "(earlier summary)" : SummaryText.Clean(ChatMessageFacts.Text(live)).Trim();
        if (live is not null)
        {
            var calls = ChatMessageFacts.ToolCalls(live);
            if (calls.Count > 0)
            {
                var names = new List<string>(calls.Count);
                foreach (var call in calls)
                {
                    names.Add(string.IsNullOrEmpty(call.Name) ? "tool" : call.Name);
                }

                text = (text.Length == 0 ? string.Empty : text + " ") + "(called " + string.Join(", ", names) + ")";
            }
        }

        return SummaryText.Ellipsize(role + ": " + text, TurnLength);
    }

    private static string? Argument(Dictionary<string, object?>? arguments, params string[] keys)
    {
        if (arguments is null)
        {
            return null;
        }

        foreach (var key in keys)
        {
            if (arguments.TryGetValue(key, out var value) && value is not null)
            {
                var text = ValueText(value);
                if (text.Length > 0)
                {
                    return text;
                }
            }
        }

        return null;
    }

    private static string ValueText(object? value) => value switch
    {
        null => "null",
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        string s => s,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string? ExitCode(string result)
    {
        var index = result.IndexOf("exit", StringComparison.OrdinalIgnoreCase);
        while (index >= 0)
        {
            var i = index + 4;
            while (i < result.Length && !char.IsAsciiDigit(result[i]) && result[i] != '-' && i - index < 16 && result[i] != '\n')
            {
                i++;
            }

            var start = i;
            if (i < result.Length && result[i] == '-')
            {
                i++;
            }

            while (i < result.Length && char.IsAsciiDigit(result[i]) && i - start < 6)
            {
                i++;
            }

            if (i > start && char.IsAsciiDigit(result[i - 1]))
            {
                return result[start..i];
            }

            index = result.IndexOf("exit", index + 4, StringComparison.OrdinalIgnoreCase);
        }

        return null;
    }
}
