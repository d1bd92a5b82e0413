namespace CompactMemory.Generators.Model;

/// <summary>How the dispatch code gives a read property value to the new object.</summary>
internal enum ToolPropertyAssignment
{
    /// <summary>Not settable (get-only): the JSON value is ignored, as System.Text.Json does.</summary>
    None,

    /// <summary>A constructor argument.</summary>
    Constructor,

    /// <summary>In the object initializer, always (a <c>required</c> member or an init-only <c>[JsonRequired]</c> one).</summary>
    Initializer,

    /// <summary>An optional init-only property: in the object initializer, with the type's own value when omitted.</summary>
    OptionalInitializer,

    /// <summary>A public setter, called after construction when the property is present.</summary>
    Setter,
}
