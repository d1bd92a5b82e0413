namespace CompactMemory.Generators.Tools;

/// <summary>System.Text.Json's camel-case naming policy, ported so property names match <c>AIJsonUtilities.DefaultOptions</c>.</summary>
internal static class JsonNaming
{
    /// <summary>
    /// <c>JsonNamingPolicy.CamelCase</c>: lower-cases the leading run of upper-case letters, keeping the last one when a
    /// lower-case letter follows (<c>URLValue</c> → <c>urlValue</c>, <c>ID</c> → <c>id</c>, <c>Name</c> → <c>name</c>).
    /// </summary>
    public static string CamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            var hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }
}
