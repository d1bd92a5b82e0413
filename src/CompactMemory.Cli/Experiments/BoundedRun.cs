using System;
using System.Globalization;
using System.Threading;

namespace CompactMemory.Cli.Experiments;

/// <summary>
/// Runs engine code on a thread of its own and stops waiting after a time limit, as the registry runs plugin code
/// while it loads packages: an engine that never returns costs one background thread, not the whole run. The
/// cancellation token given to the code is cancelled when the limit passes, so an engine that honours
/// <c>CompressionOptions.CancellationToken</c> stops too. .NET cannot abort a thread, so one that ignores it keeps
/// running until the process ends; being a background thread, it never keeps the process alive.
/// </summary>
internal static class BoundedRun
{
    /// <summary>Runs <paramref name="action"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <returns>False when the code did not finish in time (then <paramref name="result"/> and <paramref name="error"/> are unset).</returns>
    public static bool TryRun<T>(Func<CancellationToken, T> action, TimeSpan timeout, out T? result, out Exception? error)
    {
        var cancellation = new CancellationTokenSource();
        var outcome = new Outcome<T>();
        var thread = new Thread(() =>
        {
            try
            {
                outcome.Result = action(cancellation.Token);
            }
            catch (Exception ex)
            {
                outcome.Error = ex;
            }
        })
        {
            IsBackground = true,
            Name = "CompactMemory experiment engine",
        };
        thread.Start();
        if (!thread.Join(timeout))
        {
            cancellation.Cancel();
            result = default;
            error = null;
            return false;
        }

        cancellation.Dispose();
        result = outcome.Result;
        error = outcome.Error;
        return true;
    }

    /// <summary>Describes a time limit for messages: <c>60 s</c>, <c>500 ms</c>.</summary>
    public static string Describe(TimeSpan timeout) => timeout.TotalSeconds >= 1 && timeout.Milliseconds == 0
        ? ((long)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s"
        : ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";

    private sealed class Outcome<T>
    {
        public T? Result { get; set; }

        public Exception? Error { get; set; }
    }
}
