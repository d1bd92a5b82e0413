using System;
using System.Collections;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace CompactMemory.Generators.Tests.Incremental;

/// <summary>
/// Walks every object reachable from a root through fields and properties (recursively, each object once) and reports
/// the Roslyn objects a generator model must never hold: they pin whole compilations in memory and defeat caching.
/// </summary>
internal static class ObjectGraph
{
    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel),
        typeof(SyntaxToken), typeof(SyntaxReference), typeof(AttributeData), typeof(IOperation),
    ];

    /// <summary>Paths (from the root) to every forbidden object reachable from <paramref name="roots"/>.</summary>
    public static IReadOnlyList<string> ForbiddenPaths(IEnumerable<object> roots)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var index = 0;
        foreach (var root in roots)
        {
            Walk(root, "value[" + index++ + "]:" + root.GetType().Name, visited, found, depth: 0);
        }

        return found;
    }

    private static void Walk(object? value, string path, HashSet<object> visited, List<string> found, int depth)
    {
        if (value is null || depth > 64)
        {
            return;
        }

        var type = value.GetType();
        if (Array.Exists(Forbidden, f => f.IsAssignableFrom(type)))
        {
            found.Add(path + " (" + type.FullName + ")");
            return;
        }

        if (IsLeaf(type) || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }

        // Arrays hold their items outside any field; every other collection is walked through its fields.
        if (value is Array array)
        {
            var i = 0;
            foreach (var item in array)
            {
                Walk(item, path + "[" + i++ + "]", visited, found, depth + 1);
            }

            return;
        }

        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.FieldType.IsPointer)
                {
                    Walk(field.GetValue(value), path + "." + field.Name, visited, found, depth + 1);
                }
            }

            foreach (var property in current.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (property.GetIndexParameters().Length == 0 && property.GetMethod is not null && !property.PropertyType.IsPointer && !property.PropertyType.IsByRefLike)
                {
                    object? propertyValue;
                    try
                    {
                        propertyValue = property.GetValue(value);
                    }
                    catch (TargetInvocationException)
                    {
                        continue; // e.g. the Length of a default ImmutableArray: its fields were walked already
                    }

                    Walk(propertyValue, path + "." + property.Name, visited, found, depth + 1);
                }
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(TimeSpan)
        || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type) || typeof(IEqualityComparer).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EqualityComparer<>));
}
