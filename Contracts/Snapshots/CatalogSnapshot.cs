namespace Evergreen.Contracts.Snapshots;

/// <summary>
/// The parsed, normalized plugin catalog of one revision: the document runtimes load.
/// </summary>
/// <remarks>
/// Immutable once built and safe to share between threads. Every list is sorted (plugins and their components by name,
/// then by path) and every dictionary enumerates its keys in ordinal order, so serializing the same revision twice with
/// <c>System.Text.Json</c> produces the same bytes; a checksum over that JSON identifies the revision's content.
/// </remarks>
public sealed record CatalogSnapshot
{
    /// <summary>The <c>name</c> of the repository's <c>.claude-plugin/marketplace.json</c>; null when there is none.</summary>
    public string? MarketplaceName { get; init; }

    /// <summary>The plugins found in the revision, sorted by <see cref="PluginDefinition.Name"/>.</summary>
    public IReadOnlyList<PluginDefinition> Plugins { get; init; } = [];

    /// <summary>
    /// Marketplace entries whose source lives outside the repository (GitHub, git URL, npm, …). They are listed so people
    /// can see them, but never fetched: their agents, skills and commands are not part of the catalog.
    /// </summary>
    public IReadOnlyList<RemotePluginReference> RemotePlugins { get; init; } = [];
}
