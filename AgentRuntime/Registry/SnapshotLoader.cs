using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// Turns a revision id into a <see cref="LoadedRevision"/>: fetch the snapshot, verify that the SHA-256 of the body
/// equals its ETag, parse it (reusing every plugin whose JSON is unchanged from a loaded revision), validate it.
/// Throws <see cref="SnapshotLoadException"/> for anything that must keep the old revision active.
/// </summary>
internal sealed class SnapshotLoader(ConfigStoreClient configStore, TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<LoadedRevision> LoadAsync(
        string revisionId, IReadOnlyDictionary<string, InternedPlugin> interned, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (body, etag) = await configStore.GetSnapshotAsync(revisionId, cancellationToken);
        return Build(revisionId, body, etag, interned, timeProvider, started);
    }

    /// <summary>Verifies, parses and validates a fetched body. Public for the benchmark, which also times the fetch.</summary>
    public static LoadedRevision Build(
        string revisionId, byte[] body, string? etag, IReadOnlyDictionary<string, InternedPlugin> interned, TimeProvider timeProvider, long startedTimestamp)
    {
        var checksum = Convert.ToHexStringLower(SHA256.HashData(body));
        if (etag is null || !string.Equals(checksum, etag, StringComparison.OrdinalIgnoreCase))
        {
            throw new SnapshotLoadException(revisionId, "checksum-mismatch",
                $"The snapshot of revision '{revisionId}' has SHA-256 {checksum} but ConfigStore's ETag says {etag ?? "(none)"}: it was corrupted or truncated in transit.");
        }

        var (catalog, plugins) = Parse(revisionId, body, interned);
        var errors = SnapshotValidator.Validate(catalog);
        if (errors.Count > 0)
        {
            throw new SnapshotLoadException(revisionId, "invalid",
                $"The snapshot of revision '{revisionId}' failed validation: {string.Join(" ", errors)}");
        }

        return new LoadedRevision(revisionId, checksum, catalog, plugins, timeProvider.GetUtcNow(), Stopwatch.GetElapsedTime(startedTimestamp));
    }

    private static (CatalogSnapshot Catalog, ImmutableArray<InternedPlugin> Plugins) Parse(
        string revisionId, byte[] body, IReadOnlyDictionary<string, InternedPlugin> interned)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("The snapshot is not a JSON object.");
            }

            var plugins = ImmutableArray.CreateBuilder<InternedPlugin>();
            if (root.TryGetProperty("plugins", out var pluginsElement) && pluginsElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in pluginsElement.EnumerateArray())
                {
                    var hash = Convert.ToHexStringLower(SHA256.HashData(JsonMarshal.GetRawUtf8Value(element)));
                    plugins.Add(interned.TryGetValue(hash, out var existing)
                        ? existing
                        : new InternedPlugin(hash, element.Deserialize<PluginDefinition>(Json) ?? throw new JsonException("A plugin is null.")));
                }
            }

            var catalog = new CatalogSnapshot
            {
                MarketplaceName = root.TryGetProperty("marketplaceName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
                Plugins = [.. plugins.Select(p => p.Plugin)],
                RemotePlugins = root.TryGetProperty("remotePlugins", out var remote) && remote.ValueKind == JsonValueKind.Array
                    ? remote.Deserialize<List<RemotePluginReference>>(Json) ?? []
                    : [],
            };
            return (catalog, plugins.ToImmutable());
        }
        catch (JsonException ex)
        {
            throw new SnapshotLoadException(revisionId, "unreadable", $"The snapshot of revision '{revisionId}' is not a readable catalog: {ex.Message}", ex);
        }
    }
}
