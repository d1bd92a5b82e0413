using System;
using CompactMemory.Manifest;

namespace CompactMemory.Cli.Experiments;

/// <summary>
/// Parses experiment files with the SDK's one bounded YAML reader, <see cref="YamlTree"/> (the reader of
/// <c>engine_package.yaml</c>, linked into the CLI), under an experiment's limits, and words its failures as
/// experiment problems: a line, what is wrong and the fix.
/// </summary>
internal static class ExperimentYaml
{
    /// <summary>The deepest nesting of mappings and lists accepted (an experiment needs three levels).</summary>
    public const int MaxDepth = 32;

    /// <summary>The most YAML nodes accepted, counting every node an alias expands to.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>The most characters of text (values, keys, tags) accepted, counting an alias's text each time it is used.</summary>
    public const int MaxCharacters = ExperimentReader.MaxFileBytes;

    /// <summary>A parse that failed: what is wrong, with its fix, and the 1-based line where it was found.</summary>
    internal sealed record Failure(string Message, int Line);

    /// <summary>Parses one YAML document: its root (null for an empty document), or the failure that stopped it.</summary>
    public static YamlTree.Node? Parse(string text, out Failure? failure)
    {
        var root = YamlTree.Parse(text, MaxDepth, MaxNodes, MaxCharacters, out var stopped);
        failure = stopped is null ? null : new Failure(Message(stopped), Math.Max(1, stopped.Line));
        return root;
    }

    /// <summary>The parser's words, with the fix an experiment file needs where the parser's own does not say it.</summary>
    private static string Message(YamlTree.Failure failure) => failure.Kind switch
    {
        YamlTree.FailureKind.Syntax => "invalid YAML: " + failure.Message,
        YamlTree.FailureKind.SecondDocument => failure.Message + " (an experiment file holds one experiment)",
        YamlTree.FailureKind.UndefinedAlias => failure.Message + "; define its anchor (&NAME) before it, or write the value out",
        YamlTree.FailureKind.Depth => failure.Message + "; an experiment needs three",
        YamlTree.FailureKind.Nodes => failure.Message + "; an experiment needs a few dozen",
        YamlTree.FailureKind.Characters => failure.Message + "; put long texts in dataset files (- file: data/x.txt)",
        YamlTree.FailureKind.TagCharacters => failure.Message + "; an experiment needs no tags",
        _ => failure.Message,
    };
}
