using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CompactMemory.Cli.Output;

/// <summary>A plain-text table with aligned columns: readable in any terminal, stable in logs and tests.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells.Select(Flatten).ToArray());
    }

    public void WriteTo(TextWriter writer, string? title = null)
    {
        var widths = _headers.Select((header, i) => Math.Max(header.Length, _rows.Count == 0 ? 0 : _rows.Max(row => row[i].Length))).ToArray();
        if (title is not null)
        {
            writer.WriteLine(title);
        }

        WriteLine(writer, _headers, widths);
        writer.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in _rows)
        {
            WriteLine(writer, row, widths);
        }
    }

    private static void WriteLine(TextWriter writer, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]));
        }

        writer.WriteLine(line.ToString().TrimEnd());
    }

    /// <summary>Cells are one line each: line breaks in messages become spaces.</summary>
    private static string Flatten(string cell) => cell.ReplaceLineEndings(" ");
}
