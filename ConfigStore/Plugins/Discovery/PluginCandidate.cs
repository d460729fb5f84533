using System.Text.Json;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Discovery;

/// <summary>A folder that holds a plugin, and what the marketplace said about it.</summary>
/// <param name="Root">The plugin's folder ('' for the repository root).</param>
internal sealed record PluginCandidate(string Root, PluginOrigin Origin)
{
    /// <summary>The plugin's marketplace entry, when it was listed in one.</summary>
    public JsonElement? MarketplaceEntry { get; init; }

    /// <summary>True when no <c>plugin.json</c> is expected: the project folder, or a marketplace entry with <c>"strict": false</c>.</summary>
    public bool ManifestOptional { get; init; }
}

/// <summary>Everything discovery found.</summary>
internal sealed record DiscoveryResult(string? MarketplaceName, IReadOnlyList<PluginCandidate> Candidates, IReadOnlyList<RemotePluginReference> RemotePlugins);
