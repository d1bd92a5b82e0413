using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CompactMemory.Context;

/// <summary>The classes of summary failure (contract §8.13).</summary>
internal enum SummaryFailureKind
{
    /// <summary>No summary model is configured (cooldown 600 s).</summary>
    NotConfigured,

    /// <summary>The response could not be decoded (cooldown 30 s).</summary>
    JsonDecode,

    /// <summary>The connection or the response stream closed, or the service could not be reached (cooldown 30 s; an abort trigger).</summary>
    StreamClosed,

    /// <summary>The call did not finish in time, or the service said it timed out or is rate limiting (cooldown 60 s).</summary>
    Timeout,

    /// <summary>The model does not exist or is unavailable (cooldown 60 s).</summary>
    ModelNotFound,

    /// <summary>The model answered without any text (cooldown 60 s).</summary>
    NoText,

    /// <summary>Anything else (cooldown 60 s).</summary>
    Other,
}

/// <summary>One classified summary failure.</summary>
/// <param name="Kind">The class.</param>
/// <param name="Message">The error text (not yet shortened).</param>
/// <param name="AuthFailure">An authentication, billing or quota failure (an abort trigger; rate limits excluded).</param>
internal sealed record SummaryFailure(SummaryFailureKind Kind, string Message, bool AuthFailure)
{
    /// <summary>The text of the not-configured failure.</summary>
    public const string NotConfiguredMessage = "no auxiliary LLM provider configured";

    /// <summary>The cooldown this failure starts, in seconds.</summary>
    public int CooldownSeconds => Kind switch
    {
        SummaryFailureKind.NotConfigured => 600,
        SummaryFailureKind.JsonDecode or SummaryFailureKind.StreamClosed => 30,
        _ => 60,
    };

    /// <summary>True for a network or stream failure (an abort trigger when it survives the retry).</summary>
    public bool NetworkFailure => Kind == SummaryFailureKind.StreamClosed;

    /// <summary>The failure of a call that did not finish within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The time allowed.</param>
    /// <returns>The failure.</returns>
    public static SummaryFailure TimedOut(TimeSpan timeout) =>
        new(SummaryFailureKind.Timeout, "timeout: the summary call did not finish within " + Seconds(timeout) + " s", false);

    /// <summary>The failure of a response without text.</summary>
    /// <param name="what">What the response held instead, or <see langword="null"/> when nothing.</param>
    /// <returns>The failure.</returns>
    public static SummaryFailure NoText(string? what) =>
        new(SummaryFailureKind.NoText, what is null ? "the summary model returned no text" : "the summary model returned no text, only " + what, false);

    /// <summary>Classifies an exception thrown by the summary call (the caller's cancellation is never passed here).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The failure.</returns>
    public static SummaryFailure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var chain = Chain(exception);
        var statuses = new HashSet<int>();
        var texts = new List<string>();
        var jsonError = false;
        var connectionError = false;
        var timeoutError = false;
        foreach (var ex in chain)
        {
            texts.Add(ex.Message ?? string.Empty);
            switch (ex)
            {
                case HttpRequestException http:
                    if (http.StatusCode is { } status)
                    {
                        statuses.Add((int)status);
                    }

                    if (http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                        or HttpRequestError.ResponseEnded or HttpRequestError.ProxyTunnelError or HttpRequestError.SecureConnectionError)
                    {
                        connectionError = true;
                    }

                    break;
                case JsonException:
                    jsonError = true;
                    break;
                case IOException or SocketException:
                    connectionError = true;
                    break;
                case TimeoutException:
                    timeoutError = true;
                    break;
            }
        }

        var text = string.Join(" | ", texts);
        foreach (Match match in SafeMatches(StatusInText, text))
        {
            if (int.TryParse(match.Groups[1].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                statuses.Add(code);
            }
        }

        var lower = text.ToLowerInvariant();
        var message = Describe(exception);
        var auth = IsAuthOrBilling(statuses, lower);

        if (ContainsAny(lower, "not configured", "no auxiliary llm provider", "no auxiliary provider"))
        {
            return new SummaryFailure(SummaryFailureKind.NotConfigured, NotConfiguredMessage, auth);
        }

        if (jsonError || lower.Contains("expecting value", StringComparison.Ordinal))
        {
            return new SummaryFailure(SummaryFailureKind.JsonDecode, "JSON decode error: " + message, auth);
        }

        if (connectionError || ContainsAny(lower, StreamClosedMarkers))
        {
            return new SummaryFailure(SummaryFailureKind.StreamClosed, "stream closed: " + message, auth);
        }

        if (statuses.Contains(404) || statuses.Contains(503) || ContainsAny(lower, "model_not_found", "does not exist", "no available channel"))
        {
            return new SummaryFailure(SummaryFailureKind.ModelNotFound, "model not found: " + message, auth);
        }

        if (timeoutError || statuses.Contains(408) || statuses.Contains(429) || statuses.Contains(502) || statuses.Contains(504)
            || lower.Contains("timeout", StringComparison.Ordinal) || lower.Contains("timed out", StringComparison.Ordinal))
        {
            return new SummaryFailure(SummaryFailureKind.Timeout, "timeout: " + message, auth);
        }

        return new SummaryFailure(SummaryFailureKind.Other, message, auth);
    }

    private static readonly string[] StreamClosedMarkers =
    {
        "incomplete chunked read", "peer closed connection", "connection reset", "connection refused", "connection aborted",
        "connection closed", "connection was closed", "remotedisconnected", "remote end closed", "response ended prematurely",
        "stream closed", "unexpected end of stream", "broken pipe", "network is unreachable", "name or service not known",
        "no such host", "error occurred while sending the request",
    };

    private static readonly string[] BillingMarkers =
    {
        "insufficient_quota", "out of credits", "credit balance", "billing", "payment required", "exceeded your current quota",
    };

    private static readonly string[] AuthMarkers =
    {
        "missing api key", "no api key", "api key is missing", "api key not", "api key was not", "api_key", "apikey",
        "invalid api key", "incorrect api key", "invalid_api_key", "invalid x-api-key", "unauthorized", "unauthenticated",
        "authentication", "permission denied", "forbidden", "quota exceeded",
    };

    private static readonly string[] RateLimitMarkers = { "rate limit", "rate_limit", "ratelimit", "too many requests" };

    /// <summary>Status codes as providers and HTTP stacks write them in messages: <c>status code 401</c>, <c>Error code: 402</c>, <c>HTTP 403</c>, <c>success: 404 (Not Found)</c>.</summary>
    private static readonly Regex StatusInText = new(
        @"(?:status(?:[ _]?code)?|error[ _]?code|http(?:/[0-9.]{1,3})?|code|success)[\s:=""'(]{0,4}([1-5][0-9][0-9])\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking,
        TimeSpan.FromSeconds(1));

    private static bool IsAuthOrBilling(HashSet<int> statuses, string lower)
    {
        if (statuses.Contains(401) || statuses.Contains(402) || statuses.Contains(403) || ContainsAny(lower, BillingMarkers))
        {
            return true;
        }

        var rateLimited = statuses.Contains(429) || ContainsAny(lower, RateLimitMarkers);
        return !rateLimited && ContainsAny(lower, AuthMarkers);
    }

    private static IEnumerable<Match> SafeMatches(Regex regex, string text)
    {
        MatchCollection matches;
        try
        {
            matches = regex.Matches(text);
            _ = matches.Count;
        }
        catch (RegexMatchTimeoutException)
        {
            yield break;
        }

        foreach (Match match in matches)
        {
            yield return match;
        }
    }

    private static bool ContainsAny(string text, params string[] markers)
    {
        foreach (var marker in markers)
        {
            if (text.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static List<Exception> Chain(Exception exception)
    {
        var result = new List<Exception>();
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0 && result.Count < 32)
        {
            var current = pending.Pop();
            if (result.Contains(current))
            {
                continue;
            }

            result.Add(current);
            if (current is AggregateException aggregate)
            {
                for (var i = aggregate.InnerExceptions.Count - 1; i >= 0; i--)
                {
                    pending.Push(aggregate.InnerExceptions[i]);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return result;
    }

    private static string Describe(Exception exception)
    {
        var text = exception.Message;
        if (string.IsNullOrWhiteSpace(text) && exception.InnerException is { } inner)
        {
            text = inner.Message;
        }

        return string.IsNullOrWhiteSpace(text) ? exception.GetType().Name : exception.GetType().Name + ": " + SummaryText.CollapseWhitespace(text);
    }

    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
