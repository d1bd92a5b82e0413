namespace CompactMemory.Analyzers.Diagnostics;

/// <summary>
/// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> the analyzers set for the code fixes. Plain
/// constants, linked into the code-fix assembly like <see cref="DiagnosticIds"/>.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>CM0005: the manifest field the diagnostic is about (<c>engine_id</c>, <c>version</c>, ...).</summary>
    public const string ManifestField = "Field";

    /// <summary>CM0005: the <c>ManifestProblemKind</c> of the problem, by name (<c>MissingField</c>, <c>EmptyField</c>, ...).</summary>
    public const string ManifestProblemKind = "Kind";
}
