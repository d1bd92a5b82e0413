using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace CompactMemory.Cli.Experiments;

/// <summary>What one budget of an experiment measured, or why it could not.</summary>
/// <param name="Budget">The token budget.</param>
/// <param name="Texts">How many texts the dataset has.</param>
/// <param name="TokensBefore">The texts' tokens, summed.</param>
/// <param name="TokensAfter">The compressed texts' tokens, summed (from each text's first run); null when the budget failed.</param>
/// <param name="CompressionRatio"><paramref name="TokensAfter"/> / <paramref name="TokensBefore"/>; null when the budget failed.</param>
/// <param name="MeanMs">The mean time of one compression, in milliseconds; null when the budget failed.</param>
/// <param name="Error">Why the budget failed (the engine threw, returned nothing, or ran past the time limit), or null.</param>
internal sealed record BudgetResult(int Budget, int Texts, long TokensBefore, long? TokensAfter, double? CompressionRatio, double? MeanMs, string? Error);

/// <summary>One experiment's results, one per budget in the file's order.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="EngineId">The engine that ran it.</param>
/// <param name="Results">One result per budget.</param>
internal sealed record ExperimentResult(Experiment Experiment, string EngineId, IReadOnlyList<BudgetResult> Results)
{
    /// <summary>Whether any budget failed.</summary>
    public bool HasErrors => Results.Any(r => r.Error is not null);
}

/// <summary>
/// Runs an experiment: for each budget, a new engine instance compresses every text <see cref="Experiment.Repeat"/>
/// times (see <see cref="ExperimentEngine"/> for what that means for each kind of engine), and tokens are counted with
/// the estimator <c>compress</c> reports with. The first budget compresses the first text once more, untimed, first.
/// Each call into the engine (creating it, each compression) runs under <see cref="BoundedRun"/>; an engine that
/// throws, returns nothing or runs past the time limit fails that budget, with the text it failed on, and the run goes
/// on with the next budget.
/// </summary>
/// <param name="engine">The engine to run.</param>
/// <param name="timeout">How long one engine call may take.</param>
/// <param name="advance">Called after each compression (or each one skipped after a failure), for progress.</param>
/// <param name="starting">Called with each budget before it runs, for progress.</param>
internal sealed class ExperimentRunner(ExperimentEngine engine, TimeSpan timeout, Action<int>? advance = null, Action<int>? starting = null)
{
    /// <summary>The longest error text kept for one budget.</summary>
    private const int MaxErrorCharacters = 400;

    public ExperimentResult Run(Experiment experiment)
    {
        var results = experiment.Budgets.Select((budget, index) => RunBudget(experiment, budget, warmUp: index == 0)).ToArray();
        return new ExperimentResult(experiment, engine.EngineId, results);
    }

    /// <param name="experiment">The experiment.</param>
    /// <param name="budget">The budget.</param>
    /// <param name="warmUp">
    /// Whether to compress the first text once more, untimed, before the timed runs: the first call of a process pays
    /// for just-in-time compilation and first-use set-up, which would otherwise be counted in the first budget's time.
    /// </param>
    private BudgetResult RunBudget(Experiment experiment, int budget, bool warmUp)
    {
        starting?.Invoke(budget);
        var engineId = engine.EngineId;
        var steps = experiment.Texts.Count * experiment.Repeat;
        long before = 0;
        BudgetResult Failed(string error, int done)
        {
            advance?.Invoke(steps - done);
            return new BudgetResult(budget, experiment.Texts.Count, before, null, null, null, error);
        }

        foreach (var text in experiment.Texts)
        {
            var tokens = engine.Measure(text.Text);
            if (tokens == 0)
            {
                return Failed($"{text.Label} has no message text once read as a conversation for context engine '{engineId}'; give lines such as 'User: …' and 'Assistant: …'", 0);
            }

            before += tokens;
        }

        if (!BoundedRun.TryRun(_ => engine.Create(budget), timeout, out var instance, out var createError))
        {
            return Failed($"engine '{engineId}' was not created within {BoundedRun.Describe(timeout)} (its constructor never returned); raise --timeout if it is only slow", 0);
        }

        if (createError is not null || instance is null)
        {
            return Failed(createError is null ? $"engine '{engineId}': creating it returned nothing" : Describe(createError, $"engine '{engineId}' could not be created"), 0);
        }

        var timedOut = false;
        try
        {
            long after = 0;
            double totalMs = 0;
            var done = 0;
            foreach (var text in experiment.Texts)
            {
                for (var run = warmUp && ReferenceEquals(text, experiment.Texts[0]) ? -1 : 0; run < experiment.Repeat; run++)
                {
                    var ran = BoundedRun.TryRun(
                        token =>
                        {
                            var started = Stopwatch.GetTimestamp();
                            var count = instance.Compress(text.Text, token);
                            return (Count: count, Elapsed: Stopwatch.GetElapsedTime(started));
                        },
                        timeout,
                        out var outcome,
                        out var error);
                    var where = experiment.Repeat == 1 || run < 0
                        ? $"{text.Label} (budget {budget.ToString(CultureInfo.InvariantCulture)})"
                        : string.Create(CultureInfo.InvariantCulture, $"{text.Label} (budget {budget}, run {run + 1} of {experiment.Repeat})");
                    if (!ran)
                    {
                        timedOut = true;
                        return Failed($"engine '{engineId}' did not finish {where} within {BoundedRun.Describe(timeout)}; the run went on without it (raise --timeout if the engine is only slow)", done);
                    }

                    if (error is not null)
                    {
                        return Failed(Describe(error, $"engine '{engineId}' failed on {where}"), done);
                    }

                    if (outcome.Count is null)
                    {
                        return Failed(engine.Kind == "context"
                            ? $"engine '{engineId}' returned no conversation for {where}; CompressAsync must return the compacted messages"
                            : $"engine '{engineId}' returned no result for {where}; Compress must return a CompressedMemory", done);
                    }

                    if (run < 0)
                    {
                        continue;
                    }

                    if (run == 0)
                    {
                        after += outcome.Count();
                    }

                    totalMs += outcome.Elapsed.TotalMilliseconds;
                    done++;
                    advance?.Invoke(1);
                }
            }

            return new BudgetResult(budget, experiment.Texts.Count, before, after, (double)after / before, Math.Round(totalMs / steps, 3), null);
        }
        finally
        {
            // An engine still running on another thread is left alone; disposing it under that thread could break it worse.
            if (!timedOut && instance.Engine is IDisposable disposable)
            {
                BoundedRun.TryRun(_ =>
                {
                    disposable.Dispose();
                    return true;
                }, timeout, out _, out _);
            }
        }
    }

    /// <summary>An engine's exception as one line: the SDK's own exceptions by their message, others with their type.</summary>
    private static string Describe(Exception error, string what)
    {
        var cause = error is System.Reflection.TargetInvocationException or AggregateException && error.InnerException is { } inner ? inner : error;
        var text = cause is CompactMemoryException ? cause.Message : cause.GetType().Name + ": " + cause.Message;
        return what + ": " + ExperimentQuote.Of(text.ReplaceLineEndings(" "), MaxErrorCharacters);
    }
}
