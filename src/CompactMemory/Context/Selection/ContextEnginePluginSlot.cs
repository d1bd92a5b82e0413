using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CompactMemory.Context;

/// <summary>
/// The one slot a plugin can register a context engine into. The first registration wins: a second one is refused
/// with a warning, and an object that is not a context engine is refused with a warning. A registered engine is never
/// activated on its own — <see cref="ContextEngineSelector"/> uses it only when <c>context.engine</c> names it.
/// </summary>
public sealed class ContextEnginePluginSlot
{
    private static readonly Action<ILogger, string, Exception?> LogWarning = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(1, "ContextEnginePluginSlot"), "{Warning}");

    private static readonly Action<ILogger, string, string, Exception?> LogRegistered = LoggerMessage.Define<string, string>(
        LogLevel.Information, new EventId(2, "ContextEngineRegistered"), "Plugin '{Plugin}' registered the context engine '{Engine}'.");

    private readonly object _gate = new();
    private readonly List<string> _warnings = new();
    private readonly ILogger _logger;

    /// <summary>Creates an empty slot.</summary>
    /// <param name="logger">Where warnings and registrations are logged; nowhere when <see langword="null"/>.</param>
    public ContextEnginePluginSlot(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The registered engine, or <see langword="null"/>.</summary>
    public IContextEngine? Engine { get; private set; }

    /// <summary>The plugin that registered <see cref="Engine"/>, or <see langword="null"/>.</summary>
    public string? PluginName { get; private set; }

    /// <summary>The warnings of refused registrations, oldest first.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return _warnings.ToArray();
            }
        }
    }

    /// <summary>Registers a plugin's context engine, unless the slot is filled or the object is not a context engine.</summary>
    /// <param name="engine">The engine (any object a plugin hands over).</param>
    /// <param name="pluginName">The plugin's name, for messages.</param>
    /// <returns>True when the engine now fills the slot; false (with a warning in <see cref="Warnings"/> and the log) when it was refused.</returns>
    public bool Register(object? engine, string pluginName)
    {
        pluginName ??= string.Empty;
        string? warning = null;
        lock (_gate)
        {
            if (engine is not IContextEngine contextEngine)
            {
                var what = engine is null ? "nothing (null)" : "'" + engine.GetType().FullName + "'";
                warning = $"Plugin '{pluginName}' tried to register {what} as a context engine, but it does not inherit from ContextEngine. Ignoring.";
            }
            else if (Engine is not null)
            {
                warning = $"Plugin '{pluginName}' tried to register a context engine, but one is already registered. Only one context engine plugin is allowed.";
            }
            else
            {
                Engine = contextEngine;
                PluginName = pluginName;
            }

            if (warning is not null)
            {
                _warnings.Add(warning);
            }
        }

        if (warning is not null)
        {
            LogWarning(_logger, warning, null);
            return false;
        }

        LogRegistered(_logger, pluginName, SafeName(engine as IContextEngine), null);
        return true;
    }

    /// <summary>Empties the slot (before plugins are discovered again).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            Engine = null;
            PluginName = null;
        }
    }

    /// <summary>An engine's name, or a placeholder when reading it throws.</summary>
    internal static string SafeName(IContextEngine? engine)
    {
        if (engine is null)
        {
            return string.Empty;
        }

        try
        {
            return engine.Name ?? string.Empty;
        }
#pragma warning disable CA1031 // A plugin's Name property may throw anything; the slot reports it, never fails.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "(name unavailable)";
        }
    }
}
