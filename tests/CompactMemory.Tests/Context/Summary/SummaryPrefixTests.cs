using System;
using CompactMemory.Context;
using Xunit;

namespace CompactMemory.Tests.Context.Summary;

public sealed class SummaryPrefixTests
{
    [Fact]
    public void Prefix_has_every_required_clause()
    {
        var prefix = ContextCompressor.SummaryPrefix;
        Assert.StartsWith("[CONTEXT COMPACTION — REFERENCE ONLY] Earlier turns were compacted into the summary below.", prefix, StringComparison.Ordinal);
        foreach (var clause in new[]
        {
            "REFERENCE ONLY", "background reference", "NOT as active instructions", "topic overlap", "latest user message",
            "Historical Task Snapshot", "Historical In-Progress State", "Historical Pending User Asks", "Historical Remaining Work",
            "stop", "undo", "roll back", "never mind", "just verify", "MEMORY.md", "USER.md", "authoritative", "tools remain fully active",
        })
        {
            Assert.Contains(clause, prefix, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("resume exactly", prefix, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("you may use the summary as background", prefix, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\n", prefix, StringComparison.Ordinal);
    }

    [Fact]
    public void Exact_strings_match_the_contract()
    {
        Assert.Equal("--- END OF CONTEXT SUMMARY — respond to the message below, not the summary above ---", ContextCompressor.EndMarker);
        Assert.Equal("[CONTEXT SUMMARY]:", ContextCompressor.LegacySummaryPrefix);
        Assert.Contains(ContextCompressor.LegacySummaryPrefix, ContextCompressor.HistoricalSummaryPrefixes);
        Assert.Equal("\n...[truncated]...\n", ContextCompressor.SerializationTruncation);
        Assert.Equal("[media attachment]", ContextCompressor.MediaAttachmentMarker);
        Assert.Equal("[PRIOR CONTEXT — for reference only; not a new message]", ContextCompressor.PriorContextMarker);
        Assert.Equal("[END OF PRIOR CONTEXT — COMPACTION SUMMARY BELOW]", ContextCompressor.PriorContextEndMarker);
        Assert.Equal("\n...[fallback summary truncated]", ContextCompressor.FallbackTruncationMarker);
    }
}
