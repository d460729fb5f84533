using System.Text.Json;
using System.Text.Json.Nodes;
using Evergreen.ConfigStore.Plugins.Diagnostics;

namespace Evergreen.ConfigStore.Plugins.Frontmatter;

/// <summary>Reads typed values out of frontmatter entries, accepting every shape real files use.</summary>
internal static class FrontmatterValues
{
    /// <summary>
    /// The entry as text. Numbers and booleans keep their written form; a list or mapping (<c>argument-hint: [name]</c>
    /// parses as a list) is turned back into the text that was written, with a warning.
    /// </summary>
    public static string? Text(FrontmatterEntry? entry, string file, DiagnosticBag diagnostics)
    {
        switch (entry?.Value)
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValue:
                return entry.RawText;
            default:
                diagnostics.Warning(
                    DiagnosticCodes.FrontmatterValueCoerced,
                    $"'{entry.Key}' parsed as a YAML {(entry.Value is JsonArray ? "list" : "mapping")}; it was kept as the text '{entry.RawText}'. Quote the value to make it text.",
                    file,
                    entry.Line);
                return entry.RawText;
        }
    }

    /// <summary>
    /// A tool list (<c>tools</c>, <c>allowed-tools</c>): null when the key is absent (every tool), empty for <c>[]</c> (no tool).
    /// Accepts a comma string, a space-separated string, a YAML list and a JSON-style list; commas and spaces inside
    /// parentheses belong to the tool (<c>Bash(git diff:*)</c>).
    /// </summary>
    public static IReadOnlyList<string>? ToolList(FrontmatterEntry? entry, string file, DiagnosticBag diagnostics)
    {
        if (entry is null)
        {
            return null;
        }

        IEnumerable<string> items;
        switch (entry.Value)
        {
            case null:
                diagnostics.Warning(
                    DiagnosticCodes.FrontmatterValueCoerced,
                    $"'{entry.Key}' has no value; it was read as absent (every tool). Write '{entry.Key}: []' for no tools.",
                    file,
                    entry.Line);
                return null;
            case JsonArray array:
                items = array.Select(item => item is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : item?.ToJsonString() ?? "");
                break;
            default:
                var text = Text(entry, file, diagnostics) ?? "";
                if (text.Trim() == "*")
                {
                    return null;
                }

                items = SplitToolText(text);
                break;
        }

        return [.. items.Select(static item => item.Trim().Trim('"', '\'').Trim()).Where(static item => item.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Every entry as JSON, in ordinal key order; a repeated key keeps its last value.</summary>
    public static IReadOnlyDictionary<string, JsonElement> ToDictionary(ParsedFrontmatter frontmatter)
    {
        var result = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (frontmatter.Entries.Count == 0)
        {
            return result;
        }

        // One document per file rather than one per key: converting each value separately dominated load time at scale.
        var values = new JsonObject();
        foreach (var entry in frontmatter.Entries)
        {
            values[entry.Key] = entry.Value?.DeepClone();
        }

        using var document = JsonDocument.Parse(values.ToJsonString());
        foreach (var property in document.RootElement.Clone().EnumerateObject())
        {
            result[property.Name] = property.Value;
        }

        return result;
    }

    private static IEnumerable<string> SplitToolText(string text)
    {
        // A JSON-style list that strict YAML rejected arrives as text; an unbalanced bracket is forgiven too.
        text = text.Trim();
        text = text.StartsWith('[') ? text[1..] : text;
        text = text.EndsWith(']') ? text[..^1] : text;

        var separator = HasTopLevel(text, ',') ? ',' : ' ';
        var start = 0;
        var depth = 0;
        for (var index = 0; index <= text.Length; index++)
        {
            var c = index < text.Length ? text[index] : separator;
            depth += c switch { '(' => 1, ')' when depth > 0 => -1, _ => 0 };
            var isSeparator = index == text.Length || (depth == 0 && (separator == ',' ? c == ',' : char.IsWhiteSpace(c)));
            if (isSeparator)
            {
                yield return text[start..index];
                start = index + 1;
            }
        }
    }

    private static bool HasTopLevel(string text, char separator)
    {
        var depth = 0;
        foreach (var c in text)
        {
            depth += c switch { '(' => 1, ')' when depth > 0 => -1, _ => 0 };
            if (depth == 0 && c == separator)
            {
                return true;
            }
        }

        return false;
    }
}
