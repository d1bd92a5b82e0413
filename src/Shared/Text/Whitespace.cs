using System.Text;

namespace CompactMemory.Text;

/// <summary>White-space folding shared by the generator (documentation text) and the runtime (summary focus).</summary>
internal static class Whitespace
{
    /// <summary>Every run of white space replaced by one space; leading and trailing white space removed.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The collapsed text.</returns>
    public static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
