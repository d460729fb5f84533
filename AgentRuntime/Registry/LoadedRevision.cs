using System.Collections.Immutable;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// One revision loaded into memory: its verified, validated catalog and lookups. Immutable and shared by every request
/// that captured it; requests keep it alive after it leaves the registry.
/// </summary>
internal sealed class LoadedRevision
{
    public LoadedRevision(
        string id, string checksum, CatalogSnapshot catalog, ImmutableArray<InternedPlugin> plugins, DateTimeOffset loadedAt, TimeSpan loadDuration)
    {
        Id = id;
        Checksum = checksum;
        Catalog = catalog;
        Plugins = plugins;
        LoadedAt = loadedAt;
        LoadDuration = loadDuration;
        Index = new CatalogIndex(catalog.Plugins);
    }

    /// <summary>The revision id (git commit id).</summary>
    public string Id { get; }

    /// <summary>The SHA-256 of the snapshot body, as ConfigStore's ETag gave it and this runtime verified it.</summary>
    public string Checksum { get; }

    public CatalogSnapshot Catalog { get; }

    /// <summary>The catalog's plugins with the hash of their JSON, for sharing with later revisions.</summary>
    public ImmutableArray<InternedPlugin> Plugins { get; }

    public CatalogIndex Index { get; }

    /// <summary>When the snapshot finished loading.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Fetch, verification, parsing and validation together.</summary>
    public TimeSpan LoadDuration { get; }

    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
}
