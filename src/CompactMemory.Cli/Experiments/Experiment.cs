using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CompactMemory.Text;

namespace CompactMemory.Cli.Experiments;

/// <summary>An experiment read from <c>experiments/NAME.yaml</c>: a dataset of texts and a grid of budgets.</summary>
/// <param name="Name">The name (<c>name:</c>, or the file name without <c>.yaml</c>).</param>
/// <param name="Description">The description, if any.</param>
/// <param name="EngineId">The engine to run (<c>engine_id:</c>), or null for the package's own engine.</param>
/// <param name="EngineIdLine">The line of <c>engine_id:</c>, or 0 when absent.</param>
/// <param name="Texts">The dataset, in file order; every text has at least one token.</param>
/// <param name="Budgets">The budgets, in file order; all positive and distinct.</param>
/// <param name="Repeat">How many times each text is compressed at each budget.</param>
/// <param name="File">The experiment file's full path.</param>
internal sealed record Experiment(
    string Name,
    string? Description,
    string? EngineId,
    int EngineIdLine,
    IReadOnlyList<DatasetText> Texts,
    IReadOnlyList<int> Budgets,
    int Repeat,
    string File);

/// <summary>One text of a dataset.</summary>
/// <param name="Label">Where it comes from, for messages: <c>experiments/data/a.txt</c> or <c>text on line 7</c>.</param>
/// <param name="Text">The text.</param>
/// <param name="Tokens">Its token count, by the tokenizer <c>compress</c> reports with.</param>
internal sealed record DatasetText(string Label, string Text, int Tokens);

/// <summary>One problem in an experiment file: the file, the 1-based line, and what is wrong with its fix.</summary>
/// <param name="File">The experiment file's path.</param>
/// <param name="Line">The 1-based line (1 for problems with the file as a whole).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
internal sealed record ExperimentProblem(string File, int Line, string Message)
{
    /// <summary>Reads as <c>/pkg/experiments/a.yaml:4: budget 0 is not positive; …</c>, the form editors link to.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PrintableText.Of(File)}:{Line}: {Message}");
}

/// <summary>Quotes outside text in a message: control characters escaped, at most a few dozen characters, the cut marked.</summary>
internal static class ExperimentQuote
{
    /// <summary>The most characters of a value a message shows.</summary>
    public const int MaxCharacters = 60;

    /// <summary>The value as a message may show it.</summary>
    public static string Of(string value) => Of(value, MaxCharacters);

    /// <summary>The value as a message may show it, with a limit of its own.</summary>
    public static string Of(string value, int limit)
    {
        if (value.Length <= limit)
        {
            return PrintableText.Of(value);
        }

        var cut = limit;
        if (char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return new StringBuilder(PrintableText.Of(value[..cut]))
            .Append(CultureInfo.InvariantCulture, $"…({value.Length - cut:N0} more characters)")
            .ToString();
    }
}
