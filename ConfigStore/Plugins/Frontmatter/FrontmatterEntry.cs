using System.Text.Json.Nodes;

namespace Evergreen.ConfigStore.Plugins.Frontmatter;

/// <summary>One <c>key: value</c> of a frontmatter block.</summary>
/// <param name="Value">The value as JSON: string, number, boolean, null, array or object.</param>
/// <param name="RawText">The value exactly as written, for turning <c>argument-hint: [name]</c> back into text.</param>
/// <param name="Line">The key's 1-based line in the markdown file.</param>
internal sealed record FrontmatterEntry(string Key, JsonNode? Value, string RawText, int Line);

/// <summary>A parsed frontmatter block, in source order.</summary>
/// <param name="UsedFallback">True when strict YAML rejected the block and the line-based reader produced it.</param>
internal sealed record ParsedFrontmatter(IReadOnlyList<FrontmatterEntry> Entries, bool UsedFallback)
{
    public static ParsedFrontmatter Empty { get; } = new([], false);

    /// <summary>The entry for <paramref name="key"/>; the last one when a key repeats, as YAML readers that tolerate repeats do.</summary>
    public FrontmatterEntry? Get(string key) => Entries.LastOrDefault(entry => entry.Key == key);
}
