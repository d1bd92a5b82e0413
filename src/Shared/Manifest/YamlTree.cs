// Linked source: see ManifestProblem.cs.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CompactMemory.Manifest;

/// <summary>
/// A small YAML tree with positions, built from parser events under hard limits: nesting depth and the number of
/// nodes, where an alias counts every node it expands to. Aliases are shared, never copied, so memory stays
/// bounded even for an alias bomb, and the limit stops it long before any consumer could expand it.
/// </summary>
internal static class YamlTree
{
    internal abstract class Node
    {
        protected Node(Mark start)
        {
            Line = (int)Math.Min(int.MaxValue, start.Line);
            Column = (int)Math.Min(int.MaxValue, start.Column);
        }

        public int Line { get; }

        public int Column { get; }
    }

    internal enum ScalarKind
    {
        Null,
        Boolean,
        Integer,
        Float,
        String,
    }

    internal sealed class Scalar : Node
    {
        private static readonly Regex IntegerPattern = new("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", RegexOptions.CultureInvariant);
        private static readonly Regex FloatPattern = new(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant);

        public Scalar(YamlDotNet.Core.Events.Scalar scalar)
            : base(scalar.Start)
        {
            Value = scalar.Value;
            Kind = Resolve(scalar);
        }

        public string Value { get; }

        public ScalarKind Kind { get; }

        public bool AsBoolean() => Value.Length > 0 && "tTyYoO".IndexOf(Value[0]) >= 0 && !string.Equals(Value, "off", StringComparison.OrdinalIgnoreCase);

        /// <summary>Resolves a scalar's type the way YAML loaders do (the core schema plus YAML 1.1 yes/no/on/off).</summary>
        private static ScalarKind Resolve(YamlDotNet.Core.Events.Scalar scalar)
        {
            var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            if (tag is not null && tag != "!")
            {
                switch (tag)
                {
                    case "tag:yaml.org,2002:str":
                        return ScalarKind.String;
                    case "tag:yaml.org,2002:int":
                        return ScalarKind.Integer;
                    case "tag:yaml.org,2002:float":
                        return ScalarKind.Float;
                    case "tag:yaml.org,2002:bool":
                        return ScalarKind.Boolean;
                    case "tag:yaml.org,2002:null":
                        return ScalarKind.Null;
                    default:
                        return ScalarKind.String;
                }
            }

            if (scalar.Style != ScalarStyle.Plain || tag == "!")
            {
                return ScalarKind.String;
            }

            var value = scalar.Value;
            switch (value)
            {
                case "":
                case "~":
                case "null":
                case "Null":
                case "NULL":
                    return ScalarKind.Null;
                case "true":
                case "True":
                case "TRUE":
                case "false":
                case "False":
                case "FALSE":
                case "yes":
                case "Yes":
                case "YES":
                case "no":
                case "No":
                case "NO":
                case "on":
                case "On":
                case "ON":
                case "off":
                case "Off":
                case "OFF":
                    return ScalarKind.Boolean;
            }

            if (IntegerPattern.IsMatch(value))
            {
                return ScalarKind.Integer;
            }

            return FloatPattern.IsMatch(value) ? ScalarKind.Float : ScalarKind.String;
        }
    }

    internal sealed class Sequence : Node
    {
        public Sequence(Mark start)
            : base(start)
        {
        }

        public List<Node> Items { get; } = new List<Node>();
    }

    internal sealed class Mapping : Node
    {
        public Mapping(Mark start)
            : base(start)
        {
        }

        public List<KeyValuePair<Node, Node>> Entries { get; } = new List<KeyValuePair<Node, Node>>();
    }

    /// <summary>What a node is, in words, for messages: "a list", "the number 1.0", "a boolean".</summary>
    public static string Describe(Node node) => node switch
    {
        Mapping => "a mapping",
        Sequence => "a list",
        Scalar { Kind: ScalarKind.Null } => "nothing (null)",
        Scalar { Kind: ScalarKind.Boolean } s => "the boolean " + s.Value,
        Scalar { Kind: ScalarKind.Integer or ScalarKind.Float } s => "the number " + s.Value,
        _ => "a string",
    };

    private sealed class Frame
    {
        public Frame(Node node, string? anchor, int nodesAtStart)
        {
            Node = node;
            Anchor = anchor;
            NodesAtStart = nodesAtStart;
        }

        public Node Node { get; }

        public string? Anchor { get; }

        public int NodesAtStart { get; }

        public Node? PendingKey { get; set; }
    }

    /// <summary>Parses one YAML document. Returns the root (null for an empty document) or adds a problem and returns null.</summary>
    public static Node? Parse(string text, List<ManifestProblem> problems, out bool failed)
    {
        failed = false;
        var anchors = new Dictionary<string, KeyValuePair<Node, int>>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        Node? root = null;
        var nodes = 0;
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
                        documents++;
                        if (documents > 1)
                        {
                            return Fail(problems, ManifestProblemKind.InvalidYaml, "the file holds more than one YAML document; keep only one", start.Start, out failed);
                        }

                        break;
                    case YamlDotNet.Core.Events.Scalar scalar:
                        if (!Add(new Scalar(scalar), scalar.Anchor, 1))
                        {
                            return Fail(problems, ManifestProblemKind.LimitExceeded, $"the file has more than {ManifestSchema.MaxNodes} YAML nodes; a manifest needs a few dozen", scalar.Start, out failed);
                        }

                        break;
                    case SequenceStart sequenceStart:
                        if (!Open(new Sequence(sequenceStart.Start), sequenceStart.Anchor, sequenceStart.Start, out var limitMessage))
                        {
                            return Fail(problems, ManifestProblemKind.LimitExceeded, limitMessage!, sequenceStart.Start, out failed);
                        }

                        break;
                    case MappingStart mappingStart:
                        if (!Open(new Mapping(mappingStart.Start), mappingStart.Anchor, mappingStart.Start, out var mappingLimit))
                        {
                            return Fail(problems, ManifestProblemKind.LimitExceeded, mappingLimit!, mappingStart.Start, out failed);
                        }

                        break;
                    case SequenceEnd:
                    case MappingEnd:
                        var frame = stack.Pop();
                        if (frame.Anchor is not null)
                        {
                            anchors[frame.Anchor] = new KeyValuePair<Node, int>(frame.Node, nodes - frame.NodesAtStart + 1);
                        }

                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            return Fail(problems, ManifestProblemKind.InvalidYaml, $"alias '*{alias.Value.Value}' refers to no anchor defined before it", alias.Start, out failed);
                        }

                        // The alias stands for every node of its anchor: count them all.
                        if (!Add(target.Key, AnchorName.Empty, target.Value))
                        {
                            return Fail(problems, ManifestProblemKind.LimitExceeded, $"aliases expand to more than {ManifestSchema.MaxNodes} YAML nodes (an alias bomb?); write the values out instead", alias.Start, out failed);
                        }

                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            return Fail(problems, ManifestProblemKind.InvalidYaml, CleanMessage(ex), ex.Start, out failed);
        }
        catch (Exception)
        {
            // The reader promises never to throw: whatever the parser trips over is reported as invalid YAML, where
            // the last well-formed part ended (some parser states fail without a position or a useful message).
            return Fail(problems, ManifestProblemKind.InvalidYaml, $"the YAML cannot be parsed past line {lastGood.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}; check the brackets, quotes and indentation there (an unclosed '[' or '{{' is a common cause)", lastGood, out failed);
        }

        return root;

        bool Open(Node node, AnchorName anchor, Mark start, out string? limitMessage)
        {
            limitMessage = null;
            if (stack.Count >= ManifestSchema.MaxDepth)
            {
                limitMessage = $"lists and mappings are nested more than {ManifestSchema.MaxDepth} levels deep";
                return false;
            }

            if (!Add(node, AnchorName.Empty, 1))
            {
                limitMessage = $"the file has more than {ManifestSchema.MaxNodes} YAML nodes; a manifest needs a few dozen";
                return false;
            }

            stack.Push(new Frame(node, anchor.IsEmpty ? null : anchor.Value, nodes));
            return true;
        }

        bool Add(Node node, AnchorName anchor, int weight)
        {
            nodes += weight;
            if (nodes > ManifestSchema.MaxNodes)
            {
                return false;
            }

            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = new KeyValuePair<Node, int>(node, 1);
            }

            if (stack.Count == 0)
            {
                root ??= node;
                return true;
            }

            var parent = stack.Peek();
            if (parent.Node is Sequence sequence)
            {
                sequence.Items.Add(node);
            }
            else if (parent.Node is Mapping mapping)
            {
                if (parent.PendingKey is null)
                {
                    parent.PendingKey = node;
                }
                else
                {
                    mapping.Entries.Add(new KeyValuePair<Node, Node>(parent.PendingKey, node));
                    parent.PendingKey = null;
                }
            }

            return true;
        }
    }

    private static Node? Fail(List<ManifestProblem> problems, ManifestProblemKind kind, string message, Mark at, out bool failed)
    {
        failed = true;
        var line = (int)Math.Min(int.MaxValue, at.Line);
        var column = (int)Math.Min(int.MaxValue, at.Column);
        problems.Add(new ManifestProblem(ManifestSeverity.Error, kind, null, "Invalid engine_package.yaml: " + message, line, column));
        return null;
    }

    /// <summary>YamlDotNet prefixes messages with positions; the SDK reports positions its own way.</summary>
    private static string CleanMessage(YamlException ex)
    {
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0)
        {
            message = message.Substring(marker + 3);
        }

        return message.TrimEnd('.', ' ');
    }
}
