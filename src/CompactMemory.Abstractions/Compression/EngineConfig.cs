using System;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompactMemory.Compression;

/// <summary>
/// An engine's configuration: the typed <see cref="EnableTrace"/> switch plus open extras that carry
/// engine-specific settings (for example <c>min_word_length</c> for <c>stopword_pruner</c>). Every key is kept.
/// </summary>
public sealed class EngineConfig
{
    /// <summary>Creates a configuration with tracing on and no extras.</summary>
    public EngineConfig()
    {
    }

    /// <summary>Whether engines write a <see cref="CompressionTrace"/> (<c>enable_trace</c>, default true).</summary>
    public bool EnableTrace { get; set; } = true;

    /// <summary>Engine-specific settings by snake_case key.</summary>
    public JsonObject Extras { get; } = new JsonObject();

    /// <summary>Reads an extra setting, or the default when it is absent or <see langword="null"/>.</summary>
    /// <typeparam name="T">The expected type: <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>, <see cref="double"/>.</typeparam>
    /// <param name="key">The setting's key.</param>
    /// <param name="defaultValue">The value to use when the setting is absent.</param>
    /// <returns>The setting's value.</returns>
    /// <exception cref="ConfigurationException">The setting has another type; the message names the key and the type.</exception>
    public T Get<T>(string key, T defaultValue)
    {
        ArgumentGuard.NotNull(key, nameof(key));
        if (!Extras.TryGetPropertyValue(key, out var node) || node is null)
        {
            return defaultValue;
        }

        if (node is JsonValue value)
        {
            try
            {
                if (value.TryGetValue<T>(out var typed))
                {
                    return typed;
                }

                var kind = value.GetValueKind();
                if (kind == JsonValueKind.Number && (typeof(T) == typeof(int) || typeof(T) == typeof(double)))
                {
                    return value.GetValue<T>();
                }
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
            {
                // Reported below with the key and the type expected.
            }
        }

        throw new ConfigurationException($"Engine setting '{key}' must be a {TypeName(typeof(T))}; found {JsonLimits.Describe(node)}.");
    }

    /// <summary>A JSON snapshot: <c>enable_trace</c> followed by the extras.</summary>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="ConfigurationException">
    /// An extra cannot be written as JSON: it nests more than 128 levels deep, or holds NaN or infinity. The message names it.
    /// </exception>
    public JsonObject ToJsonObject()
    {
        var json = new JsonObject { ["enable_trace"] = EnableTrace };
        foreach (var extra in Extras)
        {
            JsonLimits.Require(extra.Value, $"Engine setting '{extra.Key}'");
            json[extra.Key] = extra.Value?.DeepClone();
        }

        return json;
    }

    /// <summary>Builds a configuration from a JSON object (for example the <c>config</c> of a pipeline step).</summary>
    /// <param name="json">The configuration object; <c>enable_trace</c> must be a boolean when present.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">
    /// <c>enable_trace</c> is not a boolean, or a setting cannot be written as JSON (nested more than 128 levels deep,
    /// or NaN or infinity); the message names the setting.
    /// </exception>
    public static EngineConfig FromJsonObject(JsonObject? json)
    {
        var config = new EngineConfig();
        if (json is null)
        {
            return config;
        }

        foreach (var field in json)
        {
            if (field.Key == "enable_trace")
            {
                if (field.Value is JsonValue value && value.TryGetValue<bool>(out var enabled))
                {
                    config.EnableTrace = enabled;
                }
                else if (field.Value is not null)
                {
                    throw new ConfigurationException($"Engine setting 'enable_trace' must be true or false; found {JsonLimits.Describe(field.Value)}.");
                }
            }
            else
            {
                JsonLimits.Require(field.Value, $"Engine setting '{field.Key}'");
                config.Extras[field.Key] = field.Value?.DeepClone();
            }
        }

        return config;
    }

    private static string TypeName(Type type) =>
        type == typeof(string) ? "string"
        : type == typeof(bool) ? "boolean (true or false)"
        : type == typeof(int) ? "whole number"
        : type == typeof(double) ? "number"
        : type.Name;
}
