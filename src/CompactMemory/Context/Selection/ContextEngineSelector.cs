using System;
using System.Collections.Generic;
using System.Globalization;
using CompactMemory.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CompactMemory.Context;

/// <summary>
/// Chooses the one context engine an agent runs, from <c>context.engine</c> (or an override):
/// <list type="number">
/// <item>empty or <c>compressor</c> → the built-in <see cref="ContextCompressor"/>, configured by the <c>compression:</c> keys;</item>
/// <item>another name → a context engine of the registry (referenced engine packages and plugin directories; compression
/// engines are not context engines); else the <see cref="ContextEnginePluginSlot"/>'s engine, only when its
/// <see cref="IContextEngine.Name"/> is that name; else the warning
/// <c>Context engine '&lt;name&gt;' not found — falling back to built-in compressor</c> and the built-in.</item>
/// </list>
/// An engine that cannot be created is named in a warning and the search goes on: selection never fails because of a
/// plugin. A plugin engine is never activated unless named. A non-built-in engine gets <c>UpdateModel</c> exactly
/// once, with the resolved context length.
/// </summary>
public static class ContextEngineSelector
{
    /// <summary>The name of the built-in engine.</summary>
    public const string BuiltInName = ContextSettings.BuiltInEngine;

    /// <summary>The description of the built-in engine in the picker.</summary>
    public const string BuiltInDescription = "built-in compressor";

    /// <summary>The description of the plugin slot's engine in the picker.</summary>
    public const string PluginDescription = "installed plugin";

    /// <summary>The smallest context window an engine may run with (64,000 tokens).</summary>
    public const int MinimumContextLength = ContextCompressor.MinimumContextLength;

    private static readonly Action<ILogger, string, Exception?> LogWarning = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(1, "ContextEngineSelection"), "{Warning}");

    /// <summary>The fallback warning for a name that selects no engine.</summary>
    /// <param name="name">The name asked for.</param>
    /// <returns><c>Context engine '&lt;name&gt;' not found — falling back to built-in compressor</c>.</returns>
    public static string NotFoundWarning(string name) => $"Context engine '{name}' not found — falling back to built-in compressor";

    /// <summary>Selects the context engine.</summary>
    /// <param name="config">The configuration (<c>context.engine</c>, <c>compression:</c>).</param>
    /// <param name="registry">The engines of referenced packages and plugin directories.</param>
    /// <param name="options">The model, an engine-name override, the plugin slot, the summary client and the logger.</param>
    /// <returns>The engine, where it came from, and the warnings.</returns>
    /// <exception cref="ConfigurationException">The context length is under <see cref="MinimumContextLength"/> (or not positive), or the <c>compression:</c> settings are out of range for the built-in compressor.</exception>
    public static ContextEngineSelection Select(ContextConfig config, EngineRegistry registry, ContextEngineSelectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new ContextEngineSelectionOptions();
        var logger = options.Logger ?? NullLogger.Instance;
        if (options.ContextLength is { } configured && configured < MinimumContextLength)
        {
            throw new ConfigurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The context length {configured:N0} is under the minimum of {MinimumContextLength:N0} tokens a context engine runs with; use a model with a larger window or give a context length of at least {MinimumContextLength:N0}."));
        }

        var requested = options.EngineName ?? config.Context.Engine;
        var name = string.IsNullOrWhiteSpace(requested) ? BuiltInName : requested;
        var warnings = new List<string>();
        if (name == BuiltInName)
        {
            return BuiltIn(config, options, name, warnings, fallback: false);
        }

        var contextLength = options.ContextLength ?? new ContextCompressorOptions().DefaultContextLength;
        var engine = FromRegistry(registry, name, warnings);
        var source = ContextEngineSource.Registry;
        if (engine is null && options.PluginSlot?.Engine is { } candidate && ContextEnginePluginSlot.SafeName(candidate) == name)
        {
            engine = candidate;
            source = ContextEngineSource.PluginSlot;
        }

        if (engine is not null)
        {
            try
            {
                engine.UpdateModel(options.Model ?? string.Empty, contextLength, options.BaseUrl ?? string.Empty, options.ApiKey ?? string.Empty, options.Provider ?? string.Empty, options.ApiMode ?? string.Empty);
            }
#pragma warning disable CA1031 // A plugin engine may throw anything; selection falls back, never fails because of it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                warnings.Add($"Context engine '{name}' failed in UpdateModel: {ex.GetType().Name}: {ex.Message}");
                engine = null;
            }
        }

        if (engine is null)
        {
            warnings.Add(NotFoundWarning(name));
            foreach (var warning in warnings)
            {
                LogWarning(logger, warning, null);
            }

            return BuiltIn(config, options, name, warnings, fallback: true);
        }

        foreach (var warning in warnings)
        {
            LogWarning(logger, warning, null);
        }

        return new ContextEngineSelection
        {
            Engine = engine,
            Source = source,
            RequestedName = name,
            Warnings = warnings,
            CompressionEnabled = config.Compression.Enabled,
        };
    }

    /// <summary>
    /// The engines a user can choose from, for a picker: the built-in compressor first (<c>built-in compressor</c>),
    /// then the registry's context engines (sorted by name, with their descriptions), then the plugin slot's engine
    /// (<c>installed plugin</c>); a name is listed once, the first entry winning.
    /// </summary>
    /// <param name="registry">The registry.</param>
    /// <param name="pluginSlot">The plugin slot, or <see langword="null"/>.</param>
    /// <returns>The rows.</returns>
    public static IReadOnlyList<ContextEngineInfo> ListEngines(EngineRegistry registry, ContextEnginePluginSlot? pluginSlot = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var rows = new List<ContextEngineInfo> { new(BuiltInName, BuiltInDescription, ContextEngineSource.BuiltIn, "built-in") };
        var names = new HashSet<string>(StringComparer.Ordinal) { BuiltInName };
        foreach (var id in registry.Ids)
        {
            if (registry.TryGet(id, out var registration) && registration.Kind == EngineKind.Context && names.Add(id))
            {
                var description = string.IsNullOrWhiteSpace(registration.Descriptor.Description) ? registration.DisplayName : registration.Descriptor.Description!;
                rows.Add(new ContextEngineInfo(id, description, ContextEngineSource.Registry, registration.Source.Label));
            }
        }

        if (pluginSlot?.Engine is { } engine)
        {
            var name = ContextEnginePluginSlot.SafeName(engine);
            if (name.Length > 0 && names.Add(name))
            {
                rows.Add(new ContextEngineInfo(name, PluginDescription, ContextEngineSource.PluginSlot, "plugin '" + pluginSlot.PluginName + "'"));
            }
        }

        return rows;
    }

    private static IContextEngine? FromRegistry(EngineRegistry registry, string name, List<string> warnings)
    {
        EngineRegistration? registration;
        try
        {
            if (!registry.TryGet(name, out registration))
            {
                foreach (var failed in registry.Failures)
                {
                    if (failed.Id == name)
                    {
                        warnings.Add($"Failed to load context engine '{name}': the package at '{failed.PackagePath}' failed to load: {string.Join("; ", failed.Errors)}");
                    }
                }

                return null;
            }
        }
#pragma warning disable CA1031 // Discovery never throws by design; should a plugin still break it, selection falls back.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            warnings.Add($"Failed to load context engine '{name}': {ex.GetType().Name}: {ex.Message}");
            return null;
        }

        if (registration.Kind != EngineKind.Context)
        {
            warnings.Add($"'{name}' is a compression engine ({registration.Source.Label}): it compresses text and cannot manage a conversation's context; name a context engine ('compact-memory context list-engines' lists them).");
            return null;
        }

        try
        {
            return registry.CreateContextEngine(name);
        }
#pragma warning disable CA1031 // A plugin's constructor may throw anything; selection falls back, never fails because of it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            warnings.Add($"Failed to load context engine '{name}': {ex.Message}");
            return null;
        }
    }

    private static ContextEngineSelection BuiltIn(ContextConfig config, ContextEngineSelectionOptions options, string name, List<string> warnings, bool fallback)
    {
        ContextCompressor compressor;
        try
        {
            compressor = new ContextCompressor(config.ToCompressorOptions(options.Model, options.ContextLength, options.MaxTokens), options.SummaryClient, options.Logger);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException((config.SourceName ?? "config.yaml") + ": the compression settings are out of range: " + ex.Message, ex);
        }

        return new ContextEngineSelection
        {
            Engine = compressor,
            Source = ContextEngineSource.BuiltIn,
            RequestedName = name,
            Warnings = warnings,
            FallbackUsed = fallback,
            CompressionEnabled = config.Compression.Enabled,
        };
    }
}
