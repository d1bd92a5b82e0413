using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;

namespace CompactMemory.Context;

/// <summary>
/// Recognises a provider's context-overflow error (413 payload too large, a 400 asking to reduce the length of the
/// messages, a long-context 429) and the lower context limit it reports, if any. Reads exception messages and
/// <see cref="HttpRequestException.StatusCode"/> along the inner-exception chain; no reflection.
/// </summary>
public static partial class ContextOverflow
{
    /// <summary>The context window assumed when a provider refuses a request for its long-context tier (429).</summary>
    public const int LongContextTierLimit = 200_000;

    /// <summary>True when <paramref name="exception"/> (or an inner exception) says the request did not fit the model's context window.</summary>
    /// <param name="exception">The error from the chat client.</param>
    /// <param name="reportedLimit">The context window the provider reported, when it named one; otherwise <see langword="null"/>.</param>
    /// <returns>Whether the error is a context overflow.</returns>
    public static bool IsContextOverflow(Exception? exception, out int? reportedLimit)
    {
        reportedLimit = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is OperationCanceledException)
            {
                return false;
            }

            var message = current.Message ?? string.Empty;
            var status = current is HttpRequestException { StatusCode: { } code } ? (int)code : StatusInMessage(message);
            var longContext = status == 429 && message.Contains("long context", StringComparison.OrdinalIgnoreCase);
            if (status == (int)HttpStatusCode.RequestEntityTooLarge || longContext || MentionsOverflow(message))
            {
                reportedLimit = longContext ? LongContextTierLimit : ReportedLimit(message);
                return true;
            }
        }

        return false;
    }

    private static bool MentionsOverflow(string message) =>
        message.Contains("context length", StringComparison.OrdinalIgnoreCase)
        || message.Contains("context_length_exceeded", StringComparison.OrdinalIgnoreCase)
        || message.Contains("reduce the length", StringComparison.OrdinalIgnoreCase)
        || message.Contains("reduce length", StringComparison.OrdinalIgnoreCase)
        || message.Contains("maximum context", StringComparison.OrdinalIgnoreCase)
        || message.Contains("context window", StringComparison.OrdinalIgnoreCase)
        || message.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase)
        || message.Contains("payload too large", StringComparison.OrdinalIgnoreCase)
        || message.Contains("request entity too large", StringComparison.OrdinalIgnoreCase);

    private static int? StatusInMessage(string message)
    {
        var match = StatusPattern().Match(message);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static int? ReportedLimit(string message)
    {
        foreach (var pattern in new[] { MaximumContextPattern(), TooLongPattern(), WindowPattern() })
        {
            var match = pattern.Match(message);
            if (match.Success && int.TryParse(match.Groups["n"].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0)
            {
                return limit;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\b(?:status(?: code)?|HTTP)\s*:?\s*(4\d\d)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"maximum context (?:length|window) is (?<n>[\d,]{1,12}) tokens", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex MaximumContextPattern();

    [GeneratedRegex(@"tokens\s*>\s*(?<n>[\d,]{1,12})\s*maximum", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TooLongPattern();

    [GeneratedRegex(@"context window (?:of|is) (?<n>[\d,]{1,12}) tokens", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex WindowPattern();
}
