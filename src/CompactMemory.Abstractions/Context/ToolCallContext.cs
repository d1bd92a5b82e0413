using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CompactMemory.Context;

/// <summary>What the host passes along with a tool call besides the tool's own arguments.</summary>
public sealed record ToolCallContext
{
    /// <summary>The live conversation (<c>messages</c>), when the host shares it.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }
}
