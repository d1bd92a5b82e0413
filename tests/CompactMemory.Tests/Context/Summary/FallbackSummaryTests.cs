using System;
using System.Collections.Generic;
using System.Linq;
using CompactMemory.Context;
using Microsoft.Extensions.AI;
using Xunit;

namespace CompactMemory.Tests.Context.Summary;

public sealed class FallbackSummaryTests
{
    private static List<ChatMessage> Dropped() =>
    [
        Msg.User("Set up the project in C:\\work\\pkg"),
        Msg.Call("Listing files.", ("call_1", "terminal", "{\"command\":\"ls -la /srv/app\",\"workdir\":\"/srv/app\"}")),
        Msg.Tool("call_1", "total 3\nmain.py\nexit code: 0"),
        Msg.Call(null, ("call_2", "read_file", "{\"path\":\"C:\\\\work\\\\pkg\\\\module.py\",\"offset\":10}")),
        Msg.Tool("call_2", "def f():\n    pass"),
        Msg.Call(null, ("call_3", "write_file", "{\"file_path\":\"src/app/config.yaml\",\"content\":\"x\"}"), ("call_4", "export", "{\"output_path\":\"out/report.pdf\"}")),
        Msg.Tool("call_3", "Traceback (most recent call last):\n  File \"x.py\"\nPermissionError: denied"),
        Msg.Tool("call_4", "ok"),
        Msg.User("Now run the tests with token ghp_abcdefghijklmnopqrstuvwxyz0123456789 please"),
        Msg.Assistant("Running them."),
    ];

    [Fact]
    public void Fallback_has_the_headings_the_ask_the_tools_the_blockers_and_the_files()
    {
        var summary = FallbackSummary.Build(Dropped(), "timeout: the summary call did not finish within 120 s");

        Assert.StartsWith(ContextCompressor.SummaryPrefix + "\n## Historical Task Snapshot\n", summary, StringComparison.Ordinal);
        Assert.Contains("User asked: 'Now run the tests with token [REDACTED] please'", summary, StringComparison.Ordinal);
        Assert.Contains("Called tool(s): terminal, read_file, write_file, export", summary, StringComparison.Ordinal);
        Assert.Contains("[terminal] ran `ls -la /srv/app` -> exit 0, 3 lines output", summary, StringComparison.Ordinal);
        Assert.Contains("[read_file] read C:\\work\\pkg\\module.py from line 10 (17 chars)", summary, StringComparison.Ordinal);
        Assert.Contains("[export] output_path=out/report.pdf (2 chars result)", summary, StringComparison.Ordinal);
        Assert.Contains("## Blocked\n- [write_file] Traceback (most recent call last):", summary, StringComparison.Ordinal);

        var files = Section(summary, "## Relevant Files");
        foreach (var file in new[] { "/srv/app", "C:\\work\\pkg\\module.py", "src/app/config.yaml", "out/report.pdf", "C:\\work\\pkg" })
        {
            Assert.Contains("- " + file + "\n", files, StringComparison.Ordinal);
        }

        Assert.EndsWith(
            "Summary generation was unavailable, so this is a best-effort deterministic fallback for 10 compacted message(s). Summary failure reason: timeout: the summary call did not finish within 120 s",
            summary,
            StringComparison.Ordinal);

        var order = new[] { "## Historical Task Snapshot", "## Completed Actions", "## Blocked", "## Relevant Files", "## Last Dropped Turns", "Summary generation was unavailable" }
            .Select(h => summary.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.Equal(order.OrderBy(i => i), order);
        Assert.DoesNotContain(-1, order);
    }

    [Fact]
    public void Github_tokens_and_other_secrets_leave_no_trace_not_even_their_prefix()
    {
        var dropped = Dropped();
        dropped.Add(Msg.Tool("call_9", "deploy key AKIAIOSFODNN7EXAMPLE and gho_16C7e42F292c6912E7710c838347Ae178B4a failed"));
        var summary = FallbackSummary.Build(dropped, "boom with sk-proj-AbCdEf0123456789ghijKLMN");

        Assert.DoesNotContain("ghp_", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("gho_", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj", summary, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Last_dropped_turns_are_the_last_eight_each_at_most_700_characters()
    {
        var dropped = Enumerable.Range(0, 12)
            .Select(i => i % 2 == 0 ? Msg.User("ask " + i + " " + new string('u', i == 10 ? 2_000 : 5)) : Msg.Assistant("reply " + i))
            .ToList();

        var summary = FallbackSummary.Build(dropped, "reason");
        var turns = Section(summary, "## Last Dropped Turns").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(8, turns.Length);
        Assert.StartsWith("USER: ask 4 ", turns[0], StringComparison.Ordinal);
        Assert.Equal("ASSISTANT: reply 11", turns[^1]);
        Assert.All(turns, t => Assert.True(t.Length <= 700));
        Assert.Equal(700, turns[6].Length);
        Assert.EndsWith("...", turns[6], StringComparison.Ordinal);
        Assert.DoesNotContain("ask 2 ", Section(summary, "## Last Dropped Turns"), StringComparison.Ordinal);
        Assert.Contains("User asked: 'ask 10 ", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_fallback_is_cut_at_8000_characters_with_the_marker()
    {
        var dropped = Enumerable.Range(0, 200)
            .SelectMany(i => new[]
            {
                Msg.Call(null, ("c" + i, "tool_" + i, "{\"path\":\"/data/file_" + i + ".txt\"}")),
                Msg.Tool("c" + i, "error: " + new string('e', 500)),
            })
            .ToList();

        var summary = FallbackSummary.Build(dropped, "reason");

        Assert.Equal(8_000 + ContextCompressor.FallbackTruncationMarker.Length, summary.Length);
        Assert.EndsWith("\n...[fallback summary truncated]", summary, StringComparison.Ordinal);
        Assert.StartsWith(ContextCompressor.SummaryPrefix, summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fallback_without_users_or_tools_still_reads()
    {
        var summary = FallbackSummary.Build([Msg.Assistant("thinking")], string.Empty);
        Assert.Contains("User asked: (no user request among the compacted turns)", summary, StringComparison.Ordinal);
        Assert.Contains("No tool calls among the compacted turns.", summary, StringComparison.Ordinal);
        Assert.Contains("ASSISTANT: thinking", summary, StringComparison.Ordinal);
        Assert.EndsWith("for 1 compacted message(s). Summary failure reason: summary unavailable", summary, StringComparison.Ordinal);
        Assert.True(HandoffText.IsHandoff(Msg.User(summary)));
    }

    [Theory]
    [InlineData("edit /home/me/app.py and ./build.sh then ../up/x then ~/notes.md", "/home/me/app.py|./build.sh|../up/x|~/notes.md")]
    [InlineData("open D:\\src\\Proj\\Program.cs, also src/lib/util.ts.", "D:\\src\\Proj\\Program.cs|src/lib/util.ts")]
    [InlineData("see https://example.com/a/b.html and and/or 1/2 and a/", "")]
    public void Path_like_words_are_found_without_urls_or_fractions(string text, string expected)
    {
        Assert.Equal(expected, string.Join("|", FallbackSummary.PathLike(text)));
    }

    private static string Section(string summary, string heading)
    {
        var start = summary.IndexOf(heading + "\n", StringComparison.Ordinal) + heading.Length + 1;
        var end = summary.IndexOf("\n\n", start, StringComparison.Ordinal);
        return summary[start..(end < 0 ? summary.Length : end + 1)];
    }
}
