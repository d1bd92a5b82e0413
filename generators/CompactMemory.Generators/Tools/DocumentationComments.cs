using System;
using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CompactMemory.Generators.Tools;

/// <summary>
/// Reads <c>&lt;summary&gt;</c> and <c>&lt;param&gt;</c> text from XML documentation comments. The compiler only
/// parses <c>///</c> comments when the project asks for documentation, so when the symbol gives no XML the comment is
/// read from the declaration's trivia instead.
/// </summary>
internal static class DocumentationComments
{
    /// <summary>The symbol's <c>&lt;summary&gt;</c> as one line of plain text, or null.</summary>
    public static string? Summary(ISymbol symbol, CancellationToken cancellationToken) =>
        Element(Read(symbol, cancellationToken), "summary", null);

    /// <summary>The <c>&lt;param name="…"&gt;</c> text of a method, constructor or record, or null.</summary>
    public static string? Parameter(ISymbol symbol, string name, CancellationToken cancellationToken) =>
        Element(Read(symbol, cancellationToken), "param", name);

    private static XElement? Read(ISymbol symbol, CancellationToken cancellationToken)
    {
        var xml = symbol.GetDocumentationCommentXml(cancellationToken: cancellationToken);
        if (string.IsNullOrWhiteSpace(xml))
        {
            xml = FromTrivia(symbol, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            var root = XElement.Parse("<doc>" + xml + "</doc>", LoadOptions.None);
            return root;
        }
        catch (XmlException)
        {
            // A half-typed comment: no description rather than a broken one.
            return null;
        }
    }

    private static string? FromTrivia(ISymbol symbol, CancellationToken cancellationToken)
    {
        StringBuilder? text = null;
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var node = reference.GetSyntax(cancellationToken);
            foreach (var trivia in node.GetLeadingTrivia())
            {
                string? comment = null;
                if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
                {
                    comment = trivia.ToFullString();
                }
                else if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
                {
                    // With DocumentationMode.None the compiler keeps `///` lines as plain comments.
                    var line = trivia.ToString();
                    if (line.StartsWith("///", StringComparison.Ordinal) && !line.StartsWith("////", StringComparison.Ordinal))
                    {
                        comment = line;
                    }
                }

                if (comment is null)
                {
                    continue;
                }

                text ??= new StringBuilder();
                foreach (var raw in comment.Split('\n'))
                {
                    var line = raw.Trim();
                    if (line.StartsWith("///", StringComparison.Ordinal))
                    {
                        text.Append(line, 3, line.Length - 3).Append('\n');
                    }
                }
            }

            if (text is not null)
            {
                break;
            }
        }

        return text?.ToString();
    }

    private static string? Element(XElement? root, string elementName, string? nameAttribute)
    {
        if (root is null)
        {
            return null;
        }

        // GetDocumentationCommentXml wraps the comment in <member>; trivia text is bare.
        var container = root.Element("member") ?? root;
        foreach (var element in container.Elements(elementName))
        {
            if (nameAttribute is not null && !string.Equals((string?)element.Attribute("name"), nameAttribute, StringComparison.Ordinal))
            {
                continue;
            }

            var builder = new StringBuilder();
            AppendText(element, builder);
            var text = Normalize(builder.ToString());
            return text.Length == 0 ? null : text;
        }

        return null;
    }

    private static void AppendText(XElement element, StringBuilder builder)
    {
        foreach (var node in element.Nodes())
        {
            if (node is XText text)
            {
                builder.Append(text.Value);
            }
            else if (node is XElement child)
            {
                switch (child.Name.LocalName)
                {
                    case "see":
                    case "seealso":
                        if (!child.IsEmpty)
                        {
                            AppendText(child, builder);
                        }
                        else if (child.Attribute("langword") is { } langword)
                        {
                            builder.Append(langword.Value);
                        }
                        else if (child.Attribute("cref") is { } cref)
                        {
                            builder.Append(CrefName(cref.Value));
                        }
                        else if (child.Attribute("href") is { } href)
                        {
                            builder.Append(href.Value);
                        }

                        break;
                    case "paramref":
                    case "typeparamref":
                        builder.Append((string?)child.Attribute("name") ?? string.Empty);
                        break;
                    case "para":
                    case "br":
                        builder.Append(' ');
                        AppendText(child, builder);
                        builder.Append(' ');
                        break;
                    default:
                        AppendText(child, builder);
                        break;
                }
            }
        }
    }

    /// <summary><c>T:Acme.Engines.Point</c> → <c>Point</c>; <c>M:Acme.Engine.Run(System.Int32)</c> → <c>Run</c>.</summary>
    private static string CrefName(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref.Substring(2) : cref;
        var paren = name.IndexOf('(');
        if (paren >= 0)
        {
            name = name.Substring(0, paren);
        }

        var generic = name.IndexOfAny(['`', '{', '<']);
        if (generic >= 0)
        {
            name = name.Substring(0, generic);
        }

        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name.Substring(dot + 1) : name;
    }

    private static string Normalize(string text) => CompactMemory.Text.Whitespace.Collapse(text);
}
