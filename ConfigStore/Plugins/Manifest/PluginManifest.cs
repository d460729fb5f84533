using System.Text.Json;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Manifest;

/// <summary>A manifest field and the file it came from (for diagnostics about its value).</summary>
internal sealed record ManifestField(JsonElement Value, string File);

/// <summary>A plugin's <c>plugin.json</c> merged with its marketplace entry: <c>plugin.json</c> wins, except for the name.</summary>
internal sealed record PluginManifest
{
    public required string Name { get; init; }

    public string? Version { get; init; }

    public string? Description { get; init; }

    public PluginAuthor? Author { get; init; }

    public string? ManifestFile { get; init; }

    public ManifestField? Agents { get; init; }

    public ManifestField? Commands { get; init; }

    public ManifestField? Skills { get; init; }

    public ManifestField? Hooks { get; init; }

    public ManifestField? McpServers { get; init; }

    public ManifestField? Dependencies { get; init; }

    public required IReadOnlyDictionary<string, JsonElement> Metadata { get; init; }
}
