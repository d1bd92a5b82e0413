using System;
using System.Collections.Generic;

namespace CompactMemory.Registry;

/// <summary>No engine has the requested id. The message lists the available ids and the closest match.</summary>
public sealed class EngineNotFoundException : CompactMemoryException
{
    /// <summary>Creates the exception.</summary>
    public EngineNotFoundException()
        : this(string.Empty, [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public EngineNotFoundException(string message)
        : base(message)
    {
        RequestedId = string.Empty;
        AvailableIds = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EngineNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        RequestedId = string.Empty;
        AvailableIds = [];
    }

    /// <summary>Creates the exception for an id.</summary>
    /// <param name="requestedId">The id that was asked for.</param>
    /// <param name="availableIds">The ids that exist, sorted.</param>
    public EngineNotFoundException(string requestedId, IReadOnlyList<string> availableIds)
        : base(BuildMessage(requestedId, availableIds))
    {
        RequestedId = requestedId;
        AvailableIds = availableIds;
        ClosestMatch = Closest(requestedId, availableIds);
    }

    /// <summary>The id that was asked for.</summary>
    public string RequestedId { get; }

    /// <summary>The ids that exist, sorted.</summary>
    public IReadOnlyList<string> AvailableIds { get; }

    /// <summary>The available id nearest to the requested one, when one is near enough to be a likely typo.</summary>
    public string? ClosestMatch { get; }

    private static string BuildMessage(string requestedId, IReadOnlyList<string> availableIds)
    {
        var closest = Closest(requestedId, availableIds);
        var hint = closest is null ? string.Empty : $" Did you mean '{closest}'?";
        return availableIds.Count == 0
            ? $"Unknown engine '{requestedId}'. No engines are registered."
            : $"Unknown engine '{requestedId}'.{hint} Available: {string.Join(", ", availableIds)}";
    }

    /// <summary>The id with the smallest edit distance, if that distance is at most a third of the id's length (at least 2).</summary>
    private static string? Closest(string requested, IReadOnlyList<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(requested.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var allowed = Math.Max(2, requested.Length / 3);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
