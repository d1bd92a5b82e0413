using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CompactMemory.Cli.Templates;

/// <summary>The project a template writes: relative paths (with '/') and their text.</summary>
/// <param name="Symbols">The value of every symbol template.json declares, by symbol name.</param>
/// <param name="Files">The files, in ordinal order of their paths.</param>
internal sealed record RenderedTemplate(IReadOnlyDictionary<string, string> Symbols, IReadOnlyList<(string Path, string Text)> Files);

/// <summary>
/// One of the engine templates of CompactMemory.Templates, embedded in the CLI from the same source files the template
/// pack ships. Rendering does what <c>dotnet new</c> does with the template's <c>.template.config/template.json</c>:
/// the name replaces <c>sourceName</c> in paths and text, its namespace form (see <see cref="SafeNamespace"/>) replaces
/// the namespace form of <c>sourceName</c> in text (the templates use these two forms only), and each generated symbol (the <c>regex</c> and
/// <c>casing</c> generators, evaluated in dependency order) replaces its <c>replaces</c> text, and its
/// <c>fileRename</c> text in paths, longest match first. The rules live in template.json only.
/// </summary>
internal sealed class EngineTemplate
{
    /// <summary>The placeholder for the CompactMemory.Sdk version in the template source; packing the templates replaces it too.</summary>
    public const string SdkVersionToken = "COMPACTMEMORY_SDK_VERSION";

    /// <summary>The template's configuration, relative to its folder; it is not written into the project.</summary>
    private const string ConfigFile = ".template.config/template.json";

    /// <summary>The logical-name prefix of the embedded template files (see the CLI project file).</summary>
    private const string ResourcePrefix = "templates/";

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyDictionary<string, byte[]> _files;

    private EngineTemplate(string folder, JsonObject config, IReadOnlyDictionary<string, byte[]> files)
    {
        Folder = folder;
        Config = config;
        _files = files;
        SourceName = RequiredString(config, "sourceName");
        ShortName = RequiredString(config, "shortName");
    }

    /// <summary>The engine kinds <c>create-engine-package --kind</c> accepts, and the template folder of each.</summary>
    public static IReadOnlyDictionary<string, string> Kinds { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["compression"] = "compact-memory-engine",
        ["context"] = "compact-memory-context-engine",
    };

    /// <summary>The template's folder name under content/ (also its short name).</summary>
    public string Folder { get; }

    /// <summary>The template's <c>shortName</c>.</summary>
    public string ShortName { get; }

    /// <summary>The text the project name replaces.</summary>
    public string SourceName { get; }

    /// <summary>The parsed template.json.</summary>
    public JsonObject Config { get; }

    /// <summary>The template's files (template.json excluded), by path relative to the template folder, with '/'.</summary>
    public IEnumerable<string> Paths => _files.Keys.Where(p => p != ConfigFile).OrderBy(p => p, StringComparer.Ordinal);

    /// <summary>Every embedded file of every template, by path relative to content/, with '/'.</summary>
    public static IReadOnlyDictionary<string, byte[]> EmbeddedFiles()
    {
        var assembly = typeof(EngineTemplate).Assembly;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            files[normalized[ResourcePrefix.Length..]] = buffer.ToArray();
        }

        return files;
    }

    /// <summary>Loads an embedded template by its folder name.</summary>
    /// <param name="folder">The folder under content/, such as <c>compact-memory-engine</c>.</param>
    /// <returns>The template.</returns>
    /// <exception cref="InvalidOperationException">The CLI was built without the template, or its template.json is unusable.</exception>
    public static EngineTemplate Load(string folder)
    {
        var prefix = folder + "/";
        var files = EmbeddedFiles()
            .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[prefix.Length..], f => f.Value, StringComparer.Ordinal);
        if (!files.TryGetValue(ConfigFile, out var config))
        {
            throw new InvalidOperationException($"The template '{folder}' is not embedded in compact-memory (no {ConfigFile}); the command was built without CompactMemory.Templates/content.");
        }

        var json = JsonNode.Parse(Decode(config, ConfigFile)) as JsonObject
            ?? throw new InvalidOperationException($"The {ConfigFile} of template '{folder}' is not a JSON object.");
        return new EngineTemplate(folder, json, files);
    }

    /// <summary>Writes the template's files in memory for a project name and an SDK version.</summary>
    /// <param name="name">The project name (a valid dotted C# identifier; see <see cref="ProjectNames"/>).</param>
    /// <param name="sdkVersion">The CompactMemory.Sdk version the engine project asks for.</param>
    /// <returns>The symbols and the files.</returns>
    public RenderedTemplate Render(string name, string sdkVersion)
    {
        var symbols = EvaluateSymbols(name);
        var textReplacements = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SourceName] = name,
            [SafeNamespace(SourceName)] = SafeNamespace(name),
        };
        var pathReplacements = new Dictionary<string, string>(StringComparer.Ordinal) { [SourceName] = name };
        foreach (var (symbolName, symbol) in SymbolDefinitions())
        {
            if (OptionalString(symbol, "replaces") is { Length: > 0 } replaces)
            {
                textReplacements[replaces] = symbols[symbolName];
            }

            if (OptionalString(symbol, "fileRename") is { Length: > 0 } fileRename)
            {
                pathReplacements[fileRename] = symbols[symbolName];
            }
        }

        var files = new List<(string Path, string Text)>();
        foreach (var path in Paths)
        {
            // The pack writes the version first, then dotnet new applies template.json: the same order here.
            var text = Decode(_files[path], Folder + "/" + path).Replace(SdkVersionToken, sdkVersion, StringComparison.Ordinal);
            files.Add((ReplaceAll(path, pathReplacements), ReplaceAll(text, textReplacements)));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new RenderedTemplate(symbols, files);
    }

    /// <summary>
    /// The template engine's namespace form of a name: in each dot-separated part, every character that cannot be in a
    /// C# identifier becomes '_', and a part starting with a digit gets a leading '_' (<c>MyCompany.My-Engine</c> gives
    /// <c>MyCompany.My_Engine</c>). A name the command accepts is its own namespace form.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>The namespace form.</returns>
    public static string SafeNamespace(string name) =>
        string.Join('.', name.Split('.').Select(part =>
        {
            var safe = new string(part.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
            return safe.Length > 0 && char.IsDigit(safe[0]) ? "_" + safe : safe;
        }));

    /// <summary>
    /// Replaces every occurrence of the keys in one pass, left to right, taking the longest key that matches at each
    /// position (as the template engine does), so a replacement is never replaced again.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="replacements">What to replace with what.</param>
    /// <returns>The text with the replacements made.</returns>
    public static string ReplaceAll(string text, IReadOnlyDictionary<string, string> replacements)
    {
        var keys = replacements.Keys.Where(k => k.Length > 0).OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).ToArray();
        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var match = keys.FirstOrDefault(k => string.CompareOrdinal(text, position, k, 0, k.Length) == 0);
            if (match is null)
            {
                builder.Append(text[position]);
                position++;
            }
            else
            {
                builder.Append(replacements[match]);
                position += match.Length;
            }
        }

        return builder.ToString();
    }

    private IEnumerable<(string Name, JsonObject Symbol)> SymbolDefinitions()
    {
        if (Config["symbols"] is not JsonObject symbols)
        {
            yield break;
        }

        foreach (var (name, value) in symbols)
        {
            yield return (name, value as JsonObject ?? throw Unsupported($"symbol '{name}' is not a JSON object"));
        }
    }

    /// <summary>Evaluates every symbol from the name, each after the symbols it is computed from.</summary>
    private Dictionary<string, string> EvaluateSymbols(string name)
    {
        var definitions = SymbolDefinitions().ToDictionary(s => s.Name, s => s.Symbol, StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (values.Count < definitions.Count)
        {
            var progressed = false;
            foreach (var (symbolName, symbol) in definitions.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                if (values.ContainsKey(symbolName))
                {
                    continue;
                }

                if (RequiredString(symbol, "type") != "generated")
                {
                    throw Unsupported($"symbol '{symbolName}' is of type '{RequiredString(symbol, "type")}'; only generated symbols are supported");
                }

                var parameters = symbol["parameters"] as JsonObject ?? throw Unsupported($"symbol '{symbolName}' has no parameters");
                var source = RequiredString(parameters, "source");
                string? input = source == "name" ? name : values.TryGetValue(source, out var computed) ? computed : null;
                if (input is null)
                {
                    if (!definitions.ContainsKey(source))
                    {
                        throw Unsupported($"symbol '{symbolName}' is computed from '{source}', which is neither 'name' nor a symbol");
                    }

                    continue;
                }

                values[symbolName] = Generate(symbolName, RequiredString(symbol, "generator"), parameters, input);
                progressed = true;
            }

            if (!progressed)
            {
                throw Unsupported("its symbols are computed from each other in a cycle");
            }
        }

        return values;
    }

    private InvalidOperationException Unsupported(string problem) =>
        new InvalidOperationException($"The template '{Folder}' cannot be written by create-engine-package: in {ConfigFile}, {problem}.");

    private string Generate(string symbolName, string generator, JsonObject parameters, string input)
    {
        switch (generator)
        {
            case "regex":
                var value = input;
                var steps = parameters["steps"] as JsonArray ?? throw Unsupported($"the regex symbol '{symbolName}' has no steps");
                foreach (var step in steps)
                {
                    var stepObject = step as JsonObject ?? throw Unsupported($"a step of symbol '{symbolName}' is not a JSON object");
                    value = Regex.Replace(value, RequiredString(stepObject, "regex"), RequiredString(stepObject, "replacement"), RegexOptions.None, RegexTimeout);
                }

                return value;
            case "casing":
                var toLower = parameters["toLower"] is JsonValue lower && lower.TryGetValue<bool>(out var flag) ? flag : true;
                return toLower ? input.ToLowerInvariant() : input.ToUpperInvariant();
            default:
                throw Unsupported($"symbol '{symbolName}' uses the generator '{generator}'; only 'regex' and 'casing' are supported");
        }
    }

    private string RequiredString(JsonObject json, string property) =>
        OptionalString(json, property) ?? throw Unsupported($"'{property}' is missing or not a string");

    private static string? OptionalString(JsonObject json, string property) =>
        json[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Decode(byte[] bytes, string path)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidOperationException($"The template file '{path}' is not UTF-8 text: {ex.Message}", ex);
        }
    }
}
