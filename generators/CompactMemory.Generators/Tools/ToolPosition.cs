namespace CompactMemory.Generators.Tools;

/// <summary>Where a type occurs; the schema's nullability of a reference type depends on it.</summary>
internal enum ToolPosition
{
    /// <summary>A method parameter: nullable only when annotated <c>?</c> (oblivious counts as not null).</summary>
    Parameter,

    /// <summary>An object property: nullable when annotated <c>?</c> or oblivious (System.Text.Json's reading).</summary>
    Property,

    /// <summary>An array or list element: never nullable (Microsoft.Extensions.AI treats oblivious as not null).</summary>
    Element,

    /// <summary>A return value: only written, so nullability does not matter.</summary>
    Return,
}
