using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CompactMemory.Cli.Input;

/// <summary>
/// A <c>--pattern</c>: a glob matched against a file's path relative to <c>--dir</c>, one path component at a time,
/// never touching the file system (so no pattern can name a path outside <c>--dir</c>). <c>*</c> is any run of
/// characters within one component, <c>?</c> one character, <c>[abc]</c>/<c>[a-z]</c>/<c>[!abc]</c> one character of
/// (or not of) a set, and a whole <c>**</c> component any number of directories. With <c>--recursive</c> the pattern
/// may match at any depth (as <c>**/</c> + pattern); without it, it matches from <c>--dir</c> down and <c>**/</c>
/// matches no directory. Names compare by ordinal (ignoring case on Windows).
/// </summary>
internal sealed class GlobPattern
{
    private const string Globstar = "**";

    private readonly Segment[] _segments;

    private GlobPattern(string text, Segment[] segments, bool recursive, bool hasGlobstar)
    {
        Text = text;
        _segments = segments;
        Recursive = recursive;
        HasGlobstar = hasGlobstar;
    }

    /// <summary>The pattern as given.</summary>
    public string Text { get; }

    /// <summary>Whether subdirectories are searched at any depth.</summary>
    public bool Recursive { get; }

    /// <summary>Whether the pattern has a <c>**</c> component (which without <c>--recursive</c> matches no directory).</summary>
    public bool HasGlobstar { get; }

    /// <summary>
    /// Checks and compiles a pattern. Returns null with <paramref name="error"/> (the text after
    /// <c>Invalid value for '--pattern': </c>) for a pattern that is empty, absolute, climbs out with <c>..</c>, or
    /// names a directory rather than files; never throws.
    /// </summary>
    public static GlobPattern? Parse(string text, bool recursive, out string? error)
    {
        error = null;
        if (text.Length == 0)
        {
            error = "the pattern is empty; give a file pattern such as '*.txt'.";
            return null;
        }

        if (IsRooted(text))
        {
            error = $"'{text}' is an absolute path, but a pattern is matched inside --dir.{AbsoluteHint(text)}";
            return null;
        }

        var parts = text.Split(Separators);
        if (parts.Any(part => part == ".."))
        {
            error = $"'{text}' contains '..', which leads out of --dir; a pattern only selects files inside --dir. Pass the directory you mean as --dir instead.";
            return null;
        }

        if (parts[^1].Length == 0)
        {
            error = $"'{text}' ends with '{text[^1]}', so it names directories, not files; add the file part (for example '{text}*.txt').";
            return null;
        }

        var components = parts.Where(part => part.Length > 0 && part != ".").ToList();
        if (components.Count == 0)
        {
            error = $"'{text}' names --dir itself, not files in it; give a file pattern such as '*.txt'.";
            return null;
        }

        var hasGlobstar = components.Contains(Globstar);
        if (recursive)
        {
            // As rglob: the pattern may start at any depth.
            if (components[0] != Globstar)
            {
                components.Insert(0, Globstar);
            }
        }
        else
        {
            // Without --recursive a '**/' matches no directory, and a final '**' is any file name.
            components = components.Where((part, index) => part != Globstar || index == components.Count - 1).ToList();
            if (components[^1] == Globstar)
            {
                components[^1] = "*";
            }
        }

        // Consecutive '**' components mean the same as one.
        var segments = new List<Segment>();
        foreach (var component in components)
        {
            if (component == Globstar && segments.Count > 0 && segments[^1].IsGlobstar)
            {
                continue;
            }

            segments.Add(component == Globstar ? Segment.AnyDirectories : Segment.Compile(component));
        }

        return new GlobPattern(text, [.. segments], recursive, hasGlobstar);
    }

    /// <summary>Whether the file at <paramref name="relative"/> (components below --dir, its name last) matches.</summary>
    public bool Matches(IReadOnlyList<string> relative)
    {
        // The wildcard algorithm, one level up: '**' is the star, each other segment matches one component.
        return Wildcard.Matches(_segments, relative, static segment => segment.IsGlobstar, static (segment, component) => segment.Matches(component));
    }

    /// <summary>
    /// Whether a directory named <paramref name="name"/> at <paramref name="depth"/> (0: directly in --dir) can hold
    /// matching files: always with --recursive; otherwise only if the pattern has a component for it that matches.
    /// </summary>
    public bool MayDescend(int depth, string name) =>
        Recursive || (depth < _segments.Length - 1 && _segments[depth].Matches(name));

    private static readonly char[] Separators = Path.DirectorySeparatorChar == Path.AltDirectorySeparatorChar
        ? [Path.DirectorySeparatorChar]
        : [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    private static bool IsRooted(string text) =>
        Path.IsPathRooted(text) || text.IndexOfAny(Separators) == 0;

    /// <summary>For '/etc/*.conf': the same files as --dir '/etc' --pattern '*.conf'.</summary>
    private static string AbsoluteHint(string text)
    {
        var last = text.LastIndexOfAny(Separators);
        if (last < 0 || last == text.Length - 1)
        {
            return " Pass the directory as --dir and a relative pattern as --pattern.";
        }

        var directory = last == 0 ? text[..1] : text[..last];
        var file = text[(last + 1)..];
        return directory.IndexOfAny(['*', '?', '[']) >= 0
            ? " Pass the directory as --dir and a relative pattern as --pattern."
            : $" Pass the directory as --dir and a relative pattern as --pattern: --dir '{directory}' --pattern '{file}'.";
    }

    /// <summary>One component of the pattern: <c>**</c>, or a compiled glob for one name.</summary>
    private sealed class Segment
    {
        public static readonly Segment AnyDirectories = new([], isGlobstar: true);

        private static readonly bool IgnoreCase = OperatingSystem.IsWindows();

        private readonly Token[] _tokens;

        private Segment(Token[] tokens, bool isGlobstar)
        {
            _tokens = tokens;
            IsGlobstar = isGlobstar;
        }

        public bool IsGlobstar { get; }

        public static Segment Compile(string component)
        {
            var tokens = new List<Token>();
            for (var i = 0; i < component.Length; i++)
            {
                var c = component[i];
                if (c == '*')
                {
                    if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.Star)
                    {
                        tokens.Add(new Token(TokenKind.Star, default, null, false));
                    }
                }
                else if (c == '?')
                {
                    tokens.Add(new Token(TokenKind.Any, default, null, false));
                }
                else if (c == '[' && TryClass(component, i, out var ranges, out var negated, out var end))
                {
                    tokens.Add(new Token(TokenKind.Class, default, ranges, negated));
                    i = end;
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Literal, c, null, false));
                }
            }

            return new Segment([.. tokens], isGlobstar: false);
        }

        /// <summary>The wildcard algorithm: backtrack to the last star only, so matching takes at most length × length steps.</summary>
        public bool Matches(string name)
        {
            return Wildcard.Matches(_tokens, name.AsSpan(), static token => token.Kind == TokenKind.Star, static (token, c) => token.Matches(c));
        }

        /// <summary>
        /// A set as fnmatch reads it: '[', an optional '!', a ']' first is a member, ranges 'a-z', up to the next ']'.
        /// Without a closing ']' the '[' is an ordinary character.
        /// </summary>
        private static bool TryClass(string component, int start, out (char Low, char High)[] ranges, out bool negated, out int end)
        {
            var i = start + 1;
            negated = i < component.Length && component[i] == '!';
            if (negated)
            {
                i++;
            }

            var members = new List<(char, char)>();
            var first = true;
            for (; i < component.Length; i++)
            {
                var c = component[i];
                if (c == ']' && !first)
                {
                    ranges = [.. members];
                    end = i;
                    return true;
                }

                first = false;
                if (i + 2 < component.Length && component[i + 1] == '-' && component[i + 2] != ']')
                {
                    members.Add((c, component[i + 2]));
                    i += 2;
                }
                else
                {
                    members.Add((c, c));
                }
            }

            ranges = [];
            end = start;
            return false;
        }

        private enum TokenKind
        {
            Literal,
            Any,
            Star,
            Class,
        }

        private readonly record struct Token(TokenKind Kind, char Literal, (char Low, char High)[]? Ranges, bool Negated)
        {
            public bool Matches(char c) => Kind switch
            {
                TokenKind.Any => true,
                TokenKind.Literal => IgnoreCase ? char.ToUpperInvariant(c) == char.ToUpperInvariant(Literal) : c == Literal,
                TokenKind.Class => InClass(c) != Negated,
                _ => false,
            };

            private bool InClass(char c)
            {
                foreach (var (low, high) in Ranges!)
                {
                    if ((c >= low && c <= high) || (IgnoreCase && char.ToUpperInvariant(c) >= char.ToUpperInvariant(low) && char.ToUpperInvariant(c) <= char.ToUpperInvariant(high)))
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}

/// <summary>
/// The wildcard algorithm, for characters within a name and for components within a path alike: backtrack to the last
/// star only, so matching takes at most pattern length × input length steps, whatever the pattern.
/// </summary>
internal static class Wildcard
{
    /// <summary>Whether <paramref name="input"/> matches <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The pattern's elements.</param>
    /// <param name="input">The elements to match.</param>
    /// <param name="isStar">Whether an element of the pattern matches any run of input elements (even none).</param>
    /// <param name="matches">Whether a non-star element matches one input element.</param>
    /// <returns>Whether the whole input matches the whole pattern.</returns>
    public static bool Matches<TPattern, TInput>(ReadOnlySpan<TPattern> pattern, ReadOnlySpan<TInput> input, Func<TPattern, bool> isStar, Func<TPattern, TInput, bool> matches)
    {
        int p = 0, s = 0, starP = -1, starS = -1;
        while (s < input.Length)
        {
            if (p < pattern.Length && !isStar(pattern[p]) && matches(pattern[p], input[s]))
            {
                p++;
                s++;
            }
            else if (p < pattern.Length && isStar(pattern[p]))
            {
                starP = p++;
                starS = s;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                s = ++starS;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && isStar(pattern[p]))
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <inheritdoc cref="Matches{TPattern, TInput}(ReadOnlySpan{TPattern}, ReadOnlySpan{TInput}, Func{TPattern, bool}, Func{TPattern, TInput, bool})"/>
    public static bool Matches<TPattern, TInput>(TPattern[] pattern, IReadOnlyList<TInput> input, Func<TPattern, bool> isStar, Func<TPattern, TInput, bool> matches)
    {
        var items = input as TInput[] ?? [.. input];
        return Matches<TPattern, TInput>(pattern, items.AsSpan(), isStar, matches);
    }
}
