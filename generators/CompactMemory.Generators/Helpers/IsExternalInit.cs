using System.ComponentModel;

namespace System.Runtime.CompilerServices;

/// <summary>Lets netstandard2.0 use records and <c>init</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
internal static class IsExternalInit
{
}
