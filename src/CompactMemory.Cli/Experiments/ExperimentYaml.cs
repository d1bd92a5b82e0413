using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CompactMemory.Cli.Experiments;

/// <summary>
/// A small YAML tree with line numbers, built from parser events under hard limits, the way the SDK reads
/// <c>engine_package.yaml</c>: nesting depth, the number of nodes and the number of characters of text, where an
/// alias counts every node and every character it stands for and a tag counts as the text it expands to. Aliases are
/// shared, never copied, so memory stays bounded even for an alias bomb, and the limits stop it long before anything
/// could expand it. Parsing never throws.
/// </summary>
internal static class ExperimentYaml
{
    /// <summary>The deepest nesting of mappings and lists accepted (an experiment needs three levels).</summary>
    public const int MaxDepth = 32;

    /// <summary>The most YAML nodes accepted, counting every node an alias expands to.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>The most characters of text (values, keys, tags) accepted, counting an alias's text each time it is used.</summary>
    public const int MaxCharacters = ExperimentReader.MaxFileBytes;

    internal abstract class Node(Mark start)
    {
        /// <summary>The 1-based line the node starts on.</summary>
        public int Line { get; } = (int)Math.Clamp(start.Line, 1, int.MaxValue);
    }

    internal enum ScalarKind
    {
        Null,
        Boolean,
        Integer,
        Float,
        String,
    }

    internal sealed class Scalar(YamlDotNet.Core.Events.Scalar scalar) : Node(scalar.Start)
    {
        public string Value { get; } = scalar.Value;

        public ScalarKind Kind { get; } = Resolve(scalar);
    }

    internal sealed class Sequence(Mark start) : Node(start)
    {
        public List<Node> Items { get; } = [];
    }

    internal sealed class Mapping(Mark start) : Node(start)
    {
        public List<KeyValuePair<Node, Node>> Entries { get; } = [];
    }

    /// <summary>A parse that failed: what is wrong and the 1-based line where it was found.</summary>
    internal sealed record Failure(string Message, int Line);

    /// <summary>What a node is, in words, for messages: "a list", "the number 1.5", "a boolean".</summary>
    public static string Describe(Node node) => node switch
    {
        Mapping => "a mapping",
        Sequence => "a list",
        Scalar { Kind: ScalarKind.Null } => "nothing (null)",
        Scalar { Kind: ScalarKind.Boolean } s => "the boolean " + ExperimentQuote.Of(s.Value),
        Scalar { Kind: ScalarKind.Integer or ScalarKind.Float } s => "the number " + ExperimentQuote.Of(s.Value),
        _ => "a string",
    };

    /// <summary>Parses one YAML document: its root (null for an empty document), or the failure that stopped it.</summary>
    public static Node? Parse(string text, out Failure? failure)
    {
        failure = null;
        var anchors = new Dictionary<string, (Node Node, long Nodes, long Characters)>(StringComparer.Ordinal);
        var stack = new Stack<(Node Node, string? Anchor, long NodesBefore, long CharactersBefore)>();
        var pendingKeys = new Stack<Node?>();
        Node? root = null;
        long nodes = 0;
        long characters = 0;
        var documents = 0;
        var lastGood = Mark.Empty;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                var current = parser.Current;
                if (current is not null)
                {
                    lastGood = current.End;
                }

                switch (current)
                {
                    case DocumentStart start:
                        if (++documents > 1)
                        {
                            failure = new Failure("the file holds more than one YAML document (a second '---'); keep one experiment per file", LineOf(start.Start));
                            return null;
                        }

                        break;
                    case YamlDotNet.Core.Events.Scalar scalar:
                        if (Add(new Scalar(scalar), scalar.Anchor, 1, scalar.Value.Length + TagLength(scalar.Tag)) is { } scalarLimit)
                        {
                            failure = new Failure(scalarLimit, LineOf(scalar.Start));
                            return null;
                        }

                        break;
                    case SequenceStart sequenceStart:
                        if (Open(new Sequence(sequenceStart.Start), sequenceStart.Anchor, TagLength(sequenceStart.Tag)) is { } sequenceLimit)
                        {
                            failure = new Failure(sequenceLimit, LineOf(sequenceStart.Start));
                            return null;
                        }

                        break;
                    case MappingStart mappingStart:
                        if (Open(new Mapping(mappingStart.Start), mappingStart.Anchor, TagLength(mappingStart.Tag)) is { } mappingLimit)
                        {
                            failure = new Failure(mappingLimit, LineOf(mappingStart.Start));
                            return null;
                        }

                        break;
                    case SequenceEnd:
                    case MappingEnd:
                        var frame = stack.Pop();
                        pendingKeys.Pop();
                        if (frame.Anchor is not null)
                        {
                            anchors[frame.Anchor] = (frame.Node, nodes - frame.NodesBefore, characters - frame.CharactersBefore);
                        }

                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            failure = new Failure("alias '*" + ExperimentQuote.Of(alias.Value.Value) + "' refers to no anchor defined before it; define '&" + ExperimentQuote.Of(alias.Value.Value) + "' first or write the value out", LineOf(alias.Start));
                            return null;
                        }

                        // The alias stands for every node and every character of its anchor: count them all.
                        if (Add(target.Node, AnchorName.Empty, target.Nodes, target.Characters) is { } aliasLimit)
                        {
                            failure = new Failure(aliasLimit + " (aliases count every time they are used); write the values out instead", LineOf(alias.Start));
                            return null;
                        }

                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            failure = new Failure(CleanMessage(ex), LineOf(ex.Start));
            return null;
        }
        catch (Exception)
        {
            // Whatever the parser trips over is invalid YAML, reported where the last well-formed part ended.
            failure = new Failure("the YAML cannot be parsed past this line; check the brackets, quotes and indentation (an unclosed '[' or '{' is a common cause)", LineOf(lastGood));
            return null;
        }

        return root;

        string? Open(Node node, AnchorName anchor, int tagged)
        {
            if (stack.Count >= MaxDepth)
            {
                return string.Create(CultureInfo.InvariantCulture, $"lists and mappings are nested more than {MaxDepth} levels deep; an experiment needs three");
            }

            var nodesBefore = nodes;
            var charactersBefore = characters;
            if (Add(node, AnchorName.Empty, 1, tagged) is { } limit)
            {
                return limit;
            }

            stack.Push((node, anchor.IsEmpty ? null : anchor.Value, nodesBefore, charactersBefore));
            pendingKeys.Push(null);
            return null;
        }

        string? Add(Node node, AnchorName anchor, long weight, long text)
        {
            nodes += weight;
            characters += text;
            if (nodes > MaxNodes)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the file has more than {MaxNodes:N0} YAML values");
            }

            if (characters > MaxCharacters)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the values add up to more than {MaxCharacters:N0} characters of text; put long texts in files (dataset: - file: data/x.txt)");
            }

            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = (node, 1, text);
            }

            if (stack.Count == 0)
            {
                root ??= node;
                return null;
            }

            switch (stack.Peek().Node)
            {
                case Sequence sequence:
                    sequence.Items.Add(node);
                    break;
                case Mapping mapping:
                    var key = pendingKeys.Pop();
                    if (key is null)
                    {
                        pendingKeys.Push(node);
                    }
                    else
                    {
                        mapping.Entries.Add(new KeyValuePair<Node, Node>(key, node));
                        pendingKeys.Push(null);
                    }

                    break;
            }

            return null;
        }
    }

    private static int LineOf(Mark mark) => (int)Math.Clamp(mark.Line, 1, int.MaxValue);

    private static int TagLength(TagName tag) => tag.IsEmpty ? 0 : tag.Value.Length;

    /// <summary>YamlDotNet prefixes messages with positions; problems give the line their own way.</summary>
    private static string CleanMessage(YamlException ex)
    {
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0)
        {
            message = message[(marker + 3)..];
        }

        return "invalid YAML: " + ExperimentQuote.Of(message.TrimEnd('.', ' '), 240);
    }

    /// <summary>Resolves a scalar's type as YAML loaders do (the core schema, plus YAML 1.1's yes/no/on/off as booleans).</summary>
    private static ScalarKind Resolve(YamlDotNet.Core.Events.Scalar scalar)
    {
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is not null && tag != "!")
        {
            return tag switch
            {
                "tag:yaml.org,2002:int" => ScalarKind.Integer,
                "tag:yaml.org,2002:float" => ScalarKind.Float,
                "tag:yaml.org,2002:bool" => ScalarKind.Boolean,
                "tag:yaml.org,2002:null" => ScalarKind.Null,
                _ => ScalarKind.String,
            };
        }

        if (scalar.Style != ScalarStyle.Plain || tag == "!")
        {
            return ScalarKind.String;
        }

        return scalar.Value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" or "yes" or "Yes" or "YES" or "no" or "No" or "NO"
                or "on" or "On" or "ON" or "off" or "Off" or "OFF" => ScalarKind.Boolean,
            var value when IsDecimal(value) || IsPrefixed(value) => ScalarKind.Integer,
            var value when IsFloat(value) => ScalarKind.Float,
            _ => ScalarKind.String,
        };
    }

    /// <summary><c>[-+]?[0-9]+</c>.</summary>
    internal static bool IsDecimal(string value)
    {
        var start = value.Length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
        if (start == value.Length)
        {
            return false;
        }

        for (var i = start; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>0x[0-9a-fA-F]+|0o[0-7]+</c>.</summary>
    private static bool IsPrefixed(string value)
    {
        if (value.Length < 3 || value[0] != '0' || (value[1] != 'x' && value[1] != 'o'))
        {
            return false;
        }

        for (var i = 2; i < value.Length; i++)
        {
            if (value[1] == 'x' ? !char.IsAsciiHexDigit(value[i]) : value[i] is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A YAML 1.2 core-schema float: <c>1.5</c>, <c>.5</c>, <c>1e3</c>, <c>.inf</c>, <c>.nan</c>.</summary>
    private static bool IsFloat(string value)
    {
        if (value is ".nan" or ".NaN" or ".NAN")
        {
            return true;
        }

        var i = value.Length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
        var rest = value[i..];
        if (rest is ".inf" or ".Inf" or ".INF")
        {
            return true;
        }

        var digits = 0;
        while (i < value.Length && char.IsAsciiDigit(value[i]))
        {
            i++;
            digits++;
        }

        if (i < value.Length && value[i] == '.')
        {
            i++;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < value.Length && (value[i] == 'e' || value[i] == 'E'))
        {
            i++;
            if (i < value.Length && (value[i] == '-' || value[i] == '+'))
            {
                i++;
            }

            var exponent = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }

            if (i == exponent)
            {
                return false;
            }
        }

        return i == value.Length;
    }
}
