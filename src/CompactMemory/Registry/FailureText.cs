using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CompactMemory.Registry;

/// <summary>
/// Turns an exception raised by plugin code into the sentence a user needs: the real cause, not the wrapper the
/// runtime put around it. Reflection's <see cref="TargetInvocationException"/> is removed; a
/// <see cref="TypeInitializationException"/> names the type whose static constructor failed and what it threw; a
/// missing assembly is named with its version and the folder it should be copied into.
/// </summary>
internal static class FailureText
{
    /// <summary>Deeper chains are cut: an exception whose causes loop or nest without end must not hang a listing.</summary>
    private const int MaxDepth = 8;

    /// <summary>At most this many distinct loader errors of a <see cref="ReflectionTypeLoadException"/> are listed.</summary>
    private const int MaxLoaderErrors = 3;

    /// <summary>Describes what went wrong.</summary>
    /// <param name="exception">The exception, as caught.</param>
    /// <param name="packageDirectory">The package folder, when the code came from one: a missing dependency should be copied there.</param>
    /// <returns>
    /// A clause such as <c>InvalidOperationException: no model file</c>,
    /// <c>the static constructor of 'Acme.Engine' threw InvalidOperationException: no model file</c> or
    /// <c>its dependency 'Foo, Version=1.2.3.0' is missing from the package folder; copy Foo.dll into '…' (or publish the engine with its dependencies)</c>.
    /// </returns>
    public static string Describe(Exception exception, string? packageDirectory = null) => Describe(exception, packageDirectory, 0);

    /// <summary>Removes the wrappers reflection and tasks put around the exception that was really thrown.</summary>
    /// <param name="exception">The exception, as caught.</param>
    /// <returns>The exception the code threw.</returns>
    public static Exception Unwrap(Exception exception)
    {
        var current = exception;
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            switch (current)
            {
                case TargetInvocationException { InnerException: { } inner }:
                    current = inner;
                    continue;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    current = aggregate.InnerExceptions[0];
                    continue;
            }

            break;
        }

        return current;
    }

    /// <summary>Whether the exception says an assembly could not be found, loaded or read (rather than code failing).</summary>
    /// <param name="exception">The unwrapped exception.</param>
    /// <returns>True for a missing, unloadable or invalid dependency.</returns>
    public static bool IsMissingAssembly(Exception exception) =>
        exception is FileNotFoundException or FileLoadException or BadImageFormatException && AssemblyOf(exception) is not null;

    private static string Describe(Exception exception, string? packageDirectory, int depth)
    {
        var cause = Unwrap(exception);
        if (depth >= MaxDepth)
        {
            return cause.GetType().Name + ": " + cause.Message;
        }

        switch (cause)
        {
            case TypeInitializationException initialization:
            {
                var type = string.IsNullOrEmpty(initialization.TypeName) ? "a type" : "'" + initialization.TypeName + "'";
                if (initialization.InnerException is not { } inner)
                {
                    return "the static constructor of " + type + " failed";
                }

                var innerCause = Unwrap(inner);
                var verb = innerCause is TypeInitializationException || IsMissingAssembly(innerCause) ? " failed: " : " threw ";
                return "the static constructor of " + type + verb + Describe(innerCause, packageDirectory, depth + 1);
            }

            case ReflectionTypeLoadException typeLoad:
            {
                var causes = typeLoad.LoaderExceptions
                    .Where(loader => loader is not null)
                    .Select(loader => Describe(loader!, packageDirectory, depth + 1))
                    .Distinct(StringComparer.Ordinal)
                    .Take(MaxLoaderErrors + 1)
                    .ToList();
                return causes.Count == 0
                    ? "ReflectionTypeLoadException: " + typeLoad.Message
                    : string.Join("; ", causes.Take(MaxLoaderErrors)) + (causes.Count > MaxLoaderErrors ? "; and more" : string.Empty);
            }

            case FileNotFoundException when AssemblyOf(cause) is { } missing:
                return packageDirectory is null
                    ? "the assembly '" + missing.Display + "' could not be found; add " + missing.FileName + " to the application (reference the package that provides it)"
                    : "its dependency '" + missing.Display + "' is missing from the package folder; copy " + missing.FileName + " into '" + packageDirectory
                        + "' (or publish the engine with its dependencies)";

            case FileLoadException when AssemblyOf(cause) is { } unloadable:
                return "the assembly '" + unloadable.Display + "' could not be loaded: " + FirstLine(cause.Message);

            case BadImageFormatException when AssemblyOf(cause) is { } invalid:
                return "the assembly '" + invalid.Display + "' is not a valid .NET assembly for this runtime; replace " + invalid.FileName + " with a build for .NET";

            case CompactMemoryException:
                return cause.Message;

            default:
                return cause.GetType().Name + ": " + cause.Message;
        }
    }

    /// <summary>The assembly an I/O exception is about: its display name (name and version) and its file name.</summary>
    private static (string Display, string FileName)? AssemblyOf(Exception exception)
    {
        var name = exception switch
        {
            FileNotFoundException notFound => notFound.FileName,
            FileLoadException load => load.FileName,
            BadImageFormatException image => image.FileName,
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        if (name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || name.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal)
            || name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            var file = Path.GetFileName(name);
            return (Path.GetFileNameWithoutExtension(file), file);
        }

        try
        {
            var assembly = new AssemblyName(name);
            if (string.IsNullOrEmpty(assembly.Name))
            {
                return null;
            }

            var display = assembly.Version is { } version ? assembly.Name + ", Version=" + version : assembly.Name;
            return (display, assembly.Name + ".dll");
        }
        catch (Exception ex) when (ex is ArgumentException or FileLoadException)
        {
            return null;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    /// <summary>Lists items as <c>a, b and c</c>.</summary>
    /// <param name="items">The items.</param>
    /// <returns>The list.</returns>
    public static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
