using System.Collections.Generic;
using System.Text;
using CompactMemory.Generators.Helpers;

namespace CompactMemory.Generators.Tools;

/// <summary>Writes compact JSON text (the generator cannot use System.Text.Json: it must run on any Roslyn host).</summary>
internal sealed class JsonBuilder
{
    private readonly StringBuilder _text = new();

    // One flag per open object or array: whether the next value needs a separating comma.
    private readonly Stack<bool> _needsComma = new();
    private bool _afterName;

    public JsonBuilder StartObject()
    {
        BeforeValue();
        _text.Append('{');
        _needsComma.Push(false);
        return this;
    }

    public JsonBuilder EndObject()
    {
        _needsComma.Pop();
        _text.Append('}');
        return this;
    }

    public JsonBuilder StartArray()
    {
        BeforeValue();
        _text.Append('[');
        _needsComma.Push(false);
        return this;
    }

    public JsonBuilder EndArray()
    {
        _needsComma.Pop();
        _text.Append(']');
        return this;
    }

    public JsonBuilder Name(string name)
    {
        BeforeValue();
        _text.Append(JsonText.String(name)).Append(':');
        _afterName = true;
        return this;
    }

    public JsonBuilder String(string value)
    {
        BeforeValue();
        _text.Append(JsonText.String(value));
        return this;
    }

    public JsonBuilder Bool(bool value) => Raw(value ? "true" : "false");

    public JsonBuilder Null() => Raw("null");

    /// <summary>A value that is already JSON text (a default value).</summary>
    public JsonBuilder Raw(string json)
    {
        BeforeValue();
        _text.Append(json);
        return this;
    }

    public override string ToString() => _text.ToString();

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_needsComma.Count > 0)
        {
            if (_needsComma.Pop())
            {
                _text.Append(',');
            }

            _needsComma.Push(true);
        }
    }
}
