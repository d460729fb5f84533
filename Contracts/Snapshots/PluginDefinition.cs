using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>One plugin of a revision, normalized from its manifest, its marketplace entry and its files.</summary>
public sealed record PluginDefinition
{
    /// <summary>The plugin's name: the prefix of every qualified name (<c>plugin:agent</c>). Unique in a valid revision.</summary>
    public required string Name { get; init; }

    /// <summary>The version from <c>plugin.json</c> or the marketplace entry; null when neither declares one.</summary>
    public string? Version { get; init; }

    /// <summary>The plugin's description; null when none is declared.</summary>
    public string? Description { get; init; }

    /// <summary>The author, whether declared as a string or as an object; null when none is declared.</summary>
    public PluginAuthor? Author { get; init; }

    /// <summary>The plugin's folder, relative to the repository root and <c>/</c>-separated; empty for the root itself.</summary>
    public required string Root { get; init; }

    /// <summary>How the plugin was found.</summary>
    public required PluginOrigin Origin { get; init; }

    /// <summary>The path of the plugin's <c>.claude-plugin/plugin.json</c>; null when it has none.</summary>
    public string? ManifestFile { get; init; }

    /// <summary>The plugin's agents, sorted by name.</summary>
    public IReadOnlyList<AgentDefinition> Agents { get; init; } = [];

    /// <summary>The plugin's skills, sorted by name.</summary>
    public IReadOnlyList<SkillDefinition> Skills { get; init; } = [];

    /// <summary>The plugin's slash commands, sorted by name.</summary>
    public IReadOnlyList<CommandDefinition> Commands { get; init; } = [];

    /// <summary>
    /// The plugin's hook configuration as written (<c>hooks/hooks.json</c>, or the manifest's <c>hooks</c>): kept and shown,
    /// never executed. Null when the plugin has none or the file is not valid JSON.
    /// </summary>
    public JsonElement? Hooks { get; init; }

    /// <summary>The file <see cref="Hooks"/> was read from; null when it has none or it was declared inline in the manifest.</summary>
    public string? HooksFile { get; init; }

    /// <summary>
    /// The plugin's MCP servers as a JSON object keyed by server name. Both <c>{"mcpServers": {…}}</c> and the bare
    /// <c>{name: {…}}</c> form of <c>.mcp.json</c> normalize to the inner object. Kept and shown, never started.
    /// </summary>
    public JsonElement? McpServers { get; init; }

    /// <summary>The file <see cref="McpServers"/> was read from; null when it has none or it was declared inline in the manifest.</summary>
    public string? McpServersFile { get; init; }

    /// <summary>The other plugins this one depends on, in declaration order.</summary>
    public IReadOnlyList<PluginDependency> Dependencies { get; init; } = [];

    /// <summary>
    /// Every file under <see cref="Root"/> (markdown, scripts, data), sorted by path: what an agent's <c>Read</c>, <c>Glob</c>
    /// and <c>Grep</c> tools see. Files of a plugin nested inside this one's folder belong to that plugin, not to this one.
    /// </summary>
    public IReadOnlyList<PluginFile> Files { get; init; } = [];

    /// <summary>
    /// Every other field of <c>plugin.json</c> and of the marketplace entry (<c>keywords</c>, <c>license</c>, <c>homepage</c>, …),
    /// keyed in ordinal order; <c>plugin.json</c> wins when both declare a key.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; init; } = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
}
