using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CompactMemory.Cli.Input;
using CompactMemory.IO;
using CompactMemory.Manifest;
using CompactMemory.Text;
using CompactMemory.Tokens;

namespace CompactMemory.Cli.Experiments;

/// <summary>What reading one experiment file found: its name (always), the experiment (when it has no problems) and its problems.</summary>
/// <param name="File">The experiment file's full path.</param>
/// <param name="Name">The experiment's name: <c>name:</c> when it is readable, else the file name without <c>.yaml</c>.</param>
/// <param name="NameLine">The line of <c>name:</c>, or 1.</param>
/// <param name="Experiment">The experiment, or null when there are problems.</param>
/// <param name="Problems">Every problem, in file order, each with its line and fix.</param>
internal sealed record ExperimentReadResult(string File, string Name, int NameLine, Experiment? Experiment, IReadOnlyList<ExperimentProblem> Problems);

/// <summary>
/// Reads experiment files (format v1, see docs/experiments.md) from an engine package folder. Hostile input cannot
/// hurt it: the file is read only when it is a regular file of at most <see cref="MaxFileBytes"/>, strictly as text;
/// the YAML is parsed under the limits of <see cref="ExperimentYaml"/>; every dataset file must be a regular file
/// inside the package folder (links resolved), valid text, and all of them together at most
/// <see cref="BoundedReader.MaxInputText"/>. Every problem names the file, the line and the fix; nothing throws.
/// </summary>
internal static class ExperimentReader
{
    /// <summary>The folder, beside <c>engine_package.yaml</c>, that holds a package's experiments.</summary>
    public const string FolderName = "experiments";

    /// <summary>An experiment file's extension.</summary>
    public const string Extension = ".yaml";

    /// <summary>The largest experiment file read: 1 MiB (long texts belong in dataset files).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The most runs per text and budget.</summary>
    public const int MaxRepeat = 10_000;

    /// <summary>The most problems listed for one file; past it, the last problem says how many more were found.</summary>
    public const int MaxProblems = 100;

    /// <summary>The longest experiment name.</summary>
    public const int MaxNameLength = 100;

    private const string Name = "name";
    private const string Description = "description";
    private const string EngineId = "engine_id";
    private const string Dataset = "dataset";
    private const string Budgets = "budgets";
    private const string Repeat = "repeat";
    private const string FileKey = "file";
    private const string TextKey = "text";

    /// <summary>The keys of format v1, in documented order.</summary>
    public static IReadOnlyList<string> Keys { get; } = [Name, Description, EngineId, Dataset, Budgets, Repeat];

    private const string Example = "for example 'dataset: [{file: data/sample.txt}]' and 'budgets: [40, 80]'";

    /// <summary>Reads an experiment file of the package at <paramref name="packageDirectory"/>.</summary>
    /// <param name="packageDirectory">The engine package folder (full path).</param>
    /// <param name="file">The experiment file (full path; normally inside <c>experiments/</c>).</param>
    public static ExperimentReadResult Read(string packageDirectory, string file)
    {
        var fallbackName = DefaultName(file);
        try
        {
            var packageRoot = RealPath.Resolve(packageDirectory) ?? Path.GetFullPath(packageDirectory);
            var real = RealPath.Resolve(file);
            if (real is null || !RealPath.IsInside(real, packageRoot))
            {
                return Failed(file, fallbackName, $"the experiment file {(real is null ? "is a symbolic link that cannot be followed" : "is a link to '" + ExperimentQuote.Of(real, 200) + "', outside the package folder")}; put the experiment itself in {FolderName}/");
            }

            var kind = FileKinds.Of(real);
            if (kind is not (FileKind.Regular or FileKind.Unknown))
            {
                return Failed(file, fallbackName, $"the experiment file is {FileKinds.Describe(kind)}, not a regular file, so it is not read; replace it with a YAML file");
            }

            ArraySegment<byte>? bytes;
            try
            {
                bytes = BoundedReader.ReadFile(real, MaxFileBytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Failed(file, fallbackName, "the experiment file cannot be read: " + ExperimentQuote.Of(ex.Message, 240));
            }

            if (bytes is not { } content)
            {
                return Failed(file, fallbackName, string.Create(CultureInfo.InvariantCulture, $"the experiment file is larger than {MaxFileBytes:N0} bytes; put long texts in dataset files (- file: data/x.txt)"));
            }

            return Parse(content, file, packageRoot, Path.GetFullPath(packageDirectory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Failed(file, fallbackName, "the experiment file cannot be read: " + ExperimentQuote.Of(ex.Message, 240));
        }
    }

    /// <summary>Reads experiment file bytes; dataset files are read relative to <paramref name="file"/> and must be inside <paramref name="packageRoot"/>.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="file">The experiment file's full path (for messages and relative dataset paths).</param>
    /// <param name="packageRoot">The package folder's real path.</param>
    /// <param name="packageDirectory">The package folder as the user named it (dataset labels are relative to it); <paramref name="packageRoot"/> when null.</param>
    public static ExperimentReadResult Parse(ReadOnlySpan<byte> bytes, string file, string packageRoot, string? packageDirectory = null)
    {
        var fallbackName = DefaultName(file);
        if (bytes.Length > MaxFileBytes)
        {
            return Failed(file, fallbackName, string.Create(CultureInfo.InvariantCulture, $"the experiment file is larger than {MaxFileBytes:N0} bytes; put long texts in dataset files (- file: data/x.txt)"));
        }

        var decoded = TextDecoder.Decode(bytes);
        if (!decoded.IsClean)
        {
            var problem = decoded.FirstInvalid is { } invalid && (decoded.FirstNul is null || invalid.Offset < decoded.FirstNul.Offset) ? invalid : decoded.FirstNul!;
            return Failed(file, fallbackName, $"the experiment file is not valid {decoded.Encoding} text ({problem}); save it as UTF-8", LineOfOffset(bytes, problem.Offset));
        }

        var root = ExperimentYaml.Parse(decoded.Text, out var failure);
        if (failure is not null)
        {
            return Failed(file, fallbackName, failure.Message, failure.Line);
        }

        return new Reading(file, packageRoot, packageDirectory ?? packageRoot).Read(root);
    }

    /// <summary>The name an experiment has when its file sets none: the file name without <c>.yaml</c>.</summary>
    public static string DefaultName(string file)
    {
        var name = Path.GetFileName(file);
        return name.EndsWith(Extension, StringComparison.Ordinal) ? name[..^Extension.Length] : name;
    }

    private static ExperimentReadResult Failed(string file, string name, string message, int line = 1) =>
        new(file, name, 1, null, [new ExperimentProblem(file, line, message)]);

    /// <summary>The 1-based line of a byte offset: LF, CR LF and a lone CR end a line.</summary>
    private static int LineOfOffset(ReadOnlySpan<byte> bytes, long offset)
    {
        var line = 1;
        for (var i = 0; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' || (bytes[i] == (byte)'\r' && (i + 1 >= bytes.Length || bytes[i + 1] != (byte)'\n')))
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>One file being checked: its problems, and how much dataset text it has read so far.</summary>
    private sealed class Reading(string file, string packageRoot, string packageDirectory)
    {
        private readonly List<ExperimentProblem> _problems = [];
        private int _more;
        private long _datasetBytes;

        public ExperimentReadResult Read(YamlTree.Node? root)
        {
            var fallbackName = DefaultName(file);
            if (root is null || root is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null })
            {
                Problem(1, "the experiment file is empty; an experiment needs at least a dataset and budgets, " + Example);
                return Result(fallbackName, 1, null);
            }

            if (root is not YamlTree.Mapping mapping)
            {
                Problem(root.Line, "an experiment file is a mapping of keys (key: value), but this one is " + YamlTree.Describe(root) + "; " + Example);
                return Result(fallbackName, 1, null);
            }

            var fields = new Dictionary<string, (YamlTree.Node Key, YamlTree.Node Value)>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Entries)
            {
                if (keyNode is not YamlTree.Scalar { Kind: not YamlTree.ScalarKind.Null } key)
                {
                    Problem(keyNode.Line, "keys must be plain words, but this key is " + YamlTree.Describe(keyNode) + "; the keys are " + string.Join(", ", Keys));
                    continue;
                }

                if (!Keys.Contains(key.Value, StringComparer.Ordinal))
                {
                    Problem(key.Line, $"unknown key '{ExperimentQuote.Of(key.Value)}'{Suggestion(key.Value)}; the keys of an experiment are {string.Join(", ", Keys)}");
                    continue;
                }

                if (fields.TryGetValue(key.Value, out var first))
                {
                    Problem(key.Line, string.Create(CultureInfo.InvariantCulture, $"'{key.Value}' appears twice (first on line {first.Key.Line}); keep one"));
                    continue;
                }

                fields[key.Value] = (key, value);
            }

            var name = fallbackName;
            var nameLine = 1;
            if (fields.TryGetValue(Name, out var nameField))
            {
                nameLine = nameField.Key.Line;
                if (ReadString(Name, nameField.Value, "a short name such as 'article'") is { } text)
                {
                    if (text.Length > MaxNameLength)
                    {
                        Problem(nameField.Value.Line, string.Create(CultureInfo.InvariantCulture, $"name is longer than {MaxNameLength} characters; give a short name such as 'article'"));
                    }
                    else if (text.Any(char.IsControl) || text.Trim().Length != text.Length)
                    {
                        Problem(nameField.Value.Line, $"name '{ExperimentQuote.Of(text)}' has control characters or spaces at its ends; give a short name such as 'article'");
                    }
                    else
                    {
                        name = text;
                    }
                }
            }

            if (ReferenceEquals(name, fallbackName) && name.Any(char.IsControl))
            {
                Problem(1, $"the file name '{ExperimentQuote.Of(name)}' has control characters, so it cannot be the experiment's name; rename the file, or give a name such as 'name: article'");
            }

            string? description = null;
            if (fields.TryGetValue(Description, out var descriptionField) && descriptionField.Value is not YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null })
            {
                description = ReadString(Description, descriptionField.Value, "a sentence");
            }

            string? engineId = null;
            var engineIdLine = 0;
            if (fields.TryGetValue(EngineId, out var engineField))
            {
                engineIdLine = engineField.Value.Line;
                if (ReadString(EngineId, engineField.Value, "the id of the package's engine, or delete the key to use it") is { } id)
                {
                    if (id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                    {
                        Problem(engineIdLine, $"engine_id '{ExperimentQuote.Of(id)}' contains whitespace; engine ids never do (delete the key to use the package's engine)");
                    }
                    else
                    {
                        engineId = id;
                    }
                }
            }

            var texts = fields.TryGetValue(Dataset, out var datasetField)
                ? ReadDataset(datasetField.Key, datasetField.Value)
                : Missing<List<DatasetText>>(mapping, Dataset, "add the texts to compress, for example 'dataset: [{file: data/sample.txt}]' (a file relative to the experiment file) or 'dataset: [{text: \"Some text.\"}]'");
            var budgets = fields.TryGetValue(Budgets, out var budgetsField)
                ? ReadBudgets(budgetsField.Value)
                : Missing<List<int>>(mapping, Budgets, "add the token budgets to try, for example: budgets: [40, 80, 160]");
            var repeat = 1;
            if (fields.TryGetValue(Repeat, out var repeatField))
            {
                repeat = ReadRepeat(repeatField.Value) ?? 1;
            }

            var experiment = _problems.Count == 0 && texts is not null && budgets is not null
                ? new Experiment(name, description, engineId, engineIdLine, texts, budgets, repeat, file)
                : null;
            return Result(name, nameLine, experiment);
        }

        private ExperimentReadResult Result(string name, int nameLine, Experiment? experiment)
        {
            // In file order (a stable sort: problems on one line keep the order they were found in).
            var problems = _problems.OrderBy(p => p.Line).ToList();
            if (_more > 0)
            {
                problems.Add(new ExperimentProblem(file, problems[^1].Line, string.Create(CultureInfo.InvariantCulture, $"… and {_more:N0} more problem(s) after this one; fix these first")));
            }

            return new ExperimentReadResult(file, name, nameLine, experiment, problems);
        }

        private T? Missing<T>(YamlTree.Mapping mapping, string key, string fix)
            where T : class
        {
            Problem(mapping.Line, $"'{key}' is missing; {fix}");
            return null;
        }

        private string? ReadString(string key, YamlTree.Node node, string fix)
        {
            if (node is not YamlTree.Scalar scalar || scalar.Kind == YamlTree.ScalarKind.Null || scalar.Value.Length == 0)
            {
                Problem(node.Line, $"'{key}' must be text, but it is {YamlTree.Describe(node)}; give {fix}");
                return null;
            }

            return scalar.Value;
        }

        private List<DatasetText>? ReadDataset(YamlTree.Node key, YamlTree.Node node)
        {
            if (node is not YamlTree.Sequence sequence)
            {
                Problem(node is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null } ? key.Line : node.Line, "'dataset' must be a list of entries, each '- file: PATH' or '- text: TEXT', but it is " + YamlTree.Describe(node));
                return null;
            }

            if (sequence.Items.Count == 0)
            {
                Problem(node.Line, "'dataset' is empty; add at least one entry, '- file: PATH' or '- text: TEXT'");
                return null;
            }

            var texts = new List<DatasetText>();
            var ok = true;
            foreach (var item in sequence.Items)
            {
                if (ReadEntry(item) is { } text)
                {
                    texts.Add(text);
                }
                else
                {
                    ok = false;
                }
            }

            return ok ? texts : null;
        }

        private DatasetText? ReadEntry(YamlTree.Node item)
        {
            const string Shape = "each dataset entry is a mapping with exactly one key: '- file: data/sample.txt' (a text file, relative to the experiment file) or '- text: \"Inline text.\"'";
            if (item is not YamlTree.Mapping entry)
            {
                Problem(item.Line, "this dataset entry is " + YamlTree.Describe(item) + "; " + Shape);
                return null;
            }

            YamlTree.Scalar? kind = null;
            YamlTree.Node? value = null;
            var ok = true;
            foreach (var (keyNode, entryValue) in entry.Entries)
            {
                if (keyNode is not YamlTree.Scalar { Value: FileKey or TextKey, Kind: not YamlTree.ScalarKind.Null } key)
                {
                    var shown = keyNode is YamlTree.Scalar { Kind: not YamlTree.ScalarKind.Null } other ? "unknown key '" + ExperimentQuote.Of(other.Value) + "'" : "a key that is " + YamlTree.Describe(keyNode);
                    Problem(keyNode.Line, $"this dataset entry has {shown}; {Shape}");
                    ok = false;
                    continue;
                }

                if (kind is not null)
                {
                    Problem(key.Line, string.Create(CultureInfo.InvariantCulture, $"this dataset entry has both '{kind.Value}' (line {kind.Line}) and '{key.Value}'; {Shape}"));
                    ok = false;
                    continue;
                }

                kind = key;
                value = entryValue;
            }

            if (kind is null)
            {
                if (ok)
                {
                    Problem(item.Line, "this dataset entry is empty; " + Shape);
                }

                return null;
            }

            if (!ok)
            {
                return null;
            }

            if (value is not YamlTree.Scalar { Kind: not YamlTree.ScalarKind.Null } scalar || scalar.Value.Length == 0)
            {
                var empty = value is YamlTree.Scalar;
                Problem(empty ? kind.Line : value!.Line, $"'{kind.Value}' must be {(kind.Value == FileKey ? "a path" : "text")}, but it is {(empty ? "empty" : YamlTree.Describe(value!))}; {Shape}");
                return null;
            }

            return kind.Value == FileKey ? ReadFileEntry(scalar) : InlineText(scalar);
        }

        private DatasetText? InlineText(YamlTree.Scalar scalar)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"text on line {scalar.Line}");
            return Counted(scalar.Line, label, scalar.Value, "the inline text has no tokens (it is only whitespace); give text to compress");
        }

        private DatasetText? Counted(int line, string label, string text, string emptyMessage)
        {
            var tokens = DefaultTokenizer.Instance.CountTokens(text);
            if (tokens == 0)
            {
                Problem(line, emptyMessage);
                return null;
            }

            return new DatasetText(label, text, tokens);
        }

        private DatasetText? ReadFileEntry(YamlTree.Scalar scalar)
        {
            var relative = scalar.Value;
            var shown = ExperimentQuote.Of(relative, 200);
            var line = scalar.Line;
            if (relative.Contains('\0', StringComparison.Ordinal) || relative.Any(char.IsControl))
            {
                Problem(line, $"file '{shown}' is not a usable path (it contains control characters); give a path relative to the experiment file, such as data/sample.txt");
                return null;
            }

            if (Path.IsPathRooted(relative))
            {
                Problem(line, $"file '{shown}' is an absolute path; give a path relative to the experiment file, inside the package folder, such as data/sample.txt");
                return null;
            }

            string combined;
            string label;
            try
            {
                combined = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, relative));
                label = PrintableText.Of(Path.GetRelativePath(packageDirectory, combined));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or IOException)
            {
                Problem(line, $"file '{shown}' is not a usable path ({ExperimentQuote.Of(ex.Message, 200)}); give a path relative to the experiment file, such as data/sample.txt");
                return null;
            }

            var real = RealPath.Resolve(combined);
            if (real is null)
            {
                Problem(line, $"file '{shown}' goes through symbolic links that loop or cannot be read; point it at the data file itself");
                return null;
            }

            if (!RealPath.IsInside(real, packageRoot) || real.Equals(packageRoot, RealPath.Comparison))
            {
                Problem(line, $"file '{shown}' is outside the package folder ('{ExperimentQuote.Of(real, 200)}'); experiments read only files the package ships: copy the file into the package, e.g. {FolderName}/data/");
                return null;
            }

            var kind = FileKinds.Of(real);
            if (kind == FileKind.Missing)
            {
                Problem(line, $"file '{shown}' does not exist ('{ExperimentQuote.Of(combined, 200)}'); paths are relative to the experiment file's folder, so a file in {FolderName}/data/ is 'data/NAME'");
                return null;
            }

            if (kind is not (FileKind.Regular or FileKind.Unknown))
            {
                Problem(line, $"file '{shown}' is {FileKinds.Describe(kind)}, not a regular file, so it is not read; point it at a text file");
                return null;
            }

            ArraySegment<byte>? bytes;
            try
            {
                bytes = BoundedReader.ReadFile(real, BoundedReader.MaxInputBytes - _datasetBytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Problem(line, $"file '{shown}' cannot be read: {ExperimentQuote.Of(ex.Message, 240)}");
                return null;
            }

            if (bytes is not { } content)
            {
                Problem(line, $"file '{shown}' is too big: the dataset files of an experiment add up to at most {BoundedReader.MaxInputText} (the most compress reads); use a smaller sample");
                return null;
            }

            _datasetBytes += content.Count;
            var decoded = TextDecoder.Decode(content);
            if (!decoded.IsClean)
            {
                var problem = decoded.FirstInvalid is { } invalid && (decoded.FirstNul is null || invalid.Offset < decoded.FirstNul.Offset) ? invalid : decoded.FirstNul!;
                var where = string.Create(CultureInfo.InvariantCulture, $"{problem}, line {LineOfOffset(content, problem.Offset)}");
                Problem(line, decoded.FirstNul == problem
                    ? $"file '{shown}' looks like binary data, not text ({where}); give a UTF-8 text file"
                    : $"file '{shown}' is not valid {decoded.Encoding} text ({where}); save it as UTF-8");
                return null;
            }

            return Counted(line, label, decoded.Text, $"file '{shown}' has no tokens (it is empty or only whitespace); give a file with text to compress");
        }

        private List<int>? ReadBudgets(YamlTree.Node node)
        {
            const string Fix = "give a list of positive whole numbers of tokens, for example: budgets: [40, 80, 160]";
            if (node is not YamlTree.Sequence sequence)
            {
                Problem(node.Line, $"'budgets' must be a list, but it is {YamlTree.Describe(node)}; {Fix}");
                return null;
            }

            if (sequence.Items.Count == 0)
            {
                Problem(node.Line, "'budgets' is empty; " + Fix);
                return null;
            }

            var budgets = new List<int>();
            var lines = new Dictionary<int, int>();
            var ok = true;
            foreach (var item in sequence.Items)
            {
                if (ReadPositive(item, "budget", int.MaxValue, Fix) is not { } budget)
                {
                    ok = false;
                    continue;
                }

                if (lines.TryGetValue(budget, out var first))
                {
                    Problem(item.Line, string.Create(CultureInfo.InvariantCulture, $"budget {budget} is listed twice (first on line {first}); list each budget once"));
                    ok = false;
                    continue;
                }

                lines[budget] = item.Line;
                budgets.Add(budget);
            }

            return ok ? budgets : null;
        }

        private int? ReadRepeat(YamlTree.Node node) =>
            ReadPositive(node, "repeat", MaxRepeat, string.Create(CultureInfo.InvariantCulture, $"give how many times each text is compressed at each budget, from 1 to {MaxRepeat:N0} (default 1)"));

        private int? ReadPositive(YamlTree.Node node, string what, int max, string fix)
        {
            if (node is not YamlTree.Scalar scalar || scalar.Kind is not (YamlTree.ScalarKind.Integer or YamlTree.ScalarKind.Float))
            {
                var quoted = node is YamlTree.Scalar { Kind: YamlTree.ScalarKind.String } text && YamlTree.Scalar.IsDecimal(text.Value.Trim())
                    ? " (write the number without quotes)"
                    : string.Empty;
                Problem(node.Line, $"{what} must be a whole number, but it is {YamlTree.Describe(node)}{quoted}; {fix}");
                return null;
            }

            if (!YamlTree.Scalar.IsDecimal(scalar.Value))
            {
                Problem(node.Line, $"{what} '{ExperimentQuote.Of(scalar.Value)}' is not a whole decimal number; {fix}");
                return null;
            }

            var digits = scalar.Value.TrimStart('+', '-').TrimStart('0');
            var negative = scalar.Value.StartsWith('-');
            if (!negative && (digits.Length > 10 || (digits.Length > 0 && long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) > max)))
            {
                Problem(node.Line, string.Create(CultureInfo.InvariantCulture, $"{what} {ExperimentQuote.Of(scalar.Value)} is too large (at most {max:N0}); {fix}"));
                return null;
            }

            if (negative || digits.Length == 0)
            {
                Problem(node.Line, $"{what} {ExperimentQuote.Of(scalar.Value)} is not positive; {fix}");
                return null;
            }

            return int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        private void Problem(int line, string message)
        {
            if (_problems.Count >= MaxProblems)
            {
                _more++;
                return;
            }

            _problems.Add(new ExperimentProblem(file, Math.Max(1, line), message));
        }

        /// <summary>A hint for a misspelt key: <c>; did you mean 'budgets'?</c>.</summary>
        private static string Suggestion(string key)
        {
            var lower = key.Trim().ToLowerInvariant();
            var close = Keys.FirstOrDefault(k => k == lower || k + "s" == lower || k == lower + "s" || (lower.Length > 3 && k.StartsWith(lower[..3], StringComparison.Ordinal)));
            return close is null ? string.Empty : $" (did you mean '{close}'?)";
        }
    }
}
