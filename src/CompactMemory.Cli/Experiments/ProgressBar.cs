using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace CompactMemory.Cli.Experiments;

/// <summary>
/// A one-line progress bar for long runs, redrawn in place with a carriage return on a terminal's standard error. It
/// appears only once a run has lasted <see cref="Delay"/> (a quick run shows nothing), redraws at most every
/// <see cref="Interval"/>, and erases itself when disposed, so what remains on the terminal is the report. When it is
/// not enabled (standard error is a file or a pipe) it writes nothing at all.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    /// <summary>How long a run lasts before the bar appears.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);

    /// <summary>The shortest time between two redraws.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private const int BarWidth = 24;
    private const int MaxLabel = 32;

    private readonly TextWriter _writer;
    private readonly long _total;
    private readonly bool _enabled;
    private readonly Func<TimeSpan> _clock;
    private long _done;
    private string _label = string.Empty;
    private TimeSpan? _lastDraw;
    private int _shown;

    /// <param name="writer">Where the bar is drawn (standard error).</param>
    /// <param name="total">How many steps the run has.</param>
    /// <param name="enabled">Whether to draw at all: only when <paramref name="writer"/> is a terminal.</param>
    /// <param name="clock">The time since the run started; a stopwatch by default.</param>
    public ProgressBar(TextWriter writer, long total, bool enabled, Func<TimeSpan>? clock = null)
    {
        _writer = writer;
        _total = Math.Max(1, total);
        _enabled = enabled;
        if (clock is null)
        {
            var started = Stopwatch.GetTimestamp();
            clock = () => Stopwatch.GetElapsedTime(started);
        }

        _clock = clock;
    }

    /// <summary>Whether standard error is a terminal the bar can be drawn on.</summary>
    public static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>What is running now (shown beside the bar).</summary>
    public void SetLabel(string label)
    {
        _label = label;
        Draw();
    }

    /// <summary>Records <paramref name="steps"/> more steps done.</summary>
    public void Advance(int steps)
    {
        _done = Math.Min(_total, _done + steps);
        Draw();
    }

    /// <summary>Erases the bar, if it was drawn.</summary>
    public void Dispose()
    {
        if (_shown > 0)
        {
            _writer.Write("\r" + new string(' ', _shown) + "\r");
            _writer.Flush();
            _shown = 0;
        }
    }

    private void Draw()
    {
        if (!_enabled)
        {
            return;
        }

        var now = _clock();
        if (now < Delay || (_lastDraw is { } last && now - last < Interval))
        {
            return;
        }

        _lastDraw = now;
        var filled = (int)(BarWidth * _done / _total);
        var label = _label.Length > MaxLabel ? _label[..(MaxLabel - 1)] + "…" : _label;
        var line = new StringBuilder()
            .Append('[').Append('#', filled).Append('-', BarWidth - filled).Append("] ")
            .Append(CultureInfo.InvariantCulture, $"{100 * _done / _total,3}% ({_done}/{_total}) ")
            .Append(label)
            .ToString();
        var padding = Math.Max(0, _shown - line.Length);
        _writer.Write("\r" + line + new string(' ', padding));
        _writer.Flush();
        _shown = line.Length;
    }
}
