using System;
using System.IO;
using CompactMemory.Cli.Experiments;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>The progress bar of long experiment runs: only on a terminal, only once a run is long, erased at the end.</summary>
public sealed class ProgressBarTests
{
    [Fact]
    public void A_disabled_bar_writes_nothing()
    {
        using var writer = new StringWriter();
        var now = TimeSpan.FromSeconds(10);
        using (var bar = new ProgressBar(writer, 10, enabled: false, () => now))
        {
            bar.SetLabel("article");
            bar.Advance(5);
        }

        Assert.Equal(string.Empty, writer.ToString());
    }

    [Fact]
    public void A_quick_run_shows_no_bar()
    {
        using var writer = new StringWriter();
        var now = ProgressBar.Delay - TimeSpan.FromMilliseconds(1);
        using (var bar = new ProgressBar(writer, 4, enabled: true, () => now))
        {
            bar.Advance(4);
        }

        Assert.Equal(string.Empty, writer.ToString());
    }

    [Fact]
    public void A_long_run_draws_in_place_at_most_every_interval_and_erases_itself()
    {
        using var writer = new StringWriter();
        var now = ProgressBar.Delay;
        var bar = new ProgressBar(writer, 8, enabled: true, () => now);
        bar.SetLabel("article");
        var first = writer.ToString();
        bar.Advance(1);
        var unchanged = writer.ToString();
        now += ProgressBar.Interval;
        bar.Advance(3);
        var second = writer.ToString()[first.Length..];
        bar.Dispose();
        var erased = writer.ToString()[(first.Length + second.Length)..];

        Assert.Equal("\r[------------------------]   0% (0/8) article", first);
        Assert.Equal(first, unchanged);
        Assert.Equal("\r[############------------]  50% (4/8) article", second);
        Assert.Equal("\r" + new string(' ', second.Length - 1) + "\r", erased);
    }

    [Fact]
    public void Only_the_console_error_stream_can_be_a_terminal()
    {
        using var writer = new StringWriter();

        Assert.False(ProgressBar.IsTerminal(writer));
    }
}
