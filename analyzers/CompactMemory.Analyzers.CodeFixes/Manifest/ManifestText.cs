using System;
using System.Collections.Generic;
using System.Linq;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Analyzers.CodeFixes.Manifest;

/// <summary>
/// Minimal, textual edits of <c>engine_package.yaml</c>: the value of one top-level key line is replaced, or one
/// <c>key: value</c> line is inserted, and every other line, comment and blank is kept. Positions come from the shared
/// <see cref="EngineManifestReader"/>; every edit is read back with it and dropped (null) unless the field then reads
/// as intended, so a fix never writes a manifest the loader would misread.
/// </summary>
internal static class ManifestText
{
    private static readonly char[] FlowOpeners = { '[', '{', '"', '\'' };

    /// <summary>The project's engine_package.yaml among its additional documents, or null.</summary>
    public static TextDocument? Find(Project project) =>
        project.AdditionalDocuments
            .Where(d => string.Equals(System.IO.Path.GetFileName(d.FilePath ?? d.Name), ManifestSchema.FileName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => d.FilePath ?? d.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Whether a text document is the manifest.</summary>
    public static bool IsManifest(TextDocument document) =>
        string.Equals(System.IO.Path.GetFileName(document.FilePath ?? document.Name), ManifestSchema.FileName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads manifest text with the shared reader.</summary>
    public static ManifestReadResult Read(SourceText text) =>
        text.Length > ManifestSchema.MaxBytes
            ? new ManifestReadResult(new EngineManifest(), new[] { EngineManifestReader.TooLarge(text.Length) })
            : EngineManifestReader.Read(text.ToString());

    /// <summary>
    /// Sets a string field: replaces its value in place when the key is there, else inserts the line in schema order.
    /// The value keeps the field's quoting style where YAML reads it back unchanged; versions are always quoted.
    /// </summary>
    public static SourceText? SetString(SourceText text, string field, string value)
    {
        var quoted = EngineManifestWriter.Quote(value);
        var candidates = new List<string>();
        var style = ValueStyle(text, field);
        if (field != ManifestSchema.Version && field != ManifestSchema.PackageFormatVersion)
        {
            if (style == '\'')
            {
                candidates.Add("'" + value.Replace("'", "''") + "'");
            }
            else if (style != '"')
            {
                candidates.Add(value);
            }
        }

        candidates.Add(quoted);
        foreach (var candidate in candidates)
        {
            var changed = SetRaw(text, field, candidate);
            if (changed is not null && ReadsAs(changed, field, value))
            {
                return changed;
            }
        }

        return null;
    }

    /// <summary>Sets <c>authors</c> to a block list of the names, in place or inserted in schema order.</summary>
    public static SourceText? SetAuthors(SourceText text, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return null;
        }

        var newLine = NewLine(text);
        var changed = FindKey(text, ManifestSchema.Authors) is { } key
            ? ReplaceBlock(text, key, string.Concat(names.Select(n => "  - " + EngineManifestWriter.Quote(n) + newLine)))
            : Insert(text, ManifestSchema.Authors, ManifestSchema.Authors + ":" + newLine + string.Concat(names.Select(n => "  - " + EngineManifestWriter.Quote(n) + newLine)));
        if (changed is null)
        {
            return null;
        }

        var authors = Read(changed).Manifest.Authors;
        return authors is not null && authors.Select(a => a.ToString()).SequenceEqual(names, StringComparer.Ordinal) ? changed : null;
    }

    /// <summary>The scalar written on the field's key line, as text (quotes included), or null when there is none.</summary>
    public static string? RawValue(SourceText text, string field) =>
        FindKey(text, field) is { } key && ValueSpan(text, key) is { } span && span.Length > 0 ? text.ToString(span) : null;

    /// <summary>Whether the field reads back as the string value, without a problem.</summary>
    public static bool ReadsAs(SourceText text, string field, string value)
    {
        var result = Read(text);
        if (result.Problems.Any(p => p.Field == field && p.Severity == ManifestSeverity.Error && p.Kind != ManifestProblemKind.NamingConvention))
        {
            return false;
        }

        var manifest = result.Manifest;
        var read = field switch
        {
            ManifestSchema.PackageFormatVersion => manifest.PackageFormatVersion,
            ManifestSchema.EngineId => manifest.EngineId,
            ManifestSchema.EngineClassName => manifest.EngineClassName,
            ManifestSchema.EngineModule => manifest.EngineModule,
            ManifestSchema.DisplayName => manifest.DisplayName,
            ManifestSchema.Version => manifest.Version,
            ManifestSchema.Description => manifest.Description,
            _ => null,
        };
        return string.Equals(read, value, StringComparison.Ordinal);
    }

    private static SourceText? SetRaw(SourceText text, string field, string raw)
    {
        if (FindKey(text, field) is not { } key)
        {
            return Insert(text, field, field + ": " + raw + NewLine(text));
        }

        if (ValueSpan(text, key) is not { } span)
        {
            return null;
        }

        if (span.Length > 0)
        {
            return text.Replace(span, raw);
        }

        // No value on the key line (empty, or a block on the lines below): the value goes right after the colon.
        return ReplaceBlock(text, key, null) is { } cleared && FindKey(cleared, field) is { } clearedKey
            ? cleared.Replace(new TextSpan(clearedKey.Colon + 1, 0), " " + raw)
            : null;
    }

    /// <summary>A top-level key line: the line, and the position of the colon after the key.</summary>
    private readonly struct KeyLine
    {
        public KeyLine(int line, int colon)
        {
            Line = line;
            Colon = colon;
        }

        public int Line { get; }

        public int Colon { get; }
    }

    /// <summary>The first line that starts (at column 1, a top-level key) with <c>field:</c>.</summary>
    private static KeyLine? FindKey(SourceText text, string field)
    {
        foreach (var line in text.Lines)
        {
            if (line.End - line.Start < field.Length + 1 || !string.Equals(text.ToString(new TextSpan(line.Start, field.Length)), field, StringComparison.Ordinal))
            {
                continue;
            }

            var at = line.Start + field.Length;
            while (at < line.End && text[at] == ' ')
            {
                at++;
            }

            if (at < line.End && text[at] == ':' && (at + 1 == line.End || text[at + 1] == ' ' || text[at + 1] == '\t'))
            {
                return new KeyLine(line.LineNumber, at);
            }
        }

        return null;
    }

    /// <summary>
    /// The span of the scalar on the key line after the colon: a quoted scalar to its closing quote, a plain one to a
    /// comment or the line's end. Empty when the line holds no value; null when the value is not a one-line scalar.
    /// </summary>
    private static TextSpan? ValueSpan(SourceText text, KeyLine key)
    {
        var line = text.Lines[key.Line];
        var start = key.Colon + 1;
        while (start < line.End && (text[start] == ' ' || text[start] == '\t'))
        {
            start++;
        }

        if (start == line.End || text[start] == '#')
        {
            return new TextSpan(start, 0);
        }

        var first = text[start];
        if (first == '"' || first == '\'')
        {
            for (var i = start + 1; i < line.End; i++)
            {
                if (first == '"' && text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == first)
                {
                    if (first == '\'' && i + 1 < line.End && text[i + 1] == '\'')
                    {
                        i++;
                        continue;
                    }

                    return TextSpan.FromBounds(start, i + 1);
                }
            }

            return null;
        }

        if (first == '[' || first == '{')
        {
            // A flow collection closed on its line (authors: []); nested or multi-line ones are not rewritten.
            var close = text.ToString(TextSpan.FromBounds(start, line.End)).IndexOf(first == '[' ? ']' : '}');
            var inner = close < 0 ? null : text.ToString(new TextSpan(start + 1, close - 1));
            return inner is null || inner.IndexOfAny(FlowOpeners) >= 0 ? null : new TextSpan(start, close + 1);
        }

        if (first == '|' || first == '>' || first == '&' || first == '*' || first == '!')
        {
            // Block scalars, flow collections, anchors, aliases and tags are not rewritten in place.
            return null;
        }

        var end = line.End;
        for (var i = start + 1; i < line.End; i++)
        {
            if (text[i] == '#' && (text[i - 1] == ' ' || text[i - 1] == '\t'))
            {
                end = i;
                break;
            }
        }

        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        {
            end--;
        }

        // A plain scalar continued on the next, indented line is not a one-line value.
        return ContinuationEnd(text, key) > line.EndIncludingLineBreak ? null : TextSpan.FromBounds(start, end);
    }

    /// <summary>The end of the lines that belong to the key's value below it (indented lines, or '- ' items).</summary>
    private static int ContinuationEnd(SourceText text, KeyLine key)
    {
        var end = text.Lines[key.Line].EndIncludingLineBreak;
        for (var i = key.Line + 1; i < text.Lines.Count; i++)
        {
            var line = text.Lines[i];
            var content = text.ToString(line.Span);
            var trimmed = content.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            if (content[0] == ' ' || content[0] == '\t' || content[0] == '-')
            {
                end = line.EndIncludingLineBreak;
                continue;
            }

            break;
        }

        return end;
    }

    /// <summary>Replaces the lines of the key's value below it (and a one-line value after the colon) with the block.</summary>
    private static SourceText? ReplaceBlock(SourceText text, KeyLine key, string? block)
    {
        var line = text.Lines[key.Line];
        var below = TextSpan.FromBounds(line.EndIncludingLineBreak, ContinuationEnd(text, key));
        var changes = new List<TextChange>();
        if (block is not null)
        {
            // The key line keeps its comment; a scalar after the colon (authors: Jane) gives way to the block.
            var inline = ValueSpan(text, key);
            if (inline is null)
            {
                return null;
            }

            if (inline.Value.Length > 0)
            {
                changes.Add(new TextChange(TextSpan.FromBounds(key.Colon + 1, inline.Value.End), string.Empty));
            }

            if (line.EndIncludingLineBreak == line.End)
            {
                block = NewLine(text) + block;
            }
        }

        changes.Add(new TextChange(below, block ?? string.Empty));
        return text.WithChanges(changes);
    }

    /// <summary>Inserts a field's line(s) after the nearest schema field before it that the file has, else before the nearest after it, else at the end.</summary>
    private static SourceText Insert(SourceText text, string field, string lines)
    {
        var order = ManifestSchema.RequiredFields.Concat(ManifestSchema.OptionalFields).ToList();
        var index = order.IndexOf(field);
        for (var i = index - 1; i >= 0; i--)
        {
            if (FindKey(text, order[i]) is { } previous)
            {
                var at = ContinuationEnd(text, previous);
                var prefix = at == text.Length && at > 0 && text[at - 1] != '\n' ? NewLine(text) : string.Empty;
                return text.Replace(new TextSpan(at, 0), prefix + lines);
            }
        }

        for (var i = index + 1; i < order.Count; i++)
        {
            if (FindKey(text, order[i]) is { } next)
            {
                return text.Replace(new TextSpan(text.Lines[next.Line].Start, 0), lines);
            }
        }

        var end = text.Length;
        var separator = end > 0 && text[end - 1] != '\n' ? NewLine(text) : string.Empty;
        return text.Replace(new TextSpan(end, 0), separator + lines);
    }

    /// <summary>The quote the field's value is written with ('"', '\'') or '\0' for plain or none.</summary>
    private static char ValueStyle(SourceText text, string field) =>
        FindKey(text, field) is { } key && ValueSpan(text, key) is { Length: > 0 } span && (text[span.Start] == '"' || text[span.Start] == '\'') ? text[span.Start] : '\0';

    /// <summary>The file's line break: CRLF when it uses CRLF, else LF.</summary>
    private static string NewLine(SourceText text) => text.ToString().IndexOf("\r\n", StringComparison.Ordinal) >= 0 ? "\r\n" : "\n";
}
