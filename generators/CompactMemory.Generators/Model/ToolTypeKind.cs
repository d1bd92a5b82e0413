namespace CompactMemory.Generators.Model;

/// <summary>The supported shapes of tool argument and result types.</summary>
internal enum ToolTypeKind
{
    String,
    Boolean,
    Char,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    Guid,
    DateTime,
    DateTimeOffset,
    TimeSpan,
    Uri,
    Enum,

    /// <summary>A one-dimensional array <c>T[]</c>.</summary>
    Array,

    /// <summary><c>List&lt;T&gt;</c> or one of the list interfaces it implements; read as a <c>List&lt;T&gt;</c>.</summary>
    List,

    /// <summary>A class or record made of supported properties.</summary>
    Object,
}
