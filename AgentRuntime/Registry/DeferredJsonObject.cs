using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A JSON object of free-form values, such as a component's frontmatter or a plugin's metadata, kept as its bytes inside
/// the plugin's retained JSON until first read, then parsed once into a dictionary. <see cref="PluginJsonReader"/> has
/// already checked that the bytes are one valid JSON object, so the parse cannot fail. A key that appears twice keeps its
/// last value, as with the serializer; keys enumerate in document order. Thread-safe; immutable to its readers.
/// </summary>
internal sealed class DeferredJsonObject(byte[] json, int start, int length) : IReadOnlyDictionary<string, JsonElement>
{
    /// <summary>The empty object, shared: most components have no frontmatter and most plugins no metadata.</summary>
    public static readonly IReadOnlyDictionary<string, JsonElement> Empty = FrozenDictionary<string, JsonElement>.Empty;

    private Dictionary<string, JsonElement>? _parsed;

    public int Count => Parsed.Count;

    public IEnumerable<string> Keys => Parsed.Keys;

    public IEnumerable<JsonElement> Values => Parsed.Values;

    private Dictionary<string, JsonElement> Parsed => Volatile.Read(ref _parsed) ?? Parse();

    public JsonElement this[string key] => Parsed[key];

    public bool ContainsKey(string key) => Parsed.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value) => Parsed.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator() => Parsed.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<string, JsonElement> Parse()
    {
        var reader = new Utf8JsonReader(json.AsSpan(start, length));
        var parsed = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in JsonElement.ParseValue(ref reader).EnumerateObject())
        {
            parsed[property.Name] = property.Value; // every value shares the one document ParseValue made
        }

        return Interlocked.CompareExchange(ref _parsed, parsed, null) ?? parsed;
    }
}
