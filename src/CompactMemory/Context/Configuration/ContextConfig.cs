using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using CompactMemory.IO;
using CompactMemory.Manifest;

namespace CompactMemory.Context;

/// <summary>
/// The context-engine keys of <c>config.yaml</c>: <c>compression:</c> (the built-in compressor, and <c>enabled</c> for
/// every engine), <c>auxiliary.compression:</c> (the summary model), <c>context.engine</c> (which engine runs) and
/// <c>model_thresholds</c> (per-model thresholds; read at the top level or under <c>compression:</c>, the latter winning
/// per key). Every other key of the file is ignored, so one file can configure a whole agent. A value of the wrong
/// type is refused with the file, the line, the key and the type expected.
/// </summary>
/// <example>
/// <code>
/// compression:
///   enabled: true
///   threshold: 0.50
///   target_ratio: 0.20
///   protect_last_n: 20
///   protect_first_n: 3
/// auxiliary:
///   compression:
///     model: ""
///     timeout: 120
/// context:
///   engine: compressor
/// model_thresholds:
///   gpt-4o-mini: 0.60
/// </code>
/// </example>
public sealed class ContextConfig
{
    /// <summary>The largest <c>config.yaml</c> read, in bytes (1 MiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    private const int MaxDepth = 64;
    private const int MaxNodes = 100_000;
    private const long MaxCharacters = 4L * MaxFileBytes;

    private ContextConfig(string? sourceName, CompressionSettings compression, AuxiliarySettings auxiliary, ContextSettings context, IReadOnlyDictionary<string, double> modelThresholds)
    {
        SourceName = sourceName;
        Compression = compression;
        Auxiliary = auxiliary;
        Context = context;
        ModelThresholds = modelThresholds;
    }

    /// <summary>The configuration of an empty file: every default.</summary>
    public static ContextConfig Default { get; } = new(null, new CompressionSettings(), new AuxiliarySettings(), new ContextSettings(), ModelThresholdMaps.Empty);

    /// <summary>Where the configuration was read from (a path or the name given to <see cref="Parse"/>), or <see langword="null"/> for <see cref="Default"/>.</summary>
    public string? SourceName { get; }

    /// <summary>The <c>compression:</c> section.</summary>
    public CompressionSettings Compression { get; }

    /// <summary>The <c>auxiliary:</c> section (<c>auxiliary.compression</c> is the summary model).</summary>
    public AuxiliarySettings Auxiliary { get; }

    /// <summary>The <c>context:</c> section (<c>context.engine</c>).</summary>
    public ContextSettings Context { get; }

    /// <summary>Per-model thresholds: model-name substring → share of the window in (0, 1], in file order.</summary>
    public IReadOnlyDictionary<string, double> ModelThresholds { get; }

    /// <summary>Reads <c>config.yaml</c> from a file (UTF-8, a BOM tolerated, at most <see cref="MaxFileBytes"/>).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read, is not YAML, or a value has the wrong type; the message names the file, the line, the key and the fix.</exception>
    public static ContextConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing)
        {
            throw new ConfigurationException($"Config file '{path}' does not exist; give the path of a config.yaml, or leave the option out to use the defaults.");
        }

        if (kind is not (FileKind.Regular or FileKind.Unknown))
        {
            throw new ConfigurationException($"Config file '{path}' is {FileKinds.Describe(kind)}, not a regular file; give the path of a config.yaml.");
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxFileBytes)
                {
                    throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture, $"Config file '{path}' is larger than {MaxFileBytes / 1024} KiB, the most read; a config.yaml is a few lines — check the path."));
                }
            }

            bytes = buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ConfigurationException($"Config file '{path}' cannot be read: {ex.Message}", ex);
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ConfigurationException($"Config file '{path}' is not UTF-8 text; save it as UTF-8.", ex);
        }

        return Parse(text, path);
    }

    /// <summary>Reads <c>config.yaml</c> text.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourceName">The name used in error messages (a path); <c>config.yaml</c> when <see langword="null"/>.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The text is not YAML or a value has the wrong type; the message names the source, the line, the key and the fix.</exception>
    public static ContextConfig Parse(string yaml, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var reader = new Reader(sourceName ?? "config.yaml");
        if (yaml.Length > 0 && yaml[0] == '\uFEFF')
        {
            yaml = yaml.Substring(1);
        }

        var root = YamlTree.Parse(yaml, MaxDepth, MaxNodes, MaxCharacters, out var failure);
        if (failure is not null)
        {
            throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture, $"{reader.Source}:{failure.Line}: the file is not valid YAML: {failure.Message}. Fix the YAML at that line."));
        }

        return reader.Read(root, sourceName);
    }

    /// <summary>
    /// The built-in compressor's options from this configuration: <c>compression:</c> keys, the summary-model override
    /// and timeout of <c>auxiliary.compression</c>, and <see cref="ModelThresholds"/>.
    /// </summary>
    /// <param name="model">The main model's name, if known.</param>
    /// <param name="contextLength">The main model's context window, if known (the compressor's default otherwise).</param>
    /// <param name="maxTokens">The main model's output-token limit, if any.</param>
    /// <returns>The options.</returns>
    public ContextCompressorOptions ToCompressorOptions(string? model = null, int? contextLength = null, int? maxTokens = null) => new()
    {
        Model = model ?? string.Empty,
        ThresholdPercent = Compression.Threshold,
        ProtectFirstN = Compression.ProtectFirstN,
        ProtectLastN = Compression.ProtectLastN,
        SummaryTargetRatio = Compression.TargetRatio,
        SummaryModelOverride = string.IsNullOrEmpty(Auxiliary.Compression.Model) ? null : Auxiliary.Compression.Model,
        ContextLength = contextLength,
        MaxTokens = maxTokens,
        AbortOnSummaryFailure = Compression.AbortOnSummaryFailure,
        ModelThresholds = ModelThresholds.Count == 0 ? null : ModelThresholds,
        SummaryTimeout = Auxiliary.Compression.Timeout,
    };

    /// <summary>Reads the tree, naming the source in every error.</summary>
    private sealed class Reader
    {
        private const string ThresholdType = "a number in (0, 1] — a share of the context window, such as 0.50";

        public Reader(string source)
        {
            Source = source;
        }

        public string Source { get; }

        public ContextConfig Read(YamlTree.Node? root, string? sourceName)
        {
            var compression = new CompressionSettings();
            var auxiliary = new AuxiliaryModelSettings();
            var context = new ContextSettings();
            var thresholds = new Dictionary<string, double>(StringComparer.Ordinal);
            var sectionThresholds = new Dictionary<string, double>(StringComparer.Ordinal);
            if (root is null || root is YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null })
            {
                return new ContextConfig(sourceName, compression, new AuxiliarySettings(), context, thresholds);
            }

            if (root is not YamlTree.Mapping top)
            {
                throw Fail(root, "the file must be a mapping of sections such as 'compression:' and 'context:'; got " + Describe(root));
            }

            foreach (var (key, value) in Entries(top))
            {
                switch (key)
                {
                    case "compression":
                        compression = ReadCompression(Section(value, "compression"), sectionThresholds);
                        break;
                    case "auxiliary":
                        foreach (var (auxKey, auxValue) in Entries(Section(value, "auxiliary")))
                        {
                            if (auxKey == "compression")
                            {
                                auxiliary = ReadAuxiliary(Section(auxValue, "auxiliary.compression"));
                            }
                        }

                        break;
                    case "context":
                        foreach (var (contextKey, contextValue) in Entries(Section(value, "context")))
                        {
                            if (contextKey == "engine")
                            {
                                context = new ContextSettings { Engine = EngineName(contextValue) };
                            }
                        }

                        break;
                    case "model_thresholds":
                        ReadThresholds(value, "model_thresholds", thresholds);
                        break;
                }
            }

            foreach (var pair in sectionThresholds)
            {
                thresholds[pair.Key] = pair.Value;
            }

            return new ContextConfig(sourceName, compression, new AuxiliarySettings { Compression = auxiliary }, context, thresholds);
        }

        private CompressionSettings ReadCompression(YamlTree.Mapping? section, Dictionary<string, double> thresholds)
        {
            var settings = new CompressionSettings();
            foreach (var (key, value) in Entries(section))
            {
                var name = "compression." + key;
                settings = key switch
                {
                    "enabled" => settings with { Enabled = Enabled(value, name) },
                    "threshold" => settings with { Threshold = Share(value, name) ?? settings.Threshold },
                    "target_ratio" => settings with { TargetRatio = Number(value, name, "a number such as 0.20 (clamped to [0.10, 0.80])") ?? settings.TargetRatio },
                    "protect_last_n" => settings with { ProtectLastN = WholeNumber(value, name, allowNegative: false) ?? settings.ProtectLastN },
                    "protect_first_n" => settings with { ProtectFirstN = Math.Max(0, WholeNumber(value, name, allowNegative: true) ?? settings.ProtectFirstN) },
                    "abort_on_summary_failure" => settings with { AbortOnSummaryFailure = Boolean(value, name) ?? false },
                    "hygiene_hard_message_limit" => settings with { HygieneHardMessageLimit = Positive(value, name) ?? settings.HygieneHardMessageLimit },
                    "codex_gpt55_autoraise" => settings with { CodexGpt55Autoraise = Boolean(value, name) ?? true },
                    _ => settings,
                };
                if (key == "model_thresholds")
                {
                    ReadThresholds(value, name, thresholds);
                }
            }

            return settings;
        }

        private AuxiliaryModelSettings ReadAuxiliary(YamlTree.Mapping? section)
        {
            var settings = new AuxiliaryModelSettings();
            foreach (var (key, value) in Entries(section))
            {
                var name = "auxiliary.compression." + key;
                settings = key switch
                {
                    "provider" => settings with { Provider = Text(value, name) ?? "auto" },
                    "model" => settings with { Model = Text(value, name) ?? string.Empty },
                    "base_url" => settings with { BaseUrl = Text(value, name) ?? string.Empty },
                    "api_key" => settings with { ApiKey = Text(value, name) ?? string.Empty },
                    "timeout" => settings with { Timeout = Seconds(value, name) ?? settings.Timeout },
                    "context_length" => settings with { ContextLength = Positive(value, name) },
                    "extra_body" => settings with { HasExtraBody = Section(value, name) is not null },
                    _ => settings,
                };
            }

            return settings;
        }

        private void ReadThresholds(YamlTree.Node value, string name, Dictionary<string, double> thresholds)
        {
            foreach (var (key, threshold) in Entries(Section(value, name)))
            {
                if (Share(threshold, name + "." + key) is { } share)
                {
                    thresholds[key] = share;
                }
            }
        }

        /// <summary><c>context.engine</c>: an empty, null, false or zero value means the built-in engine.</summary>
        private string EngineName(YamlTree.Node value)
        {
            if (value is not YamlTree.Scalar scalar)
            {
                throw Expected(value, "context.engine", "an engine name such as compressor");
            }

            var falsy = scalar.Kind switch
            {
                YamlTree.ScalarKind.Null => true,
                YamlTree.ScalarKind.Boolean => !scalar.AsBoolean(),
                YamlTree.ScalarKind.Integer => TryInteger(scalar.Value, out var n) && n == 0,
                YamlTree.ScalarKind.Float => double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == 0,
                _ => scalar.Value.Length == 0,
            };
            return falsy ? ContextSettings.BuiltInEngine : scalar.Value;
        }

        /// <summary><c>enabled</c>: true iff the value's text, lowercased, is <c>true</c>, <c>1</c> or <c>yes</c>.</summary>
        private bool Enabled(YamlTree.Node value, string name)
        {
            if (value is not YamlTree.Scalar scalar)
            {
                throw Expected(value, name, "true or false");
            }

            return scalar.Kind switch
            {
                YamlTree.ScalarKind.Null => false,
                YamlTree.ScalarKind.Boolean => scalar.AsBoolean(),
                YamlTree.ScalarKind.Integer => TryInteger(scalar.Value, out var n) && n == 1,
                YamlTree.ScalarKind.Float => false,
                _ => scalar.Value.ToLowerInvariant() is "true" or "1" or "yes",
            };
        }

        private bool? Boolean(YamlTree.Node value, string name)
        {
            if (value is YamlTree.Scalar scalar)
            {
                switch (scalar.Kind)
                {
                    case YamlTree.ScalarKind.Null:
                        return null;
                    case YamlTree.ScalarKind.Boolean:
                        return scalar.AsBoolean();
                    case YamlTree.ScalarKind.Integer when scalar.Value is "0" or "1":
                        return scalar.Value == "1";
                    case YamlTree.ScalarKind.String:
                        switch (scalar.Value.ToLowerInvariant())
                        {
                            case "true" or "yes" or "on" or "1":
                                return true;
                            case "false" or "no" or "off" or "0":
                                return false;
                        }

                        break;
                }
            }

            throw Expected(value, name, "true or false");
        }

        private double? Number(YamlTree.Node value, string name, string expected)
        {
            if (value is YamlTree.Scalar scalar)
            {
                switch (scalar.Kind)
                {
                    case YamlTree.ScalarKind.Null:
                        return null;
                    case YamlTree.ScalarKind.Integer when TryInteger(scalar.Value, out var n):
                        return n;
                    case YamlTree.ScalarKind.Float or YamlTree.ScalarKind.String
                        when double.TryParse(scalar.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                        return d;
                }
            }

            throw Expected(value, name, expected);
        }

        private double? Share(YamlTree.Node value, string name)
        {
            var share = Number(value, name, ThresholdType);
            if (share is { } d && (d <= 0 || d > 1))
            {
                throw Expected(value, name, ThresholdType);
            }

            return share;
        }

        private TimeSpan? Seconds(YamlTree.Node value, string name)
        {
            const string expected = "a number of seconds greater than 0, such as 120";
            var seconds = Number(value, name, expected);
            if (seconds is { } s && (s <= 0 || s > TimeSpan.MaxValue.TotalSeconds / 2))
            {
                throw Expected(value, name, expected);
            }

            return seconds is { } value2 ? TimeSpan.FromSeconds(value2) : null;
        }

        private int? WholeNumber(YamlTree.Node value, string name, bool allowNegative)
        {
            var expected = allowNegative ? "a whole number such as 3" : "a whole number, 0 or more, such as 20";
            if (value is YamlTree.Scalar scalar)
            {
                switch (scalar.Kind)
                {
                    case YamlTree.ScalarKind.Null:
                        return null;
                    case YamlTree.ScalarKind.Integer when TryInteger(scalar.Value, out var n) && n is >= int.MinValue and <= int.MaxValue && (allowNegative || n >= 0):
                        return (int)n;
                    case YamlTree.ScalarKind.Float or YamlTree.ScalarKind.String
                        when double.TryParse(scalar.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                            && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue && (allowNegative || d >= 0):
                        return (int)d;
                }
            }

            throw Expected(value, name, expected);
        }

        private int? Positive(YamlTree.Node value, string name)
        {
            var number = WholeNumber(value, name, allowNegative: false);
            if (number == 0)
            {
                throw Expected(value, name, "a whole number greater than 0");
            }

            return number;
        }

        private string? Text(YamlTree.Node value, string name)
        {
            if (value is not YamlTree.Scalar scalar)
            {
                throw Expected(value, name, "a string");
            }

            return scalar.Kind == YamlTree.ScalarKind.Null ? null : scalar.Value;
        }

        /// <summary>A section's mapping; <see langword="null"/> for an empty (null) section.</summary>
        private YamlTree.Mapping? Section(YamlTree.Node value, string name) => value switch
        {
            YamlTree.Mapping mapping => mapping,
            YamlTree.Scalar { Kind: YamlTree.ScalarKind.Null } => null,
            _ => throw Expected(value, name, "a mapping of settings (indented 'key: value' lines)"),
        };

        /// <summary>The entries of a mapping whose keys are scalars; later duplicates win, as YAML loaders do.</summary>
        private static IEnumerable<(string Key, YamlTree.Node Value)> Entries(YamlTree.Mapping? mapping)
        {
            if (mapping is null)
            {
                yield break;
            }

            foreach (var entry in mapping.Entries)
            {
                if (entry.Key is YamlTree.Scalar key)
                {
                    yield return (key.Value, entry.Value);
                }
            }
        }

        private static bool TryInteger(string text, out long value)
        {
            if (text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o'))
            {
                try
                {
                    value = Convert.ToInt64(text.Substring(2), text[1] == 'x' ? 16 : 8);
                    return true;
                }
                catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
                {
                    value = 0;
                    return false;
                }
            }

            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        private ConfigurationException Expected(YamlTree.Node node, string name, string expected) =>
            Fail(node, $"'{ManifestQuote.Of(name)}' must be {expected}; got {Describe(node)}");

        private ConfigurationException Fail(YamlTree.Node node, string message) =>
            new(string.Create(CultureInfo.InvariantCulture, $"{Source}:{node.Line}: {message}."));

        private static string Describe(YamlTree.Node node) => node switch
        {
            YamlTree.Scalar { Kind: YamlTree.ScalarKind.String } s => "the string '" + ManifestQuote.Of(s.Value) + "'",
            _ => YamlTree.Describe(node),
        };
    }
}
