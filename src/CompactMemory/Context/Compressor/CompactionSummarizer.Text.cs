using System;
using System.Text.RegularExpressions;

namespace CompactMemory.Context;

/// <summary>Text helpers of the summary side: cuts that never split a surrogate pair, whitespace collapsing, media references.</summary>
internal static class SummaryText
{
    private static readonly Regex MediaReference = new(@"MEDIA:\S+", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));

    /// <summary>At most <paramref name="max"/> characters: the text itself, or its start followed by <c>...</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="max">The maximum length, at least 3.</param>
    /// <returns>The shortened text.</returns>
    public static string Ellipsize(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        return string.Concat(Prefix(text, max - 3), "...");
    }

    /// <summary>The first <paramref name="length"/> characters, one fewer when that would split a surrogate pair.</summary>
    /// <param name="text">The text.</param>
    /// <param name="length">The wanted length.</param>
    /// <returns>The prefix.</returns>
    public static string Prefix(string text, int length)
    {
        if (length >= text.Length)
        {
            return text;
        }

        if (length <= 0)
        {
            return string.Empty;
        }

        if (char.IsHighSurrogate(text[length - 1]) && char.IsLowSurrogate(text[length]))
        {
            length--;
        }

        return text.Substring(0, length);
    }

    /// <summary>The last <paramref name="length"/> characters, one fewer when that would split a surrogate pair.</summary>
    /// <param name="text">The text.</param>
    /// <param name="length">The wanted length.</param>
    /// <returns>The suffix.</returns>
    public static string Suffix(string text, int length)
    {
        if (length >= text.Length)
        {
            return text;
        }

        if (length <= 0)
        {
            return string.Empty;
        }

        var start = text.Length - length;
        if (char.IsLowSurrogate(text[start]) && char.IsHighSurrogate(text[start - 1]))
        {
            start++;
        }

        return text.Substring(start);
    }

    /// <summary>A text longer than <paramref name="limit"/>: its first <paramref name="head"/> characters, <paramref name="marker"/> and its last <paramref name="tail"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="limit">The length above which the text is cut.</param>
    /// <param name="head">Characters kept from the start.</param>
    /// <param name="marker">What joins the two ends.</param>
    /// <param name="tail">Characters kept from the end.</param>
    /// <returns>The text, cut when too long.</returns>
    public static string HeadAndTail(string text, int limit, int head, string marker, int tail) =>
        text.Length <= limit ? text : string.Concat(Prefix(text, head), marker, Suffix(text, tail));

    /// <summary>Every run of white space replaced by one space, ends trimmed.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The collapsed text.</returns>
    public static string CollapseWhitespace(string text) => CompactMemory.Text.Whitespace.Collapse(text);

    /// <summary>Every <c>MEDIA:&lt;path&gt;</c> reference replaced by <see cref="ContextCompressor.MediaAttachmentMarker"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without media references.</returns>
    public static string ReplaceMedia(string text)
    {
        if (!text.Contains("MEDIA:", StringComparison.Ordinal))
        {
            return text;
        }

        try
        {
            return MediaReference.Replace(text, ContextCompressor.MediaAttachmentMarker);
        }
        catch (RegexMatchTimeoutException)
        {
            return text.Replace("MEDIA:", ContextCompressor.MediaAttachmentMarker + " ", StringComparison.Ordinal);
        }
    }

    /// <summary>Redacted and without media references: what may leave the process.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The cleaned text.</returns>
    public static string Clean(string text) => SecretRedactor.Redact(ReplaceMedia(text));
}
