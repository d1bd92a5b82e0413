using System;

namespace CompactMemory;

/// <summary>
/// Marks a public instance method of a context engine as a tool the model can call
/// (for example <c>lcm_grep</c>). The SDK's source generator describes the method as a JSON schema
/// and generates a reflection-free dispatch for it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class EngineToolAttribute : Attribute
{
    /// <summary>Declares the tool name.</summary>
    /// <param name="name">The tool name the model calls; must match <c>^[a-zA-Z0-9_-]{1,64}$</c>.</param>
    public EngineToolAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The tool name the model calls.</summary>
    public string Name { get; }

    /// <summary>The tool description shown to the model; the method's <c>[Description]</c> or XML summary when not set.</summary>
    public string? Description { get; set; }
}
