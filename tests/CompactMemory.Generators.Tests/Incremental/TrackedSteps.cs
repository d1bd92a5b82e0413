using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CompactMemory.Generators.Tests.Incremental;

/// <summary>Reads the tracked steps of a generator run: each output's value and why it was produced.</summary>
internal static class TrackedSteps
{
    /// <summary>Every tracking name the generator declares.</summary>
    public static IReadOnlyList<string> AllNames { get; } = typeof(StepNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    public static IReadOnlyList<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"No tracked step '{step}'; tracked: {string.Join(", ", result.TrackedSteps.Keys)}");
        return result.TrackedSteps[step].SelectMany(s => s.Outputs).ToArray();
    }

    /// <summary>The outputs of the <c>RegisterSourceOutput</c> steps (one per per-engine file, one for the catalog).</summary>
    public static IReadOnlyList<(object Value, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).ToArray();

    /// <summary>
    /// Every value the generator's own named steps and its output steps hold. Roslyn's internal steps (the
    /// compilation, the attribute search) are tracked too and legitimately hold syntax; they are not the model.
    /// </summary>
    public static IEnumerable<object> AllValues(GeneratorRunResult result) =>
        AllNames.Select(name => result.TrackedSteps[name]).Concat(result.TrackedOutputSteps.Values)
            .SelectMany(steps => steps)
            .SelectMany(step => step.Outputs)
            .Select(output => output.Value);

    /// <summary>The reasons of the outputs that belong to one engine (found by its <c>Id</c>), and of the others.</summary>
    public static (IncrementalStepRunReason[] Engine, IncrementalStepRunReason[] Others) ReasonsFor(IEnumerable<(object Value, IncrementalStepRunReason Reason)> outputs, string engineId)
    {
        var all = outputs.ToArray();
        return (
            all.Where(o => EngineIdOf(o.Value) == engineId).Select(o => o.Reason).ToArray(),
            all.Where(o => EngineIdOf(o.Value) != engineId).Select(o => o.Reason).ToArray());
    }

    /// <summary>The <c>Id</c> of an engine model, or of the engine model a per-engine tuple starts with.</summary>
    public static string? EngineIdOf(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var type = value.GetType();
        if (type.GetProperty("Id") is { PropertyType: var idType } id && idType == typeof(string))
        {
            return (string?)id.GetValue(value);
        }

        return type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)
            ? EngineIdOf(type.GetField("Item1")!.GetValue(value))
            : null;
    }

    public static void AllCachedOrUnchanged(IEnumerable<IncrementalStepRunReason> reasons, string what)
    {
        var list = reasons.ToArray();
        Assert.True(
            list.All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
            $"{what}: expected every output Cached or Unchanged, got [{string.Join(", ", list)}]");
    }
}
