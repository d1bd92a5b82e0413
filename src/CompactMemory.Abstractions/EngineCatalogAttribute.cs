using System;
#if NET
using System.Diagnostics.CodeAnalysis;
#endif

namespace CompactMemory;

/// <summary>
/// Names the <see cref="EngineCatalog"/> of an assembly. Emitted by the SDK's source generator; one per assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public sealed class EngineCatalogAttribute : Attribute
{
    /// <summary>Points at the assembly's catalog.</summary>
    /// <param name="catalogType">A class deriving from <see cref="EngineCatalog"/> with a public parameterless constructor.</param>
    public EngineCatalogAttribute(
#if NET
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
#endif
        Type catalogType)
    {
        CatalogType = catalogType;
    }

    /// <summary>The catalog class.</summary>
#if NET
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
#endif
    public Type CatalogType { get; }
}
