using System;
using System.Text;

namespace CompactMemory.Generators.Helpers;

/// <summary>Writes C# text with indentation; emitting text is faster and clearer than building syntax trees.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
            _builder.Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    public SourceWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent = Math.Max(0, _indent - 1);
        return Line("}" + suffix);
    }

    public SourceWriter Indent()
    {
        _indent++;
        return this;
    }

    public SourceWriter Unindent()
    {
        _indent = Math.Max(0, _indent - 1);
        return this;
    }

    public override string ToString() => _builder.ToString();
}
