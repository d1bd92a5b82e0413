using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Analyzers.Tests.Infrastructure;

/// <summary>What one analyzer run produced, with assertions that name the file, line and columns (all 1-based).</summary>
internal sealed class AnalyzerResult(ImmutableArray<Diagnostic> diagnostics, ImmutableArray<Exception> exceptions, Compilation compilation)
{
    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    public ImmutableArray<Exception> Exceptions { get; } = exceptions;

    public Compilation Compilation { get; } = compilation;

    /// <summary>Our diagnostics only (CMxxxx), never the compiler's.</summary>
    public ImmutableArray<Diagnostic> Ours => Diagnostics.Where(d => d.Id.StartsWith("CM", StringComparison.Ordinal)).ToImmutableArray();

    /// <summary>Asserts that exactly one diagnostic with the id exists, at the given place, and returns it.</summary>
    public Diagnostic Single(string id, string path, int line, int column, int endColumn, DiagnosticSeverity? severity = null)
    {
        var matches = Diagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matches.Length == 1, $"Expected one {id}, got {matches.Length}:\n{Describe()}");
        AssertAt(matches[0], path, line, column, endColumn);
        if (severity is not null)
        {
            Assert.Equal(severity.Value, matches[0].Severity);
        }

        return matches[0];
    }

    public static void AssertAt(Diagnostic diagnostic, string path, int line, int column, int endColumn)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal((line, column, line, endColumn), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1));
    }

    public void None(string id) => Assert.True(Diagnostics.All(d => d.Id != id), $"Expected no {id}:\n{Describe()}");

    public void NoneOfOurs() => Assert.True(Ours.IsEmpty, "Expected no CM diagnostics:\n" + Describe());

    public void NoExceptions()
    {
        Assert.True(Exceptions.IsEmpty, "Analyzer exceptions:\n" + string.Join("\n", Exceptions));
        Assert.DoesNotContain(Diagnostics, d => d.Id == "AD0001");
    }

    public string Describe() => string.Join("\n", Diagnostics.Select(d => d.ToString()));
}
