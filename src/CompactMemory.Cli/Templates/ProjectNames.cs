using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CompactMemory.Text;

namespace CompactMemory.Cli.Templates;

/// <summary>
/// What an engine project may be called: the name is the project, assembly, root namespace and package id at once,
/// so it must be a valid C# namespace and NuGet package id: dot-separated parts of ASCII letters, digits and '_',
/// each starting with a letter or '_', none a C# keyword, the last holding a letter or digit (it becomes the engine id).
/// </summary>
internal static class ProjectNames
{
    /// <summary>The longest package id NuGet accepts.</summary>
    public const int MaxLength = 100;

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Why a name cannot be used, with the fix; <see langword="null"/> when it can.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Problem(string name)
    {
        var quoted = "'" + PrintableText.Of(name) + "'";
        if (name.Length == 0)
        {
            return "the name is empty; give the project a name such as 'Acme.Summarizer'.";
        }

        if (name.Length > MaxLength)
        {
            return $"the name is {name.Length} characters long; a package id has at most {MaxLength}.";
        }

        var problem = Segments(name) switch
        {
            null => "it has an empty part (a leading, trailing or doubled '.')",
            var parts when parts.FirstOrDefault(p => !IsIdentifier(p)) is { } bad =>
                $"the part '{PrintableText.Of(bad)}' is not a C# identifier (ASCII letters, digits and '_', not starting with a digit)",
            var parts when parts.FirstOrDefault(Keywords.Contains) is { } keyword =>
                $"the part '{keyword}' is a C# keyword",
            var parts when !parts[^1].Any(char.IsAsciiLetterOrDigit) =>
                $"its last part '{PrintableText.Of(parts[^1])}' has no letter or digit to make the engine id from",
            _ => null,
        };
        if (problem is null)
        {
            return null;
        }

        var suggestion = Suggest(name);
        return $"{quoted} is not a valid project name: {problem}. The name is the project, namespace and package id; "
            + (suggestion is not null && suggestion != name ? $"use '{suggestion}'." : "use dot-separated parts such as 'Acme.Summarizer'.");
    }

    /// <summary>A valid spelling of a name (<c>my-engine</c> becomes <c>MyEngine</c>), or <see langword="null"/> when none is obvious.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The suggestion, or <see langword="null"/>.</returns>
    public static string? Suggest(string name)
    {
        var parts = new List<string>();
        foreach (var segment in name.Split('.'))
        {
            var builder = new StringBuilder();
            var upperNext = true;
            foreach (var c in segment)
            {
                if (char.IsAsciiLetterOrDigit(c) || c == '_')
                {
                    builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
                    upperNext = false;
                }
                else
                {
                    upperNext = true;
                }
            }

            if (builder.Length == 0)
            {
                continue;
            }

            if (char.IsAsciiDigit(builder[0]))
            {
                builder.Insert(0, "Engine");
            }

            parts.Add(builder.ToString());
        }

        var suggestion = string.Join('.', parts);
        return suggestion.Length > 0 && suggestion.Length <= MaxLength && Segments(suggestion) is { } valid
            && valid.All(p => IsIdentifier(p) && !Keywords.Contains(p)) && valid[^1].Any(char.IsAsciiLetterOrDigit)
            ? suggestion
            : null;
    }

    private static string[]? Segments(string name)
    {
        var parts = name.Split('.');
        return parts.Any(p => p.Length == 0) ? null : parts;
    }

    private static bool IsIdentifier(string part) =>
        part.Length > 0
        && (char.IsAsciiLetter(part[0]) || part[0] == '_')
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
