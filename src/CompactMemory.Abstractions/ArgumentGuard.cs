using System;

namespace CompactMemory;

/// <summary>Argument checks that work the same on netstandard2.0 and current .NET.</summary>
internal static class ArgumentGuard
{
    public static void NotNull(object? value, string name)
    {
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }
    }

    public static void NotNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is a token count and cannot be negative.");
        }
    }
}
