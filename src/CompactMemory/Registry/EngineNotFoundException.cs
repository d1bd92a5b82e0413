using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompactMemory.Text;

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
        : this(requestedId ?? string.Empty, availableIds ?? [], Closest(requestedId ?? string.Empty, availableIds ?? []))
    {
    }

    private EngineNotFoundException(string requestedId, IReadOnlyList<string> availableIds, string? closest)
        : base(BuildMessage(requestedId, availableIds, closest))
    {
        RequestedId = requestedId;
        AvailableIds = availableIds;
        ClosestMatch = closest;
    }

    /// <summary>The id that was asked for.</summary>
    public string RequestedId { get; }

    /// <summary>The ids that exist, sorted.</summary>
    public IReadOnlyList<string> AvailableIds { get; }

    /// <summary>The available id nearest to the requested one, when one is near enough to be a likely typo.</summary>
    public string? ClosestMatch { get; }

    /// <summary>
    /// <see cref="RequestedId"/> as messages show it: control characters escaped, at most 100 characters (a cut id
    /// ends in "..."), so a host that words its own message quotes a hostile id the same short way.
    /// </summary>
    public string DisplayedId => Quote(RequestedId);

    /// <summary>Ids longer than this get no suggestion: nothing registered is a typo away from them, and the comparison would cost their length squared.</summary>
    private const int MaxComparedLength = 128;

    /// <summary>The most edit-distance cells computed for one suggestion (a few milliseconds), however many ids are registered.</summary>
    private const long MaxComparisonWork = 4_000_000;

    /// <summary>The most characters of an id quoted in a message.</summary>
    private const int MaxQuotedLength = 100;

    /// <summary>The most available ids named in a message; the rest are counted.</summary>
    private const int MaxListedIds = 50;

    private static string BuildMessage(string requestedId, IReadOnlyList<string> availableIds, string? closest)
    {
        var hint = closest is null ? string.Empty : $" Did you mean '{Quote(closest)}'?";
        if (availableIds.Count == 0)
        {
            return $"Unknown engine '{Quote(requestedId)}'. No engines are registered.";
        }

        var listed = string.Join(", ", availableIds.Take(MaxListedIds).Select(id => Quote(id ?? string.Empty)));
        var more = availableIds.Count > MaxListedIds
            ? " and " + (availableIds.Count - MaxListedIds).ToString(CultureInfo.InvariantCulture) + " more ('compact-memory engine list' shows them all)"
            : string.Empty;
        return $"Unknown engine '{Quote(requestedId)}'.{hint} Available: {listed}{more}";
    }

    /// <summary>An id as it can be shown: control characters escaped, at most 100 characters (cut ones end in "...").</summary>
    private static string Quote(string id)
    {
        var text = id.Length <= MaxQuotedLength
            ? id
            : string.Concat(id.AsSpan(0, char.IsHighSurrogate(id[MaxQuotedLength - 4]) ? MaxQuotedLength - 4 : MaxQuotedLength - 3), "...");
        return PrintableText.Of(text);
    }

    /// <summary>The id with the smallest edit distance, if that distance is at most a third of the id's length (at least 2).</summary>
    private static string? Closest(string requested, IReadOnlyList<string> candidates)
    {
        if (requested.Length > MaxComparedLength)
        {
            return null;
        }

        var allowed = Math.Max(2, requested.Length / 3);
        var lowered = requested.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        long work = 0;
        foreach (var candidate in candidates)
        {
            // The distance is at least the difference in length: a candidate too long or too short is never near.
            if (candidate is null || Math.Abs(candidate.Length - requested.Length) > allowed)
            {
                continue;
            }

            work += (long)(requested.Length + 1) * (candidate.Length + 1);
            if (work > MaxComparisonWork)
            {
                break;
            }

            var distance = EditDistance(lowered, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

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
