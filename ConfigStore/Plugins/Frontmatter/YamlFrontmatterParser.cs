using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Evergreen.ConfigStore.Plugins.Frontmatter;

/// <summary>Parses frontmatter as strict YAML (1.2 core schema for untagged plain scalars) into JSON values.</summary>
internal static class YamlFrontmatterParser
{
    // Deeper nesting than this in a frontmatter block is abuse (or an alias bomb), not configuration.
    private const int MaxDepth = 32;

    public static bool TryParse(string yaml, int firstLine, out ParsedFrontmatter result, out (string Message, int? Line) error)
    {
        result = ParsedFrontmatter.Empty;
        error = default;
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return true;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            error = (Describe(exception), (int)exception.Start.Line + firstLine - 1);
            return false;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // The representation model reports some malformed input (a repeated key, a document of only comments) this way.
            error = (exception.Message, null);
            return false;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return true;
        }

        if (stream.Documents.Count > 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            error = ("the block is not a single 'key: value' mapping", firstLine);
            return false;
        }

        var pairs = mapping.Children.ToList();
        var entries = new List<FrontmatterEntry>(pairs.Count);
        for (var index = 0; index < pairs.Count; index++)
        {
            var (key, value) = pairs[index];
            var name = key is YamlScalarNode { Value: { } text } ? text : key.ToString();

            // A collection node's End mark is not where its text ends, so a value's text runs up to the next key.
            var end = index + 1 < pairs.Count ? pairs[index + 1].Key.Start.Index : yaml.Length;
            entries.Add(new FrontmatterEntry(name, ToJson(value, 0), Slice(yaml, value.Start.Index, end), (int)key.Start.Line + firstLine - 1));
        }

        result = new ParsedFrontmatter(entries, UsedFallback: false);
        return true;
    }

    private static JsonNode? ToJson(YamlNode node, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException(node.Start, node.End, "nesting is too deep");
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? Plain(scalar.Value ?? "") : JsonValue.Create(scalar.Value ?? "");
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(child => ToJson(child, depth + 1))]);
            case YamlMappingNode mapping:
                var result = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    result[key is YamlScalarNode { Value: { } text } ? text : key.ToString()] = ToJson(value, depth + 1);
                }

                return result;
            default:
                return null;
        }
    }

    /// <summary>YAML 1.2 core schema: untagged plain scalars may be null, booleans or numbers; everything else is a string.</summary>
    private static JsonNode? Plain(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        var first = value[0];
        if (char.IsAsciiDigit(first) || first is '-' or '+' or '.')
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }

            // decimal keeps "1.0" as 1.0 rather than 1; exponents beyond its range fall back to double.
            if (!value.EndsWith('.') && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }
        }

        return JsonValue.Create(value);
    }

    private static string Slice(string yaml, long start, long end)
    {
        var from = (int)Math.Clamp(start, 0, yaml.Length);
        var to = (int)Math.Clamp(end, from, yaml.Length);
        return yaml[from..to].Trim();
    }

    private static string Describe(YamlException exception)
    {
        var message = exception.InnerException?.Message ?? exception.Message;
        var detail = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (detail < 0 ? message : message[(detail + 3)..]).TrimEnd('.');
    }
}
