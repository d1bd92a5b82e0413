using System;
using System.Text;
using System.Text.RegularExpressions;

namespace CompactMemory.Context;

/// <summary>
/// Removes secrets from text before it leaves the process (summary prompts, fallback summaries, memory context):
/// API keys (<c>sk-…</c>, <c>sk-ant-…</c>, <c>AKIA…</c>, GitHub <c>gh[pousr]_…</c>, Slack <c>xox…-</c>, Google, Stripe,
/// Hugging Face), <c>Bearer</c> tokens and <c>Authorization</c> values, JSON Web Tokens, PEM private keys,
/// <c>password=</c> / <c>api_key:</c> / <c>token=</c> style assignments and credentials in URLs
/// (<c>scheme://user:pass@host</c>). Each secret becomes <see cref="Placeholder"/>; a key name, an assignment
/// operator, a URL scheme and an auth scheme word stay, a token's own prefix (such as <c>ghp_</c>) does not.
/// </summary>
/// <remarks>
/// The patterns run on a linear-time engine where the platform has one (<see cref="RegexOptions"/> <c>NonBacktracking</c>)
/// and always under a match timeout, so hostile input cannot hang the caller. Should a pattern still time out, the
/// text is redacted conservatively instead (every long or assignment-like word is replaced): a timeout never lets a
/// secret through. The rules run until nothing changes (at most four passes), so redacting redacted text normally
/// changes nothing.
/// </remarks>
public static class SecretRedactor
{
    /// <summary>What every secret is replaced with.</summary>
    public const string Placeholder = "[REDACTED]";

    /// <summary>Joins the head and the tail of memory context cut by <see cref="SanitizeMemoryContext"/>.</summary>
    public const string MemoryContextTruncationMarker = "\n...[memory provider context truncated]...\n";

    private const int MemoryContextLimit = 6_000;
    private const int MemoryContextHead = 4_000;
    private const int MemoryContextTail = 1_500;

    private const int MaxPasses = 4;

    private static readonly char[] AssignmentChars = { '=', ':', '@' };

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

#if NET7_0_OR_GREATER
    private const RegexOptions Engine = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
#else
    private const RegexOptions Engine = RegexOptions.CultureInvariant;
#endif

    /// <summary>The rules, applied in order: whole blocks first, then specific token shapes, then generic assignments.</summary>
    private static readonly (Regex Pattern, MatchEvaluator Replacement, string[] Triggers, bool IgnoreCase)[] Rules =
    {
        // PEM private keys (the body is base64 and line breaks).
        (Rule(@"-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----[A-Za-z0-9+/=\s]*-----END[A-Z ]{0,40}PRIVATE KEY-----"), Whole, new[] { "-----BEGIN" }, false),

        // Credentials in URLs: scheme://user:password@host keeps the scheme and the host.
        (Rule(@"\b([A-Za-z][A-Za-z0-9+.\-]{0,30}://)[^\s/?#@:]{1,256}:[^\s/?#@]{1,256}@"), KeepFirstGroupThenAt, new[] { "://" }, false),

        // Provider keys with a recognisable shape; the whole token goes, its prefix included.
        (Rule(@"\bsk-[A-Za-z0-9_\-]{16,}"), Whole, new[] { "sk-" }, false),
        (Rule(@"\b[rsp]k_(?:live|test)_[A-Za-z0-9]{10,}"), Whole, new[] { "k_live_", "k_test_" }, false),
        (Rule(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), Whole, new[] { "AKIA", "ASIA" }, false),
        (Rule(@"\b(?:gh[pousr]_[A-Za-z0-9_]{4,}|github_pat_[A-Za-z0-9_]{10,})"), Whole, new[] { "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_" }, false),
        (Rule(@"\bxox[abposr]-[A-Za-z0-9\-]{8,}"), Whole, new[] { "xox" }, false),
        (Rule(@"\bAIza[0-9A-Za-z_\-]{30,}"), Whole, new[] { "AIza" }, false),
        (Rule(@"\bhf_[A-Za-z0-9]{30,}"), Whole, new[] { "hf_" }, false),

        // JSON Web Tokens: header.payload.signature, base64url.
        (Rule(@"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*"), Whole, new[] { "eyJ" }, false),

        // Authorization header values and bearer tokens keep the header name and the scheme word.
        (Rule(@"\b(authorization[""']?[ \t]{0,10}[:=][ \t]{0,10}[""']?(?:(?:basic|bearer|token|digest)\s{1,10})?)[^\s""',;]+", ignoreCase: true), KeepFirstGroup, new[] { "authorization" }, true),
        (Rule(@"\b(bearer\s{1,10})[A-Za-z0-9\-._~+/]{12,}=*", ignoreCase: true), KeepFirstGroup, new[] { "bearer" }, true),
    };

    /// <summary>
    /// key = value assignments (env files, YAML, JSON, query strings, command lines): the key and the operator stay, a
    /// quoted value keeps its quotes. Operators and values stay on the key's line.
    /// </summary>
    private static readonly Regex Assignment = Rule(
        @"\b([A-Za-z0-9_\-]{0,40}(?:password|passwd|passphrase|pwd|secret|token|credentials?|api[_\-]?key|apikey|access[_\-]?key|private[_\-]?key)(?:[_\-]?key)?[""']?[ \t]{0,10}[:=][ \t]{0,10})(\[REDACTED\]|""[^""\r\n]{1,200}""|'[^'\r\n]{1,200}'|[^\s""',;&<>(){}\[\]=:]+)",
        ignoreCase: true);

    /// <summary>The text with every recognised secret replaced by <see cref="Placeholder"/>.</summary>
    /// <param name="text">The text to clean.</param>
    /// <returns>The redacted text (the same instance when nothing was found).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>; pass an empty string for no text.</exception>
    public static string Redact(string text)
    {
        ArgumentGuard.NotNull(text, nameof(text));
        if (text.Length == 0)
        {
            return text;
        }

        try
        {
            // One replacement can expose another shape (a redacted value that now reads as URL credentials, say):
            // repeat until nothing changes, at most a few passes.
            var result = text;
            for (var pass = 0; pass < MaxPasses; pass++)
            {
                var next = RedactOnce(result);
                if (string.Equals(next, result, StringComparison.Ordinal))
                {
                    break;
                }

                result = next;
            }

            return result;
        }
        catch (RegexMatchTimeoutException)
        {
            return RedactConservatively(text);
        }
    }

    private static string RedactOnce(string text)
    {
        var result = text;
        foreach (var (pattern, replacement, triggers, ignoreCase) in Rules)
        {
            if (Contains(result, triggers, ignoreCase))
            {
                result = pattern.Replace(result, replacement);
            }
        }

        return Contains(result, AssignmentTriggers, ignoreCase: true) ? ReplaceAssignments(result) : result;
    }

    /// <summary>Literals every assignment match contains (its key holds one of them).</summary>
    private static readonly string[] AssignmentTriggers = { "pass", "pwd", "secret", "token", "credential", "key" };

    /// <summary>
    /// Characters a case-insensitive pattern matches as ASCII letters but an ordinal comparison does not (KELVIN SIGN
    /// for k, LONG S for s, dotted and dotless I): their presence means the rule must run.
    /// </summary>
    private static readonly char[] CaseFoldingLookalikes = { '\u212A', '\u017F', '\u0130', '\u0131' };

    private static bool Contains(string text, string[] triggers, bool ignoreCase)
    {
        if (ignoreCase && text.IndexOfAny(CaseFoldingLookalikes) >= 0)
        {
            return true;
        }

        foreach (var trigger in triggers)
        {
#pragma warning disable CA2249 // netstandard2.0 has no string.Contains(string, StringComparison)
            if (text.IndexOf(trigger, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal) >= 0)
#pragma warning restore CA2249
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Memory-provider context made safe to put into a prompt: secrets and URL credentials redacted, and when the
    /// result is longer than 6,000 characters, its first 4,000 characters, <see cref="MemoryContextTruncationMarker"/>
    /// and its last 1,500 characters.
    /// </summary>
    /// <param name="text">The memory context; <see langword="null"/> is read as empty.</param>
    /// <returns>The sanitized context.</returns>
    public static string SanitizeMemoryContext(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var redacted = Redact(text);
        if (redacted.Length <= MemoryContextLimit)
        {
            return redacted;
        }

        return HeadAndTail(redacted, MemoryContextHead, MemoryContextTruncationMarker, MemoryContextTail);
    }

    /// <summary>The first <paramref name="head"/> and last <paramref name="tail"/> characters joined by <paramref name="marker"/>, never splitting a surrogate pair.</summary>
    private static string HeadAndTail(string text, int head, string marker, int tail)
    {
        var headEnd = head;
        if (headEnd > 0 && headEnd < text.Length && char.IsHighSurrogate(text[headEnd - 1]) && char.IsLowSurrogate(text[headEnd]))
        {
            headEnd--;
        }

        var tailStart = text.Length - tail;
        if (tailStart > 0 && tailStart < text.Length && char.IsLowSurrogate(text[tailStart]) && char.IsHighSurrogate(text[tailStart - 1]))
        {
            tailStart++;
        }

        return string.Concat(text.Substring(0, headEnd), marker, text.Substring(tailStart));
    }

    private static string Whole(Match match) => Placeholder;

    private static string KeepFirstGroup(Match match) => match.Groups[1].Value + Placeholder;

    private static string KeepFirstGroupThenAt(Match match) => match.Groups[1].Value + Placeholder + "@";

    /// <summary>The key and operator stay; a quoted value keeps its quotes so JSON and YAML stay well formed.</summary>
    private static string KeepQuotes(Match match)
    {
        var value = match.Groups[2].Value;
        var quote = value.Length >= 2 && (value[0] == '"' || value[0] == '\'') ? value[0].ToString() : string.Empty;
        return match.Groups[1].Value + quote + Placeholder + quote;
    }

    /// <summary>
    /// Replaces assignment values in one linear pass. A "value" that is itself the next key (<c>token= "token": "x"</c>,
    /// <c>token: api_key: x</c>) is left alone and matching resumes at it, so the real value behind it is found.
    /// </summary>
    private static string ReplaceAssignments(string text)
    {
        var match = Assignment.Match(text);
        if (!match.Success)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (match.Success)
        {
            var value = match.Groups[2];
            var quoted = text[value.Index] == '"' || text[value.Index] == '\'';
            var end = value.Index + value.Length;
            if (NextNonBlank(text, end) == ':' && (quoted || !IsPlaceholder(value)))
            {
                // The "value" may be the next key (token= "token": "x", token: api_key: x): resume matching at it.
                var window = Math.Min(text.Length - value.Index, 512);
                var next = Assignment.Match(text, value.Index, window);
                if (next.Success && next.Index <= value.Index + 1)
                {
                    match = Assignment.Match(text, next.Index);
                    continue;
                }
            }

            if (!quoted)
            {
                // An unquoted value stops at '=' so that keys never hide inside it; a value with '=' in it
                // (base64 padding, key=value pairs) is redacted to the end of its word.
                while (end < text.Length && text[end] == '=')
                {
                    while (end < text.Length && text[end] == '=')
                    {
                        end++;
                    }

                    while (end < text.Length && IsValueChar(text[end]))
                    {
                        end++;
                    }
                }
            }

            builder.Append(text, position, match.Index - position).Append(KeepQuotes(match));
            position = end;
            match = Assignment.Match(text, position);
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }

    private static bool IsPlaceholder(Group value) => string.Equals(value.Value, Placeholder, StringComparison.Ordinal);

    private static bool IsValueChar(char c) =>
        !char.IsWhiteSpace(c) && c != '"' && c != '\'' && c != ',' && c != ';' && c != '&' && c != '<' && c != '>'
        && c != '(' && c != ')' && c != '{' && c != '}' && c != '[' && c != ']' && c != '=' && c != ':';

    private static char NextNonBlank(string text, int from)
    {
        while (from < text.Length && (text[from] == ' ' || text[from] == '\t'))
        {
            from++;
        }

        return from < text.Length ? text[from] : '\0';
    }

    private static Regex Rule(string pattern, bool ignoreCase = false) =>
        new(pattern, Engine | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), MatchTimeout);

    /// <summary>
    /// The fallback when a pattern timed out: a single linear pass that replaces every word that could hold a secret
    /// (16 characters or more, or 8 or more with <c>=</c>, <c>:</c> or <c>@</c> in it) and the word after a
    /// <c>Bearer</c> or a key-like word ending in <c>=</c> or <c>:</c>.
    /// </summary>
    private static string RedactConservatively(string text)
    {
        var builder = new StringBuilder(text.Length);
        var redactNext = false;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                builder.Append(text[i]);
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var word = text.Substring(start, i - start);
            var risky = word.Length >= 16
                || (word.Length >= 8 && word.IndexOfAny(AssignmentChars) >= 0);
            if (risky || redactNext)
            {
                builder.Append(Placeholder);
            }
            else
            {
                builder.Append(word);
            }

            redactNext = !risky && (string.Equals(word, "bearer", StringComparison.OrdinalIgnoreCase) || word[word.Length - 1] == '=' || word[word.Length - 1] == ':');
        }

        return builder.ToString();
    }
}
