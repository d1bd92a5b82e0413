using System;
using CompactMemory.Compression;
using CompactMemory.Context;
using CompactMemory.Manifest;
using CompactMemory.Text;

namespace CompactMemory.Registry;

/// <summary>
/// What makes an <see cref="EngineDescriptor"/> registrable: an id that can be typed on a command line, an engine
/// class of the declared kind, and a factory. Shared by <see cref="EngineRegistry"/> and the plugin loader, so a
/// descriptor from a catalog, a package or the host is judged by one rule.
/// </summary>
internal static class DescriptorRules
{
    /// <summary>Checks a descriptor.</summary>
    /// <param name="descriptor">The descriptor (which may have been built by hostile code: every member is checked).</param>
    /// <returns>The problem, naming the engine and the fix, or <see langword="null"/> when it can be registered.</returns>
    public static string? Problem(EngineDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var type = descriptor.EngineType;
        var typeName = TypeName(type);
        var id = descriptor.Id;
        if (string.IsNullOrWhiteSpace(id))
        {
            return "engine class " + typeName + " has " + (id is null ? "no id" : "an empty id")
                + "; give it an id such as 'my_engine' in [CompressionEngine(\"my_engine\")]";
        }

        foreach (var c in id)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                var suggestion = EngineIdRules.Suggest(id);
                return "engine id '" + PrintableText.Of(id) + "' (" + typeName + ") contains whitespace or control characters; ids are typed on command lines, so use '"
                    + (suggestion.Length == 0 ? "my_engine" : suggestion) + "'";
            }
        }

        if (type is null)
        {
            return "engine '" + id + "' has no engine class; give its descriptor the engine's Type";
        }

        if (descriptor.Kind is not (EngineKind.Compression or EngineKind.Context))
        {
            return "engine '" + id + "' (" + typeName + ") has kind " + ((int)descriptor.Kind).ToString(System.Globalization.CultureInfo.InvariantCulture)
                + ", which is neither EngineKind.Compression nor EngineKind.Context";
        }

        var expected = descriptor.Kind == EngineKind.Compression ? typeof(CompressionEngine) : typeof(IContextEngine);
        bool fits;
        try
        {
            fits = expected.IsAssignableFrom(type);
        }
        catch (Exception ex)
        {
            return "engine '" + id + "': its class " + typeName + " could not be loaded: " + FailureText.Describe(ex);
        }

        if (!fits)
        {
            return descriptor.Kind == EngineKind.Compression
                ? "engine '" + id + "' is declared as a compression engine, but " + typeName + " does not derive from " + typeof(CompressionEngine).FullName
                    + "; derive it from CompressionEngine, or declare it as EngineKind.Context if it is a context engine"
                : "engine '" + id + "' is declared as a context engine, but " + typeName + " does not implement " + typeof(IContextEngine).FullName
                    + "; derive it from ContextEngine, or declare it as EngineKind.Compression if it is a compression engine";
        }

        if (descriptor.Factory is null)
        {
            return "engine '" + id + "' (" + typeName + ") has no factory; give its descriptor a function that creates the engine";
        }

        return null;
    }

    /// <summary>A type's name for messages: its full name, or a placeholder.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    public static string TypeName(Type? type)
    {
        if (type is null)
        {
            return "(no class)";
        }

        try
        {
            return PrintableText.Of(type.FullName ?? type.Name);
        }
        catch (Exception)
        {
            return "(an unloadable class)";
        }
    }
}
