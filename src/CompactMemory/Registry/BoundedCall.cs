using System;
using System.Threading;

namespace CompactMemory.Registry;

/// <summary>
/// Runs plugin code that discovery or validation cannot avoid (a catalog's static initialisation, the validator's
/// one engine creation) on a thread of its own, and stops waiting after a time limit. Code that never returns — a
/// static constructor that loops or waits forever — then costs one background thread, not the whole start-up: the
/// package is reported as failed and the next one loads. .NET cannot abort a thread, so the runaway one keeps running
/// until the process ends; being a background thread, it never keeps the process alive.
/// </summary>
internal static class BoundedCall
{
    /// <summary>Runs <paramref name="action"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="action">The code to run.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="result">The result, when the code returned.</param>
    /// <param name="error">The exception, when the code threw.</param>
    /// <returns>False when the code did not finish in time (then <paramref name="result"/> and <paramref name="error"/> are unset).</returns>
    public static bool TryRun<T>(Func<T> action, TimeSpan timeout, out T? result, out Exception? error)
    {
        var outcome = new Outcome<T>();
        var thread = new Thread(() =>
        {
            try
            {
                outcome.Result = action();
            }
            catch (Exception ex)
            {
                outcome.Error = ex;
            }
        })
        {
            IsBackground = true,
            Name = "CompactMemory plugin code",
        };
        thread.Start();
        if (!thread.Join(timeout))
        {
            result = default;
            error = null;
            return false;
        }

        result = outcome.Result;
        error = outcome.Error;
        return true;
    }

    /// <summary>Describes a time limit for messages: <c>10 s</c>, <c>500 ms</c>.</summary>
    /// <param name="timeout">The limit.</param>
    /// <returns>The text.</returns>
    public static string Describe(TimeSpan timeout) => timeout.TotalSeconds >= 1 && timeout.Milliseconds == 0
        ? ((long)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " s"
        : ((long)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms";

    /// <summary>Checks a time limit given by a caller.</summary>
    /// <param name="timeout">The limit.</param>
    /// <param name="name">The parameter name.</param>
    /// <exception cref="ArgumentOutOfRangeException">The limit is zero, negative (and not infinite) or longer than <see cref="int.MaxValue"/> milliseconds.</exception>
    public static void Validate(TimeSpan timeout, string name)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, timeout, "The time limit must be positive and at most 24 days, or Timeout.InfiniteTimeSpan to wait for ever.");
        }
    }

    private sealed class Outcome<T>
    {
        public T? Result { get; set; }

        public Exception? Error { get; set; }
    }
}
