using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CompactMemory.Context;

/// <summary>
/// One-line descriptions of a tool call and its result, which replace long old tool output:
/// <c>[terminal] ran `npm test` -> exit 0, 47 lines output</c>, <c>[read_file] read config.py from line 1 (1,200 chars)</c>,
/// or for any other tool <c>[name] key=value key=value (N chars result)</c>. Never throws.
/// </summary>
internal static partial class ToolResultSummaries
{
    /// <summary>The one-line description.</summary>
    /// <param name="toolName">The tool's name (<c>unknown</c> when its call is gone).</param>
    /// <param name="arguments">The call's arguments (JSON values, strings, numbers, booleans), or <see langword="null"/>.</param>
    /// <param name="content">The result's text.</param>
    /// <returns>The line.</returns>
    public static string OneLine(string toolName, IDictionary<string, object?>? arguments, string content)
    {
        content ??= string.Empty;
        toolName = string.IsNullOrEmpty(toolName) ? "unknown" : toolName;
        try
        {
            return Describe(toolName, arguments, content);
        }
        catch (Exception ex) when (ex is JsonException or RegexMatchTimeoutException or InvalidOperationException or FormatException or ArgumentException)
        {
            return "[" + toolName + "] (" + Count(content.Length) + " chars result)";
        }
    }

    private static string Describe(string toolName, IDictionary<string, object?>? args, string content)
    {
        var length = Count(content.Length);
        switch (toolName)
        {
            case "terminal":
                var command = Arg(args, "command", string.Empty);
                if (command.Length > 80)
                {
                    command = Cut(command, 77) + "...";
                }

                var exit = ExitCode().Match(content);
                return "[terminal] ran `" + command + "` -> exit " + (exit.Success ? exit.Groups[1].Value : "?") + ", "
                    + LineCount(content).ToString(CultureInfo.InvariantCulture) + " lines output";
            case "read_file":
                return "[read_file] read " + Arg(args, "path", "?") + " from line " + Arg(args, "offset", "1") + " (" + length + " chars)";
            case "write_file":
                var written = Arg(args, "content", string.Empty);
                var lines = written.Length > 0 ? (Occurrences(written, '\n') + 1).ToString(CultureInfo.InvariantCulture) : "?";
                return "[write_file] wrote to " + Arg(args, "path", "?") + " (" + lines + " lines)";
            case "search_files":
                var total = TotalCount().Match(content);
                return "[search_files] " + Arg(args, "target", "content") + " search for '" + Arg(args, "pattern", "?") + "' in "
                    + Arg(args, "path", ".") + " -> " + (total.Success ? total.Groups[1].Value : "?") + " matches";
            case "patch":
                return "[patch] " + Arg(args, "mode", "replace") + " in " + Arg(args, "path", "?") + " (" + length + " chars result)";
            case "web_search":
                return "[web_search] query='" + Arg(args, "query", "?") + "' (" + length + " chars result)";
            default:
                var builder = new StringBuilder("[").Append(toolName).Append(']');
                if (args is not null)
                {
                    var taken = 0;
                    foreach (var pair in args)
                    {
                        if (taken++ == 2)
                        {
                            break;
                        }

                        builder.Append(' ').Append(pair.Key).Append('=').Append(Cut(Render(pair.Value), 40));
                    }
                }

                return builder.Append(" (").Append(length).Append(" chars result)").ToString();
        }
    }

    /// <summary>An argument rendered as text: a string as is, anything else as its JSON; the fallback when absent or null.</summary>
    private static string Arg(IDictionary<string, object?>? args, string name, string fallback) =>
        args is not null && args.TryGetValue(name, out var value) && value is not null && value is not JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }
            ? Render(value)
            : fallback;

    private static string Render(object? value) => value switch
    {
        null => "null",
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        string text => text,
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static int LineCount(string content)
    {
        foreach (var c in content)
        {
            if (!char.IsWhiteSpace(c))
            {
                return Occurrences(content, '\n') + 1;
            }
        }

        return 0;
    }

    private static int Occurrences(string text, char c)
    {
        var count = 0;
        foreach (var ch in text)
        {
            if (ch == c)
            {
                count++;
            }
        }

        return count;
    }

    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        return text.Substring(0, char.IsHighSurrogate(text[max - 1]) ? max - 1 : max);
    }

    [GeneratedRegex("\"exit_code\"\\s*:\\s*(-?[0-9]+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExitCode();

    [GeneratedRegex("\"total_count\"\\s*:\\s*([0-9]+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TotalCount();
}
