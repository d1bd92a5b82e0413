using System;
using System.IO;
using CompactMemory.Plugins;
using CompactMemory.Registry;

namespace CompactMemory.Cli;

/// <summary>What a command may touch: its streams, its environment and the registry (created on first use).</summary>
internal sealed class CliContext
{
    private EngineRegistry? _registry;

    public CliContext(TextWriter output, TextWriter error, Stream input, Func<string, string?> environment)
    {
        Output = output;
        Error = error;
        Input = input;
        Environment = environment;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>Standard input, as bytes: text read from it is decoded and checked like a file's.</summary>
    public Stream Input { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>The registry: built-ins plus every plugin directory of this process's environment, discovered lazily.</summary>
    public EngineRegistry Registry => _registry ??= CreateRegistry();

    private EngineRegistry CreateRegistry()
    {
#pragma warning disable IL2026 // The CLI exists to load plugins; it is not trimmed.
        return EngineRegistry.CreateDefault(PluginSearchPath.FromEnvironment(Environment));
#pragma warning restore IL2026
    }
}
