using System.Text.Json;

namespace CompactMemory.Context;

/// <summary>
/// A tool a context engine offers the model, in the bare <c>{name, description, parameters}</c> shape; the host
/// wraps it as <c>{"type": "function", "function": …}</c>.
/// </summary>
/// <param name="Name">The tool name the model calls.</param>
/// <param name="Description">What the tool does, for the model.</param>
/// <param name="Parameters">The JSON schema of the arguments object.</param>
public sealed record ToolSchema(string Name, string Description, JsonElement Parameters);
