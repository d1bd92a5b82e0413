using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>The result of <see cref="IContextEngine.PruneToolResultsOnly"/>.</summary>
/// <param name="Messages">The messages after pruning.</param>
/// <param name="PrunedCount">How many tool results were pruned.</param>
public sealed record ToolResultPruning(IReadOnlyList<ChatMessage> Messages, int PrunedCount);
