// Linked source: see ManifestProblem.cs.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CompactMemory.Manifest;

/// <summary>The outcome of reading a manifest: the fields that could be read and every problem found.</summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
sealed class ManifestReadResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="manifest">The fields that could be read.</param>
    /// <param name="problems">Every problem, in a stable order.</param>
    public ManifestReadResult(EngineManifest manifest, IReadOnlyList<ManifestProblem> problems)
    {
        Manifest = manifest;
        Problems = problems;
    }

    /// <summary>The fields that could be read; a field with a problem is <see langword="null"/>.</summary>
    public EngineManifest Manifest { get; }

    /// <summary>
    /// Every problem, in a stable order: problems with the file as a whole, then the required fields in declared
    /// order, then the optional fields, then unknown fields in the order they appear.
    /// </summary>
    public IReadOnlyList<ManifestProblem> Problems { get; }

    /// <summary>Whether any problem is an error.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var problem in Problems)
            {
                if (problem.Severity == ManifestSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// Reads <c>engine_package.yaml</c> text into an <see cref="EngineManifest"/>, checking every field against
/// <see cref="ManifestSchema"/>. It never throws: hostile input (oversized text, invalid UTF-8, NUL characters,
/// alias bombs, long values used many times, deep nesting, a list or scalar at the root) becomes a problem, found
/// quickly and with bounded memory. Everything it builds is budgeted (<see cref="ManifestSchema.MaxNodes"/> nodes and
/// <see cref="ManifestSchema.MaxCharacters"/> characters, counting every alias each time it is used), messages
/// quote at most <see cref="ManifestSchema.MaxQuotedCharacters"/> characters of a value, and at most
/// <see cref="ManifestSchema.MaxProblems"/> problems are reported.
/// </summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
static class EngineManifestReader
{
    /// <summary>Reads manifest text.</summary>
    /// <param name="text">The text of an <c>engine_package.yaml</c>.</param>
    /// <returns>The fields and the problems.</returns>
    public static ManifestReadResult Read(string text)
    {
        try
        {
            return Capped(ReadText(text ?? string.Empty));
        }
        catch (Exception ex)
        {
            return Failed(ex);
        }
    }

    /// <summary>
    /// Reads the bytes of a manifest file: UTF-8, with or without a byte order mark. Bytes that are not UTF-8 are an
    /// error naming their offset and line (nothing is replaced silently), and so are NUL bytes and UTF-16 text.
    /// </summary>
    /// <param name="bytes">The file's bytes; <see langword="null"/> reads as an empty file.</param>
    /// <returns>The fields and the problems.</returns>
    public static ManifestReadResult ReadUtf8(byte[] bytes)
    {
        try
        {
            bytes ??= Array.Empty<byte>();
            if (bytes.Length > ManifestSchema.MaxBytes)
            {
                return Only(TooLarge(bytes.Length));
            }

            if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            {
                return Only(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.InvalidYaml, null,
                    "Invalid engine_package.yaml: the file is saved as UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8", 1, 1));
            }

            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            var invalid = ManifestBytes.FirstInvalidUtf8(bytes, start);
            var nul = Array.IndexOf(bytes, (byte)0, start);
            if (nul >= 0 && (invalid < 0 || nul < invalid))
            {
                ManifestBytes.Position(bytes, start, nul, out var line, out var column);
                return Only(NulProblem(string.Format(CultureInfo.InvariantCulture, " (byte offset {0})", nul), line, column));
            }

            if (invalid >= 0)
            {
                ManifestBytes.Position(bytes, start, invalid, out var line, out var column);
                return Only(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.InvalidYaml, null,
                    string.Format(CultureInfo.InvariantCulture, "Invalid engine_package.yaml: the file is not UTF-8: byte 0x{0:X2} at byte offset {1} does not begin a valid UTF-8 character; save the file as UTF-8", bytes[invalid], invalid),
                    line,
                    column));
            }

            return Capped(ReadText(Encoding.UTF8.GetString(bytes, start, bytes.Length - start)));
        }
        catch (Exception ex)
        {
            return Failed(ex);
        }
    }

    private static ManifestReadResult ReadText(string text)
    {
        var manifest = new EngineManifest();
        var problems = new List<ManifestProblem>();

        // UTF-8 never takes fewer bytes than characters, so the cheap length test settles most oversized input.
        var size = text.Length > ManifestSchema.MaxBytes ? text.Length : Encoding.UTF8.GetByteCount(text);
        if (size > ManifestSchema.MaxBytes)
        {
            problems.Add(TooLarge(Encoding.UTF8.GetByteCount(text)));
            return new ManifestReadResult(manifest, problems);
        }

        // YAML forbids NUL, and the parser would take it for a line break: refuse it, with its place.
        var nul = text.IndexOf('\0');
        if (nul >= 0)
        {
            ManifestBytes.Position(text, nul, out var line, out var column);
            problems.Add(NulProblem(string.Empty, line, column));
            return new ManifestReadResult(manifest, problems);
        }

        var root = YamlTree.Parse(text, ManifestSchema.MaxDepth, ManifestSchema.MaxNodes, ManifestSchema.MaxCharacters, out var failure);
        if (failure is not null)
        {
            problems.Add(YamlProblem(failure));
            return new ManifestReadResult(manifest, problems);
        }

        // An empty file counts as an empty mapping: every required field is then reported missing.
        var mapping = root as YamlTree.Mapping;
        if (root is not null && !(root is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null }) && mapping is null)
        {
            problems.Add(new ManifestProblem(
                ManifestSeverity.Error,
                ManifestProblemKind.RootNotMapping,
                null,
                "Invalid engine_package.yaml: the document must be a mapping of fields (key: value), but it is " + YamlTree.Describe(root),
                root.Line,
                root.Column));
            return new ManifestReadResult(manifest, problems);
        }

        var fields = new Dictionary<string, YamlTree.Node>(StringComparer.Ordinal);
        var keys = new Dictionary<string, YamlTree.Node>(StringComparer.Ordinal);
        var duplicates = new List<ManifestProblem>();
        var unknown = new List<ManifestProblem>();
        if (mapping is not null)
        {
            foreach (var entry in mapping.Entries)
            {
                if (entry.Key is not YamlTree.Scalar key || key.Kind == YamlTree.ScalarKind.Null)
                {
                    problems.Add(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.InvalidYaml, null,
                        "Invalid engine_package.yaml: field names must be plain words, but this key is " + YamlTree.Describe(entry.Key), entry.Key.Line, entry.Key.Column));
                    continue;
                }

                // A problem names its field as quoted (known names are short and plain, so they stay as they are):
                // no problem carries a long key that a consumer might copy into a diagnostic.
                var name = ManifestQuote.Of(key.Value);
                if (keys.TryGetValue(key.Value, out var first))
                {
                    var duplicate = new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.DuplicateField, name,
                        string.Format(CultureInfo.InvariantCulture, "Field '{0}' appears twice (first on line {1}); keep one", name, first.Line), key.Line, key.Column);

                    // Known fields report duplicates in their own slot; unknown ones where they appear.
                    (IsKnown(key.Value) ? duplicates : unknown).Add(duplicate);
                    continue;
                }

                keys[key.Value] = key;
                fields[key.Value] = entry.Value;
                manifest.Locations[key.Value] = new ManifestLocation(entry.Value.Line, entry.Value.Column);
                if (key.Value == MergeKey)
                {
                    // YAML 1.1 loaders (PyYAML among them) merge the mapping in; this reader does not, so the fields
                    // it holds would silently go missing or keep their defaults: an error, not an unknown field.
                    unknown.Add(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.UnknownField, key.Value,
                        "Merge key '<<' is not supported in engine_package.yaml: the fields it would merge are not read; write them out instead", key.Line, key.Column));
                }
                else if (!IsKnown(key.Value))
                {
                    var hint = ManifestSchema.LegacyFields.TryGetValue(key.Value, out var legacy) ? legacy : "check its spelling, or delete it";
                    unknown.Add(new ManifestProblem(ManifestSeverity.Warning, ManifestProblemKind.UnknownField, name,
                        "Unknown field '" + name + "' is ignored; " + hint, key.Line, key.Column));
                }
            }
        }

        var reader = new FieldReader(fields, problems, duplicates);
        manifest.PackageFormatVersion = reader.RequiredString(ManifestSchema.PackageFormatVersion);
        if (manifest.PackageFormatVersion is { } format && format != ManifestSchema.SupportedFormatVersion)
        {
            reader.Invalid(ManifestSchema.PackageFormatVersion, "Unsupported package_format_version '" + ManifestQuote.Of(format) + "'; this SDK reads '" + ManifestSchema.SupportedFormatVersion + "'");
            manifest.PackageFormatVersion = null;
        }

        manifest.EngineId = reader.RequiredString(ManifestSchema.EngineId);
        if (manifest.EngineId is { } id)
        {
            var idProblem = EngineIdRules.Check(id);
            if (idProblem is not null)
            {
                reader.Add(ManifestSchema.EngineId, idProblem.Value.Severity, idProblem.Value.Severity == ManifestSeverity.Error ? ManifestProblemKind.InvalidValue : ManifestProblemKind.NamingConvention, idProblem.Value.Message);
                if (idProblem.Value.Severity == ManifestSeverity.Error)
                {
                    manifest.EngineId = null;
                }
            }
        }

        manifest.EngineClassName = reader.RequiredString(ManifestSchema.EngineClassName);
        if (manifest.EngineClassName is { } className && !IsTypeName(className))
        {
            reader.Invalid(ManifestSchema.EngineClassName, "engine_class_name '" + ManifestQuote.Of(className) + "' is not a .NET type name; use the namespace-qualified class name, for example 'MyCompany.Engines.MyEngine'");
            manifest.EngineClassName = null;
        }

        manifest.EngineModule = reader.RequiredString(ManifestSchema.EngineModule);
        if (manifest.EngineModule is { } module && CheckModule(module) is { } moduleProblem)
        {
            reader.Invalid(ManifestSchema.EngineModule, moduleProblem);
            manifest.EngineModule = null;
        }

        manifest.DisplayName = reader.RequiredString(ManifestSchema.DisplayName);
        manifest.Version = reader.RequiredString(ManifestSchema.Version);
        manifest.Authors = reader.Authors();
        manifest.Description = reader.RequiredString(ManifestSchema.Description);
        manifest.Dependencies = reader.OptionalStringList(ManifestSchema.Dependencies);
        manifest.Requirements = reader.OptionalStringList(ManifestSchema.Requirements);
        manifest.OverridesBuiltIn = reader.OptionalBoolean(ManifestSchema.OverridesBuiltIn);
        problems.AddRange(unknown);
        return new ManifestReadResult(manifest, problems);
    }

    private static ManifestReadResult Only(ManifestProblem problem) => new(new EngineManifest(), new[] { problem });

    private static ManifestProblem NulProblem(string offset, int line, int column) => new(
        ManifestSeverity.Error,
        ManifestProblemKind.InvalidYaml,
        null,
        "Invalid engine_package.yaml: the file contains a NUL character" + offset + ", which YAML does not allow; a manifest is UTF-8 text (is this a binary file, or one saved as UTF-16?)",
        line,
        column);

    /// <summary>Why the YAML could not be read, as a manifest problem: the parser's words, with a manifest's fix where it has one.</summary>
    private static ManifestProblem YamlProblem(YamlTree.Failure failure)
    {
        var fix = failure.Kind switch
        {
            YamlTree.FailureKind.Nodes => "; a manifest needs a few dozen",
            YamlTree.FailureKind.TagCharacters => "; a manifest needs no tags",
            _ => string.Empty,
        };
        return new ManifestProblem(
            ManifestSeverity.Error,
            failure.IsLimit ? ManifestProblemKind.LimitExceeded : ManifestProblemKind.InvalidYaml,
            null,
            "Invalid engine_package.yaml: " + failure.Message + fix,
            failure.Line,
            failure.Column);
    }

    /// <summary>Keeps the first <see cref="ManifestSchema.MaxProblems"/> − 1 problems and says how many more there were.</summary>
    private static ManifestReadResult Capped(ManifestReadResult result)
    {
        var problems = result.Problems;
        if (problems.Count <= ManifestSchema.MaxProblems)
        {
            return result;
        }

        var kept = new List<ManifestProblem>(ManifestSchema.MaxProblems);
        for (var i = 0; i < ManifestSchema.MaxProblems - 1; i++)
        {
            kept.Add(problems[i]);
        }

        var errors = 0;
        for (var i = ManifestSchema.MaxProblems - 1; i < problems.Count; i++)
        {
            if (problems[i].Severity == ManifestSeverity.Error)
            {
                errors++;
            }
        }

        var more = problems.Count - kept.Count;
        kept.Add(new ManifestProblem(
            errors > 0 ? ManifestSeverity.Error : ManifestSeverity.Warning,
            ManifestProblemKind.MoreProblems,
            null,
            string.Format(CultureInfo.InvariantCulture, "\u2026and {0:N0} more problems ({1:N0} errors, {2:N0} warnings) not listed; fix the ones above and read the file again", more, errors, more - errors),
            0,
            0));
        return new ManifestReadResult(result.Manifest, kept);
    }

    /// <summary>The last line of defence of the never-throw promise: a bug in the reader is reported, not thrown.</summary>
    private static ManifestReadResult Failed(Exception ex) => Only(new ManifestProblem(
        ManifestSeverity.Error,
        ManifestProblemKind.InvalidYaml,
        null,
        "Invalid engine_package.yaml: the manifest reader failed on this file (" + ex.GetType().Name + "); this is a bug in CompactMemory, please report it with the file",
        0,
        0));

    /// <summary>The problem reported for a manifest larger than <see cref="ManifestSchema.MaxBytes"/>.</summary>
    /// <param name="size">The size found, in bytes or characters.</param>
    /// <returns>The problem.</returns>
    public static ManifestProblem TooLarge(long size) => new ManifestProblem(
        ManifestSeverity.Error,
        ManifestProblemKind.TooLarge,
        null,
        string.Format(CultureInfo.InvariantCulture, "Invalid engine_package.yaml: the file is {0:N0} bytes; a manifest may be at most {1:N0} bytes", size, ManifestSchema.MaxBytes),
        0,
        0);

    private const string MergeKey = "<<";

    private static bool IsKnown(string key)
    {
        foreach (var field in ManifestSchema.RequiredFields)
        {
            if (field == key)
            {
                return true;
            }
        }

        foreach (var field in ManifestSchema.OptionalFields)
        {
            if (field == key)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A namespace-qualified .NET type name: identifiers joined by '.', with '+' for nested types.</summary>
    private static bool IsTypeName(string name)
    {
        var expectStart = true;
        foreach (var c in name)
        {
            if (expectStart)
            {
                if (!(char.IsLetter(c) || c == '_'))
                {
                    return false;
                }

                expectStart = false;
            }
            else if (c == '.' || c == '+')
            {
                expectStart = true;
            }
            else if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return !expectStart;
    }

    private static string? CheckModule(string module)
    {
        if (module.IndexOf('/') >= 0 || module.IndexOf('\\') >= 0 || module.IndexOf(':') >= 0 || module.StartsWith(".", StringComparison.Ordinal))
        {
            return "engine_module '" + ManifestQuote.Of(module) + "' must name an assembly inside the package folder, not a path; remove the directory part";
        }

        if (module.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return "engine_module '" + ManifestQuote.Of(module) + "' must be the assembly name without '.dll': " + ManifestQuote.Of(module.Substring(0, module.Length - 4));
        }

        foreach (var c in module)
        {
            if (!(char.IsLetterOrDigit(c) || c == '.' || c == '_' || c == '-'))
            {
                return "engine_module '" + ManifestQuote.Of(module) + "' is not an assembly name; use letters, digits, '.', '_' and '-' only";
            }
        }

        return null;
    }

    /// <summary>Reads fields one at a time, recording a problem for each that is missing or malformed.</summary>
    private sealed class FieldReader
    {
        private readonly Dictionary<string, YamlTree.Node> _fields;
        private readonly List<ManifestProblem> _problems;
        private readonly List<ManifestProblem> _duplicates;

        public FieldReader(Dictionary<string, YamlTree.Node> fields, List<ManifestProblem> problems, List<ManifestProblem> duplicates)
        {
            _fields = fields;
            _problems = problems;
            _duplicates = duplicates;
        }

        public string? RequiredString(string field)
        {
            AddDuplicates(field);
            if (!_fields.TryGetValue(field, out var node))
            {
                _problems.Add(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.MissingField, field, "Missing required field: " + field, 0, 0));
                return null;
            }

            return String(field, node);
        }

        public IReadOnlyList<ManifestAuthor>? Authors()
        {
            const string field = ManifestSchema.Authors;
            AddDuplicates(field);
            if (!_fields.TryGetValue(field, out var node))
            {
                _problems.Add(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.MissingField, field, "Missing required field: " + field, 0, 0));
                return null;
            }

            if (node is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null })
            {
                Add(field, ManifestSeverity.Error, ManifestProblemKind.EmptyField, "Field 'authors' is empty; list at least one author, for example: authors: [\"Ada Lovelace <ada@example.com>\"]");
                return null;
            }

            if (node is not YamlTree.Sequence list)
            {
                Add(field, ManifestSeverity.Error, ManifestProblemKind.WrongType, "Field 'authors' must be a list, but it is " + YamlTree.Describe(node) + "; write it as: authors: [\"Ada Lovelace <ada@example.com>\"]");
                return null;
            }

            if (list.Items.Count == 0)
            {
                Add(field, ManifestSeverity.Error, ManifestProblemKind.EmptyField, "Field 'authors' lists no one; add at least one author");
                return null;
            }

            var authors = new List<ManifestAuthor>();
            var valid = true;
            for (var i = 0; i < list.Items.Count; i++)
            {
                var item = list.Items[i];
                if (item is YamlTree.Scalar { Kind: YamlTree.ScalarKind.String } name && name.Value.Trim().Length > 0)
                {
                    authors.Add(new ManifestAuthor(name.Value, null));
                }
                else if (item is YamlTree.Mapping person && AuthorFrom(person) is { } author)
                {
                    authors.Add(author);
                }
                else
                {
                    valid = false;
                    _problems.Add(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.WrongType, field,
                        string.Format(CultureInfo.InvariantCulture, "authors[{0}] must be a name or a mapping with 'name' (and optional 'email'), but it is {1}", i, YamlTree.Describe(item)),
                        item.Line, item.Column));
                }
            }

            return valid ? authors : null;
        }

        public IReadOnlyList<string>? OptionalStringList(string field)
        {
            AddDuplicates(field);
            if (!_fields.TryGetValue(field, out var node) || node is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null })
            {
                return null;
            }

            if (node is not YamlTree.Sequence list)
            {
                Add(field, ManifestSeverity.Error, ManifestProblemKind.WrongType, "Field '" + field + "' must be a list of strings, but it is " + YamlTree.Describe(node));
                return null;
            }

            var values = new List<string>();
            for (var i = 0; i < list.Items.Count; i++)
            {
                if (list.Items[i] is YamlTree.Scalar { Kind: YamlTree.ScalarKind.String } value)
                {
                    values.Add(value.Value);
                }
                else
                {
                    _problems.Add(new ManifestProblem(ManifestSeverity.Error, ManifestProblemKind.WrongType, field,
                        string.Format(CultureInfo.InvariantCulture, "{0}[{1}] must be a string, but it is {2}; quote it", field, i, YamlTree.Describe(list.Items[i])),
                        list.Items[i].Line, list.Items[i].Column));
                    return null;
                }
            }

            return values;
        }

        public bool OptionalBoolean(string field)
        {
            AddDuplicates(field);
            if (!_fields.TryGetValue(field, out var node) || node is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null })
            {
                return false;
            }

            if (node is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Boolean } flag)
            {
                return flag.AsBoolean();
            }

            Add(field, ManifestSeverity.Error, ManifestProblemKind.WrongType, "Field '" + field + "' must be true or false, but it is " + YamlTree.Describe(node));
            return false;
        }

        public void Invalid(string field, string message) => Add(field, ManifestSeverity.Error, ManifestProblemKind.InvalidValue, message);

        public void Add(string field, ManifestSeverity severity, ManifestProblemKind kind, string message)
        {
            var node = _fields.TryGetValue(field, out var found) ? found : null;
            _problems.Add(new ManifestProblem(severity, kind, field, message, node?.Line ?? 0, node?.Column ?? 0));
        }

        private string? String(string field, YamlTree.Node node)
        {
            if (node is YamlTree.Scalar scalar)
            {
                switch (scalar.Kind)
                {
                    case YamlTree.ScalarKind.String when scalar.Value.Trim().Length > 0:
                        return scalar.Value;
                    case YamlTree.ScalarKind.String:
                    case YamlTree.ScalarKind.Null:
                        Add(field, ManifestSeverity.Error, ManifestProblemKind.EmptyField, "Field '" + field + "' is empty; give it a value");
                        return null;
                    default:
                        // The quoting fix is shown whole only when the value is short enough to quote whole.
                        var quoted = ManifestQuote.Of(scalar.Value);
                        var fix = ReferenceEquals(quoted, scalar.Value) ? "quote it: " + field + ": \"" + quoted + "\"" : "put the value in double quotes";
                        Add(field, ManifestSeverity.Error, ManifestProblemKind.WrongType,
                            "Field '" + field + "' must be a string, but YAML reads " + quoted + " as " + YamlTree.Describe(scalar) + "; " + fix);
                        return null;
                }
            }

            Add(field, ManifestSeverity.Error, ManifestProblemKind.WrongType, "Field '" + field + "' must be a string, but it is " + YamlTree.Describe(node));
            return null;
        }

        private static ManifestAuthor? AuthorFrom(YamlTree.Mapping person)
        {
            string? name = null;
            string? email = null;
            foreach (var entry in person.Entries)
            {
                if (entry.Key is YamlTree.Scalar key && entry.Value is YamlTree.Scalar { Kind: YamlTree.ScalarKind.String } value)
                {
                    if (key.Value == "name")
                    {
                        name = value.Value;
                    }
                    else if (key.Value == "email")
                    {
                        email = value.Value;
                    }
                }
            }

            return name is null || name.Trim().Length == 0 ? null : new ManifestAuthor(name, email);
        }

        private void AddDuplicates(string field)
        {
            foreach (var duplicate in _duplicates)
            {
                if (duplicate.Field == field)
                {
                    _problems.Add(duplicate);
                }
            }
        }
    }
}

/// <summary>The rules for engine ids, shared by the manifest reader, the registry and (later) the analyzers.</summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
static class EngineIdRules
{
    /// <summary>Checks an engine id: empty or whitespace is an error; anything but lowercase snake_case or kebab-case is a warning.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The problem, or <see langword="null"/> when the id is fine.</returns>
    public static (ManifestSeverity Severity, string Message)? Check(string id)
    {
        if (id is null || id.Length == 0)
        {
            return (ManifestSeverity.Error, "engine_id is empty; give the engine an id such as 'my_engine'");
        }

        foreach (var c in id)
        {
            if (char.IsWhiteSpace(c))
            {
                return (ManifestSeverity.Error, "engine_id '" + ManifestQuote.Of(id) + "' contains whitespace; ids are typed on command lines, so use '" + ManifestQuote.Of(Suggest(id)) + "'");
            }
        }

        return IsConventional(id)
            ? null
            : (ManifestSeverity.Warning, "engine_id '" + ManifestQuote.Of(id) + "' is not lowercase snake_case or kebab-case; prefer '" + ManifestQuote.Of(Suggest(id)) + "'");
    }

    /// <summary>Whether an id is lowercase ASCII words joined by single '_' or '-'.</summary>
    /// <param name="id">The id.</param>
    /// <returns>True for ids like <c>first_last</c> or <c>my-engine2</c>.</returns>
    public static bool IsConventional(string id)
    {
        if (id.Length == 0)
        {
            return false;
        }

        var previousWasSeparator = true;
        foreach (var c in id)
        {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            {
                previousWasSeparator = false;
            }
            else if ((c == '_' || c == '-') && !previousWasSeparator)
            {
                previousWasSeparator = true;
            }
            else
            {
                return false;
            }
        }

        return !previousWasSeparator;
    }

    /// <summary>A conventional spelling of an id: <c>MyEngine v2</c> becomes <c>my_engine_v2</c>.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The suggested id.</returns>
    public static string Suggest(string id)
    {
        var builder = new StringBuilder();
        var previous = '\0';
        foreach (var c in id)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (char.IsUpper(c) && builder.Length > 0 && (char.IsLower(previous) || char.IsDigit(previous)) && builder[builder.Length - 1] != '_')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '_' && builder[builder.Length - 1] != '-')
            {
                builder.Append(c == '-' ? '-' : '_');
            }

            previous = c;
        }

        return builder.ToString().TrimEnd('_', '-');
    }
}
