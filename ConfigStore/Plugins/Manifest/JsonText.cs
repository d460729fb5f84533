using System.Text.Json;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Paths;

namespace Evergreen.ConfigStore.Plugins.Manifest;

/// <summary>Reads JSON files the way people write them: comments and trailing commas are tolerated.</summary>
internal static class JsonText
{
    private static readonly JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The file's root element (detached from any document), or null with a warning when it is unreadable.</summary>
    public static JsonElement? Read(RepositoryReader reader, string path)
    {
        if (reader.ReadText(path) is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, Lenient);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            var line = exception.LineNumber is { } zeroBased ? (int)zeroBased + 1 : (int?)null;
            reader.Diagnostics.Warning(DiagnosticCodes.ManifestInvalid, $"The file is not valid JSON and was ignored: {FirstSentence(exception.Message)}", path, line);
            return null;
        }
    }

    /// <summary>Like <see cref="Read"/>, but also warns (and returns null) when the root is not a JSON object.</summary>
    public static JsonElement? ReadObject(RepositoryReader reader, string path)
    {
        if (Read(reader, path) is not { } element)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            return element;
        }

        reader.Diagnostics.Warning(DiagnosticCodes.ManifestInvalid, $"Expected a JSON object but found {element.ValueKind}; the file was ignored.", path);
        return null;
    }

    public static string? GetString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement? GetProperty(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(property, out var result) ? result : null;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
