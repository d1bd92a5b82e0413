namespace CompactMemory.Registry;

/// <summary>A directory searched for engine packages, with its place in the search order and its listing label.</summary>
/// <param name="Path">The directory.</param>
/// <param name="Label">The source label of engines found there, such as <c>local (plugins)</c>.</param>
/// <param name="Index">Its position in the search order; lower wins.</param>
public sealed record PluginDirectory(string Path, string Label, int Index);
