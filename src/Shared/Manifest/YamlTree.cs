// Linked source: see ManifestProblem.cs. Also compiled into the CLI, which reads experiment files with it.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CompactMemory.Manifest;

/// <summary>
/// A small YAML tree with positions, built from parser events under hard limits: nesting depth, the number of
/// nodes and the number of characters of text, where an alias counts every node and every character it expands to
/// and a tag counts as the text its prefix expands it to. Aliases are shared, never copied, so memory stays bounded
/// even for an alias bomb, and the limits stop it long before any consumer could expand it. Parsing never throws.
/// The one YAML reader of the SDK: <c>engine_package.yaml</c> (the runtime, the generator, the analyzers) and
/// experiment files (the CLI) are read with it, each with its own limits and its own fixes added to a
/// <see cref="Failure"/>.
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

            if (IsInteger(value))
            {
                return ScalarKind.Integer;
            }

            return IsFloat(value) ? ScalarKind.Float : ScalarKind.String;
        }

        /// <summary>
        /// <c>^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$</c>, by hand: one pass, no backtracking, no allocation.
        /// </summary>
        internal static bool IsInteger(string value)
        {
            if (value.Length > 2 && value[0] == '0' && (value[1] == 'o' || value[1] == 'x'))
            {
                var hex = value[1] == 'x';
                for (var i = 2; i < value.Length; i++)
                {
                    var c = value[i];
                    var ok = hex ? IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') : c >= '0' && c <= '7';
                    if (!ok)
                    {
                        return false;
                    }
                }

                return true;
            }

            return IsDecimal(value);
        }

        /// <summary><c>^[-+]?[0-9]+$</c>: a whole number written in decimal.</summary>
        internal static bool IsDecimal(string value)
        {
            var start = value.Length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
            return start < value.Length && Digits(value, start) == value.Length;
        }

        /// <summary>
        /// <c>^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$</c>,
        /// by hand: one pass, no backtracking, no allocation.
        /// </summary>
        internal static bool IsFloat(string value)
        {
            switch (value)
            {
                case ".nan":
                case ".NaN":
                case ".NAN":
                    return true;
            }

            var i = value.Length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
            if (value.Length - i == 4 && (EndsWith(value, ".inf") || EndsWith(value, ".Inf") || EndsWith(value, ".INF")))
            {
                return true;
            }

            var integral = Digits(value, i);
            var hasIntegral = integral > i;
            i = integral;
            if (i < value.Length && value[i] == '.')
            {
                var fraction = Digits(value, i + 1);
                if (!hasIntegral && fraction == i + 1)
                {
                    return false;
                }

                i = fraction;
            }
            else if (!hasIntegral)
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

                var exponent = Digits(value, i);
                if (exponent == i)
                {
                    return false;
                }

                i = exponent;
            }

            return i == value.Length;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool EndsWith(string value, string suffix) =>
            string.CompareOrdinal(value, value.Length - suffix.Length, suffix, 0, suffix.Length) == 0;

        /// <summary>The index of the first non-digit at or after <paramref name="start"/>.</summary>
        private static int Digits(string value, int start)
        {
            var i = start;
            while (i < value.Length && IsDigit(value[i]))
            {
                i++;
            }

            return i;
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

    /// <summary>What a node is, in words, for messages: "a list", "the number 1.0", "a boolean"; values are quoted short.</summary>
    public static string Describe(Node node) => node switch
    {
        Mapping => "a mapping",
        Sequence => "a list",
        Scalar { Kind: ScalarKind.Null } => "nothing (null)",
        Scalar { Kind: ScalarKind.Boolean } s => "the boolean " + ManifestQuote.Of(s.Value),
        Scalar { Kind: ScalarKind.Integer or ScalarKind.Float } s => "the number " + ManifestQuote.Of(s.Value),
        _ => "a string",
    };

    /// <summary>Why a parse stopped; a reader adds the fix that suits its kind of file.</summary>
    internal enum FailureKind
    {
        /// <summary>The parser rejected the text; the message is the parser's own.</summary>
        Syntax,

        /// <summary>The parser failed without a usable message; the failure is where the last well-formed part ended.</summary>
        Unparsable,

        /// <summary>The text holds a second YAML document.</summary>
        SecondDocument,

        /// <summary>An alias names no anchor defined before it.</summary>
        UndefinedAlias,

        /// <summary>Lists and mappings are nested deeper than the limit.</summary>
        Depth,

        /// <summary>The text holds more nodes than the limit.</summary>
        Nodes,

        /// <summary>Aliases expand to more nodes than the limit.</summary>
        AliasNodes,

        /// <summary>The values hold more characters than the limit.</summary>
        Characters,

        /// <summary>Aliases expand to more characters than the limit.</summary>
        AliasCharacters,

        /// <summary>Tags expand to more characters than the limit.</summary>
        TagCharacters,
    }

    /// <summary>A parse that failed: why, what is wrong (without the fix a reader adds), and where.</summary>
    internal sealed class Failure
    {
        public Failure(FailureKind kind, string message, Mark at)
        {
            Kind = kind;
            Message = message;
            Line = (int)Math.Min(int.MaxValue, at.Line);
            Column = (int)Math.Min(int.MaxValue, at.Column);
        }

        /// <summary>Why the parse stopped.</summary>
        public FailureKind Kind { get; }

        /// <summary>True when the text is YAML but exceeds a limit (nesting, nodes or characters).</summary>
        public bool IsLimit => Kind >= FailureKind.Depth;

        /// <summary>What is wrong, with a fix when the fix is the same for every kind of file.</summary>
        public string Message { get; }

        /// <summary>The 1-based line.</summary>
        public int Line { get; }

        /// <summary>The 1-based column.</summary>
        public int Column { get; }
    }

    /// <summary>What an anchor stands for: its node, and the nodes and characters each alias of it adds.</summary>
    private sealed class Anchored
    {
        public Anchored(Node node, int nodes, long characters)
        {
            Node = node;
            Nodes = nodes;
            Characters = characters;
        }

        public Node Node { get; }

        public int Nodes { get; }

        public long Characters { get; }
    }

    private sealed class Frame
    {
        public Frame(Node node, string? anchor, int nodesBefore, long charactersBefore)
        {
            Node = node;
            Anchor = anchor;
            NodesBefore = nodesBefore;
            CharactersBefore = charactersBefore;
        }

        public Node Node { get; }

        public string? Anchor { get; }

        public int NodesBefore { get; }

        public long CharactersBefore { get; }

        public Node? PendingKey { get; set; }
    }

    private enum Limit
    {
        None,
        Nodes,
        Characters,
    }

    /// <summary>
    /// Parses one YAML document under limits: the root (null for an empty document), or null and the failure that
    /// stopped it.
    /// </summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="maxDepth">The deepest nesting of lists and mappings accepted.</param>
    /// <param name="maxNodes">The most nodes accepted, counting every node an alias expands to.</param>
    /// <param name="maxCharacters">The most characters of text (values, keys, tags) accepted, counting an alias's text each time it is used.</param>
    /// <param name="failure">Why and where the parse stopped, or null when it did not.</param>
    public static Node? Parse(string text, int maxDepth, int maxNodes, long maxCharacters, out Failure? failure)
    {
        failure = null;
        var anchors = new Dictionary<string, Anchored>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        Node? root = null;
        var nodes = 0;
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
                        documents++;
                        if (documents > 1)
                        {
                            return Fail(FailureKind.SecondDocument, "the file holds more than one YAML document; keep only one", start.Start, out failure);
                        }

                        break;
                    case YamlDotNet.Core.Events.Scalar scalar:
                        var tagged = TagLength(scalar.Tag);
                        var limit = Add(new Scalar(scalar), scalar.Anchor, 1, scalar.Value.Length + tagged);
                        if (limit != Limit.None)
                        {
                            return Fail(LimitKind(limit, alias: false, tagged > 0), LimitMessage(limit, alias: false, tagged > 0, maxNodes, maxCharacters), scalar.Start, out failure);
                        }

                        break;
                    case SequenceStart sequenceStart:
                        if (Open(new Sequence(sequenceStart.Start), sequenceStart.Anchor, TagLength(sequenceStart.Tag), out var sequenceKind, out var sequenceLimit))
                        {
                            return Fail(sequenceKind, sequenceLimit!, sequenceStart.Start, out failure);
                        }

                        break;
                    case MappingStart mappingStart:
                        if (Open(new Mapping(mappingStart.Start), mappingStart.Anchor, TagLength(mappingStart.Tag), out var mappingKind, out var mappingLimit))
                        {
                            return Fail(mappingKind, mappingLimit!, mappingStart.Start, out failure);
                        }

                        break;
                    case SequenceEnd:
                    case MappingEnd:
                        var frame = stack.Pop();
                        if (frame.Anchor is not null)
                        {
                            anchors[frame.Anchor] = new Anchored(frame.Node, nodes - frame.NodesBefore, characters - frame.CharactersBefore);
                        }

                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            return Fail(FailureKind.UndefinedAlias, "alias '*" + ManifestQuote.Of(alias.Value.Value) + "' refers to no anchor defined before it", alias.Start, out failure);
                        }

                        // The alias stands for every node and every character of its anchor: count them all.
                        var aliasLimit = Add(target.Node, AnchorName.Empty, target.Nodes, target.Characters);
                        if (aliasLimit != Limit.None)
                        {
                            return Fail(LimitKind(aliasLimit, alias: true, tagged: false), LimitMessage(aliasLimit, alias: true, tagged: false, maxNodes, maxCharacters), alias.Start, out failure);
                        }

                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            return Fail(FailureKind.Syntax, CleanMessage(ex), ex.Start, out failure);
        }
        catch (Exception)
        {
            // Parsing never throws: whatever the parser trips over is reported as invalid YAML, where
            // the last well-formed part ended (some parser states fail without a position or a useful message).
            return Fail(FailureKind.Unparsable, $"the YAML cannot be parsed past line {lastGood.Line.ToString(CultureInfo.InvariantCulture)}; check the brackets, quotes and indentation there (an unclosed '[' or '{{' is a common cause)", lastGood, out failure);
        }

        return root;

        // Returns true when a limit stops the file, with the limit and the message.
        bool Open(Node node, AnchorName anchor, int tagged, out FailureKind limitKind, out string? limitMessage)
        {
            limitKind = FailureKind.Depth;
            limitMessage = null;
            if (stack.Count >= maxDepth)
            {
                limitMessage = string.Format(CultureInfo.InvariantCulture, "lists and mappings are nested more than {0} levels deep", maxDepth);
                return true;
            }

            var nodesBefore = nodes;
            var charactersBefore = characters;
            var limit = Add(node, AnchorName.Empty, 1, tagged);
            if (limit != Limit.None)
            {
                limitKind = LimitKind(limit, alias: false, tagged > 0);
                limitMessage = LimitMessage(limit, alias: false, tagged > 0, maxNodes, maxCharacters);
                return true;
            }

            stack.Push(new Frame(node, anchor.IsEmpty ? null : anchor.Value, nodesBefore, charactersBefore));
            return false;
        }

        Limit Add(Node node, AnchorName anchor, int weight, long text)
        {
            nodes += weight;
            characters += text;
            if (nodes > maxNodes)
            {
                return Limit.Nodes;
            }

            if (characters > maxCharacters)
            {
                return Limit.Characters;
            }

            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = new Anchored(node, 1, text);
            }

            if (stack.Count == 0)
            {
                root ??= node;
                return Limit.None;
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

            return Limit.None;
        }
    }

    /// <summary>A tag stands for its full name, which a <c>%TAG</c> prefix may make long: the parser builds it per node.</summary>
    private static int TagLength(TagName tag) => tag.IsEmpty ? 0 : tag.Value.Length;

    private static FailureKind LimitKind(Limit limit, bool alias, bool tagged)
    {
        if (limit == Limit.Nodes)
        {
            return alias ? FailureKind.AliasNodes : FailureKind.Nodes;
        }

        return alias ? FailureKind.AliasCharacters : tagged ? FailureKind.TagCharacters : FailureKind.Characters;
    }

    private static string LimitMessage(Limit limit, bool alias, bool tagged, int maxNodes, long maxCharacters)
    {
        if (limit == Limit.Nodes)
        {
            return alias
                ? string.Format(CultureInfo.InvariantCulture, "aliases expand to more than {0} YAML nodes (an alias bomb?); write the values out instead", maxNodes)
                : string.Format(CultureInfo.InvariantCulture, "the file has more than {0} YAML nodes", maxNodes);
        }

        if (alias)
        {
            return string.Format(CultureInfo.InvariantCulture, "aliases expand to more than {0:N0} characters of text (a long value used many times?); write the values out instead", maxCharacters);
        }

        return tagged
            ? string.Format(CultureInfo.InvariantCulture, "tags expand to more than {0:N0} characters of text (a long %TAG prefix used many times?)", maxCharacters)
            : string.Format(CultureInfo.InvariantCulture, "the values add up to more than {0:N0} characters of text", maxCharacters);
    }

    private static Node? Fail(FailureKind kind, string message, Mark at, out Failure? failure)
    {
        failure = new Failure(kind, message, at);
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

        // The parser's messages can quote the input (a tag, a directive): keep them one short line.
        return ManifestQuote.Of(message.TrimEnd('.', ' '), 4 * ManifestSchema.MaxQuotedCharacters);
    }
}
