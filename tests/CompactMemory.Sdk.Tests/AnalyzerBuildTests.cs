using System;
using System.Linq;
using Xunit;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// What an author sees in <c>dotnet build</c>: every seeded mistake with its ID, severity, file and line; after the
/// IDE's fixes, none of the fixable ones; and a correct engine with no warning at all.
/// </summary>
[Collection(DotnetBuilds.Name)]
public sealed class AnalyzerBuildTests(MistakeBuildFixture mistakes, SdkBuildFixture correct)
{
    public static TheoryData<string> Ids() => new(Enumerable.Range(1, 18).Select(n => "CM" + n.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_seeded_mistake_is_in_the_build_output_with_its_id_severity_file_and_line(string id)
    {
        var seeded = mistakes.Mistakes.Where(m => m.Id == id).ToArray();
        Assert.NotEmpty(seeded);
        foreach (var mistake in seeded)
        {
            var lines = mistakes.Build.Diagnostics(mistake.Severity);
            Assert.True(
                lines.Any(line => line.StartsWith(mistake.Prefix, StringComparison.Ordinal) && line.Contains($": {mistake.Severity} {mistake.Id}: ", StringComparison.Ordinal)),
                $"Expected {mistake} in the build output; it reported:\n{string.Join("\n", mistakes.Build.Diagnostics("error").Concat(mistakes.Build.Diagnostics("warning")))}");
        }
    }

    [Fact]
    public void The_build_with_mistakes_fails()
    {
        Assert.NotEqual(0, mistakes.Build.ExitCode);
    }

    /// <summary>
    /// The one seeded mistake whose ID has a fix that declines it: CM0010 for a counter hidden by <c>new long
    /// LastTotalTokens</c>. Adding an int counter beside it would not compile, and deleting the author's property is
    /// the author's call (the same property's constant getter is the CM0011 that stays with it).
    /// </summary>
    private const string DeclinedCounter = "'LastTotalTokens'";

    [Fact]
    public void After_the_offered_fixes_no_fixable_diagnostic_is_left()
    {
        var applied = mistakes.AppliedFixes.SelectMany(p => p.Value).ToArray();
        var fixedIds = applied.Select(a => a[..6]).ToHashSet(StringComparer.Ordinal);
        var seededFixable = mistakes.Mistakes.Select(m => m.Id).Where(OfferedFixes.FixableIds.Contains).Where(id => id != "CM0010").ToHashSet(StringComparer.Ordinal);
        Assert.True(seededFixable.IsSubsetOf(fixedIds), "Fixed: " + string.Join(", ", applied) + "; fixable and seeded: " + string.Join(", ", seededFixable.Order(StringComparer.Ordinal)));

        var left = mistakes.Rebuild.Diagnostics("error").Concat(mistakes.Rebuild.Diagnostics("warning"))
            .Where(line => OfferedFixes.FixableIds.Any(id => line.Contains(" " + id + ": ", StringComparison.Ordinal)))
            .Where(line => !line.Contains(DeclinedCounter, StringComparison.Ordinal))
            .ToArray();
        Assert.True(left.Length == 0, "Left after the fixes:\n" + string.Join("\n", left) + "\nApplied:\n" + string.Join("\n", applied));
    }

    [Fact]
    public void The_mistakes_without_a_fix_are_still_reported_after_the_fixes()
    {
        foreach (var mistake in mistakes.Mistakes.Where(m => !OfferedFixes.FixableIds.Contains(m.Id)))
        {
            Assert.Contains(mistakes.Rebuild.Diagnostics(mistake.Severity), line => line.Contains($" {mistake.Id}: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_correct_engine_with_the_analyzers_builds_with_no_warning()
    {
        Assert.Empty(correct.Build.Diagnostics("warning", correct.HeadEngine));
        Assert.Empty(correct.Build.Diagnostics("error", correct.HeadEngine));
    }
}
