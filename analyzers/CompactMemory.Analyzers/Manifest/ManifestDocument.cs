using System;
using System.Runtime.CompilerServices;
using System.Threading;
using CompactMemory.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CompactMemory.Analyzers.Manifest;

/// <summary>
/// A project's <c>engine_package.yaml</c> read with the shared <see cref="EngineManifestReader"/>, plus what it takes to
/// point a diagnostic at one of its lines. Reads are cached per text, so several rules share one parse.
/// </summary>
internal sealed class ManifestDocument
{
    private static readonly ConditionalWeakTable<SourceText, ManifestReadResult> Cache = new();

    private ManifestDocument(string path, SourceText text, ManifestReadResult result)
    {
        Path = path;
        Text = text;
        Result = result;
    }

    public string Path { get; }

    public SourceText Text { get; }

    public ManifestReadResult Result { get; }

    public EngineManifest Manifest => Result.Manifest;

    public static bool IsManifest(AdditionalText text) =>
        string.Equals(System.IO.Path.GetFileName(text.Path), ManifestSchema.FileName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The project's manifest among the additional files, or null when it has none (the generator then writes it).</summary>
    public static ManifestDocument? Find(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        foreach (var file in options.AdditionalFiles)
        {
            if (IsManifest(file))
            {
                return Read(file, cancellationToken);
            }
        }

        return null;
    }

    public static ManifestDocument? Read(AdditionalText file, CancellationToken cancellationToken)
    {
        if (!IsManifest(file) || file.GetText(cancellationToken) is not { } text)
        {
            return null;
        }

        var result = Cache.GetValue(text, static t => ReadBounded(t));
        return new ManifestDocument(file.Path, text, result);
    }

    /// <summary>The location of a field's value (its line, from the value to the line's end), else the file's first line.</summary>
    public Location FieldLocation(string field) =>
        Manifest.Locations.TryGetValue(field, out var at) ? At(at.Line, at.Column) : At(0, 0);

    /// <summary>A 1-based line and column as a location in the YAML file, spanning to the end of the line; 0 means the first line.</summary>
    public Location At(int line, int column)
    {
        var lines = Text.Lines;
        if (lines.Count == 0)
        {
            return Location.Create(Path, new TextSpan(0, 0), new LinePositionSpan(LinePosition.Zero, LinePosition.Zero));
        }

        var lineIndex = line <= 0 ? 0 : Math.Min(line - 1, lines.Count - 1);
        var textLine = lines[lineIndex];
        var start = line <= 0 ? textLine.Start : Math.Min(textLine.Start + Math.Max(column - 1, 0), textLine.End);
        var end = textLine.End;
        while (end > start && char.IsWhiteSpace(Text[end - 1]))
        {
            end--;
        }

        var span = TextSpan.FromBounds(start, end);
        return Location.Create(Path, span, Text.Lines.GetLinePositionSpan(span));
    }

    /// <summary>Oversized text is never materialised as a string: it is reported as too large straight away.</summary>
    private static ManifestReadResult ReadBounded(SourceText text) =>
        text.Length > ManifestSchema.MaxBytes
            ? new ManifestReadResult(new EngineManifest(), new[] { EngineManifestReader.TooLarge(text.Length) })
            : EngineManifestReader.Read(text.ToString());
}
