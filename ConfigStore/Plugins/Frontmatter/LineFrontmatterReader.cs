using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Evergreen.ConfigStore.Plugins.Frontmatter;

/// <summary>
/// The fallback for frontmatter that strict YAML rejects, read the forgiving way Claude Code reads it: a line that starts at
/// column 0 with a lowercase <c>key:</c> begins a value, and every other line continues the value before it.
/// </summary>
/// <remarks>
/// Real files break YAML in a few recurring ways, each handled here: unquoted <c>: </c> inside a value (the line is split at
/// the first colon only), unindented continuation lines, and <c>&lt;example&gt;</c> blocks whose <c>Context:</c>,
/// <c>user:</c> and <c>assistant:</c> lines look like keys (inside an open tag block no line starts a key; capitalized
/// words never do). Values stay strings, except a key followed only by <c>- item</c> lines, which becomes a list.
/// </remarks>
internal static partial class LineFrontmatterReader
{
    public static ParsedFrontmatter Read(string text, int firstLine)
    {
        var pending = new List<PendingEntry>();
        var openTags = new List<string>();
        var lines = text.Split('\n');
        var lastClosing = LastClosingLines(lines);
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var current = pending.Count > 0 ? pending[^1] : null;
            if (openTags.Count == 0 && KeyLine().Match(line) is { Success: true } match)
            {
                var value = match.Groups["value"].Value.Trim();
                pending.Add(new PendingEntry(match.Groups["key"].Value, value, firstLine + index));
                TrackTags(value, index, lastClosing, openTags);
                continue;
            }

            if (current is null || (openTags.Count == 0 && line.StartsWith('#')))
            {
                // Text before the first key, and YAML comment lines between keys, carry no value.
                continue;
            }

            TrackTags(line, index, lastClosing, openTags);
            current.Continuation.Add(line);
        }

        return new ParsedFrontmatter([.. pending.Select(ToEntry)], UsedFallback: true);
    }

    private static FrontmatterEntry ToEntry(PendingEntry pending)
    {
        var continuation = pending.Continuation;
        while (continuation.Count > 0 && continuation[^1].Trim().Length == 0)
        {
            continuation.RemoveAt(continuation.Count - 1);
        }

        var raw = continuation.Count == 0 ? pending.First : pending.First + "\n" + string.Join('\n', continuation);
        return new FrontmatterEntry(pending.Key, ToValue(pending.Key, pending.First, continuation), raw, pending.Line);
    }

    private static JsonNode? ToValue(string key, string first, List<string> continuation)
    {
        if (first is "|" or "|-" or "|+" or ">" or ">-" or ">+")
        {
            return JsonValue.Create(BlockScalar(first, continuation));
        }

        if (first.Length == 0 && continuation.Count > 0 && continuation.All(static l => l.Trim().Length == 0 || l.TrimStart().StartsWith("- ", StringComparison.Ordinal)))
        {
            return new JsonArray([.. continuation.Where(static l => l.Trim().Length > 0).Select(l => (JsonNode?)JsonValue.Create(Unquote(l.TrimStart()[2..].Trim())))]);
        }

        if (continuation.Count == 0)
        {
            if (first.Length == 0)
            {
                return null;
            }

            if (IsQuoted(first))
            {
                return JsonValue.Create(Unquote(first));
            }

            // Agent descriptions are often one line with "\n" escapes (the <example> convention). Claude Code shows them as
            // line breaks, as a double-quoted YAML string would; only description gets this, so Windows paths stay intact.
            return JsonValue.Create(key == "description" ? Unescape(first) : first);
        }

        var text = new StringBuilder(first);
        foreach (var line in continuation)
        {
            text.Append('\n').Append(line.TrimEnd());
        }

        return JsonValue.Create(text.ToString().Trim());
    }

    private static string BlockScalar(string indicator, List<string> lines)
    {
        var indent = lines.Where(static l => l.Trim().Length > 0).Select(static l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        var dedented = lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()).ToList();
        var text = indicator[0] == '|' ? string.Join('\n', dedented) : Fold(dedented);
        return indicator.EndsWith('-') ? text : text + "\n";
    }

    private static string Fold(List<string> lines)
    {
        var text = new StringBuilder();
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            if (index > 0)
            {
                text.Append(line.Length == 0 || lines[index - 1].Length == 0 ? "\n" : " ");
            }

            text.Append(line);
        }

        return text.ToString().Replace("\n\n", "\n", StringComparison.Ordinal);
    }

    private static bool IsQuoted(string value) =>
        value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\''));

    private static string Unquote(string value) =>
        !IsQuoted(value) ? value
        : value[0] == '"' ? Unescape(value[1..^1])
        : value[1..^1].Replace("''", "'", StringComparison.Ordinal);

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var index = 0; index < value.Length; index++)
        {
            if (value[index] != '\\' || index == value.Length - 1)
            {
                text.Append(value[index]);
                continue;
            }

            index++;
            text.Append(value[index] switch
            {
                'n' => '\n',
                't' => '\t',
                '"' => '"',
                '\\' => '\\',
                _ => value[index],
            });
        }

        return text.ToString();
    }

    /// <summary>
    /// Keeps the stack of open tag blocks up to date. A tag opens a block only when its closing tag comes on a later line,
    /// so an <c>argument-hint: &lt;name&gt;</c> placeholder never swallows the keys after it.
    /// </summary>
    private static void TrackTags(string text, int lineIndex, Dictionary<string, int> lastClosing, List<string> openTags)
    {
        foreach (Match tag in Tag().Matches(text))
        {
            var name = tag.Groups["name"].Value;
            if (tag.Groups["slash"].Length > 0)
            {
                var index = openTags.LastIndexOf(name);
                if (index >= 0)
                {
                    openTags.RemoveRange(index, openTags.Count - index);
                }
            }
            else if (lastClosing.GetValueOrDefault(name, -1) > lineIndex)
            {
                openTags.Add(name);
            }
        }
    }

    private static Dictionary<string, int> LastClosingLines(string[] lines)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < lines.Length; index++)
        {
            foreach (Match tag in Tag().Matches(lines[index]))
            {
                if (tag.Groups["slash"].Length > 0)
                {
                    result[tag.Groups["name"].Value] = index;
                }
            }
        }

        return result;
    }

    [GeneratedRegex(@"^(?<key>[a-z][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(?<value>.*)|[ \t]*)$")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"<(?<slash>/?)(?<name>[A-Za-z][A-Za-z0-9_-]*)>")]
    private static partial Regex Tag();

    private sealed record PendingEntry(string Key, string First, int Line)
    {
        public List<string> Continuation { get; } = [];
    }
}
