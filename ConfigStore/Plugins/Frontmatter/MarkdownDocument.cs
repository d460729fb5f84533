using Evergreen.ConfigStore.Plugins.Diagnostics;

namespace Evergreen.ConfigStore.Plugins.Frontmatter;

/// <summary>A markdown file split into its frontmatter and its body.</summary>
internal sealed record MarkdownDocument(ParsedFrontmatter Frontmatter, string Body, bool HasFrontmatter)
{
    /// <summary>Splits and parses <paramref name="text"/> (already LF-normalized, without BOM). Never throws.</summary>
    public static MarkdownDocument Parse(string text, string file, DiagnosticBag diagnostics)
    {
        var lines = text.Split('\n');

        // Blank lines before the opening fence are tolerated: editors and generators add them.
        var open = 0;
        while (open < lines.Length && lines[open].Trim().Length == 0)
        {
            open++;
        }

        if (open == lines.Length || lines[open].TrimEnd() != "---")
        {
            return new MarkdownDocument(ParsedFrontmatter.Empty, TrimLeadingBlankLines(text), false);
        }

        var close = open + 1;
        while (close < lines.Length && lines[close].TrimEnd() is not ("---" or "..."))
        {
            close++;
        }

        if (close == lines.Length)
        {
            diagnostics.Warning(
                DiagnosticCodes.FrontmatterUnclosed,
                "The frontmatter opened with '---' is never closed; the whole file was read as the body. Add a closing '---' line.",
                file,
                open + 1);
            return new MarkdownDocument(ParsedFrontmatter.Empty, TrimLeadingBlankLines(text), false);
        }

        var yaml = string.Join('\n', lines[(open + 1)..close]);
        var body = string.Join('\n', lines[(close + 1)..]);
        var frontmatter = FrontmatterParser.Parse(yaml, firstLine: open + 2, file, diagnostics);
        return new MarkdownDocument(frontmatter, TrimLeadingBlankLines(body), true);
    }

    private static string TrimLeadingBlankLines(string text)
    {
        var start = 0;
        while (true)
        {
            var newline = text.IndexOf('\n', start);
            if (newline < 0 || !string.IsNullOrWhiteSpace(text[start..newline]))
            {
                return text[start..];
            }

            start = newline + 1;
        }
    }
}
