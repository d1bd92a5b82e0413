using System;
using System.Globalization;
using System.Text;

namespace CompactMemory.Sdk.Tasks;

/// <summary>
/// The <c>README.md</c> of an engine package whose project has none: its display name as the title, its description,
/// its id and version, and how a user gets it. The values are read from the manifest the generator wrote, whose
/// top-level scalars are always one line, double-quoted with JSON-style escapes (EngineManifestWriter).
/// </summary>
internal static class ManifestReadme
{
    /// <summary>The readme text (LF line ends).</summary>
    /// <param name="engineId">The engine id.</param>
    /// <param name="manifestYaml">The generated engine_package.yaml.</param>
    public static string Write(string engineId, string manifestYaml)
    {
        var displayName = Field(manifestYaml, "display_name");
        var description = Field(manifestYaml, "description");
        var version = Field(manifestYaml, "version");
        var title = string.IsNullOrWhiteSpace(displayName) ? engineId : OneLine(displayName!);
        var text = new StringBuilder();
        text.Append("# ").Append(title).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(description))
        {
            text.Append(OneLine(description!)).Append("\n\n");
        }

        text.Append("A CompactMemory engine package: engine id `").Append(engineId).Append('`');
        if (!string.IsNullOrWhiteSpace(version))
        {
            text.Append(", version ").Append(OneLine(version!));
        }

        text.Append(".\n\n");
        text.Append("- In a host: reference this package and the `CompactMemory` package, then call `registry.AddCompactMemoryEngines()`.\n");
        text.Append("- As a plugin: `compact-memory dev install-engine <package id>`, then `compact-memory compress --engine ").Append(engineId).Append(" --budget 100 --file input.txt`.\n");
        return text.ToString();
    }

    /// <summary>The value of a top-level scalar field, or null when the manifest has none.</summary>
    internal static string? Field(string yaml, string key)
    {
        foreach (var rawLine in yaml.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (!line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line.Substring(key.Length + 1).Trim();
            return value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"' ? Unquote(value.Substring(1, value.Length - 2)) : value;
        }

        return null;
    }

    private static string Unquote(string quoted)
    {
        var text = new StringBuilder(quoted.Length);
        for (var i = 0; i < quoted.Length; i++)
        {
            var c = quoted[i];
            if (c != '\\' || i + 1 >= quoted.Length)
            {
                text.Append(c);
                continue;
            }

            var next = quoted[++i];
            switch (next)
            {
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u' when i + 4 < quoted.Length && int.TryParse(quoted.Substring(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    text.Append((char)code);
                    i += 4;
                    break;
                default: text.Append(next); break;
            }
        }

        return text.ToString();
    }

    private static string OneLine(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.ToString().Trim();
    }
}
