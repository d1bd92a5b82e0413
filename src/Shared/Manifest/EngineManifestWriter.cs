// Linked source: see ManifestProblem.cs.
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CompactMemory.Manifest;

/// <summary>
/// Writes an <see cref="EngineManifest"/> as <c>engine_package.yaml</c> text: fields in declared order, every string
/// double-quoted and escaped, so the text reads back to the same values with <see cref="EngineManifestReader"/>.
/// </summary>
#if COMPACTMEMORY_MANIFEST_PUBLIC
public
#else
internal
#endif
static class EngineManifestWriter
{
    /// <summary>Writes the manifest.</summary>
    /// <param name="manifest">The fields; absent optional fields are left out.</param>
    /// <returns>The YAML text, ending with a line break.</returns>
    public static string Write(EngineManifest manifest)
    {
        var yaml = new StringBuilder();
        Scalar(yaml, ManifestSchema.PackageFormatVersion, manifest.PackageFormatVersion ?? ManifestSchema.SupportedFormatVersion);
        Scalar(yaml, ManifestSchema.EngineId, manifest.EngineId);
        Scalar(yaml, ManifestSchema.EngineClassName, manifest.EngineClassName);
        Scalar(yaml, ManifestSchema.EngineModule, manifest.EngineModule);
        Scalar(yaml, ManifestSchema.DisplayName, manifest.DisplayName);
        Scalar(yaml, ManifestSchema.Version, manifest.Version);
        yaml.Append(ManifestSchema.Authors).Append(':');
        if (manifest.Authors is null || manifest.Authors.Count == 0)
        {
            yaml.Append(" []\n");
        }
        else
        {
            yaml.Append('\n');
            foreach (var author in manifest.Authors)
            {
                if (author.Email is null)
                {
                    yaml.Append("  - ").Append(Quote(author.Name)).Append('\n');
                }
                else
                {
                    yaml.Append("  - name: ").Append(Quote(author.Name)).Append('\n');
                    yaml.Append("    email: ").Append(Quote(author.Email)).Append('\n');
                }
            }
        }

        Scalar(yaml, ManifestSchema.Description, manifest.Description);
        List(yaml, ManifestSchema.Dependencies, manifest.Dependencies);
        List(yaml, ManifestSchema.Requirements, manifest.Requirements);
        if (manifest.OverridesBuiltIn)
        {
            yaml.Append(ManifestSchema.OverridesBuiltIn).Append(": true\n");
        }

        return yaml.ToString();
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The quoted, escaped text.</returns>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\ufeff')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static void Scalar(StringBuilder yaml, string key, string? value)
    {
        yaml.Append(key).Append(": ").Append(value is null ? "\"\"" : Quote(value)).Append('\n');
    }

    private static void List(StringBuilder yaml, string key, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        yaml.Append(key).Append(':');
        if (values.Count == 0)
        {
            yaml.Append(" []\n");
            return;
        }

        yaml.Append('\n');
        foreach (var value in values)
        {
            yaml.Append("  - ").Append(Quote(value)).Append('\n');
        }
    }
}
