using System.Collections.Immutable;
using System.Diagnostics;
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

    /// <summary>
    /// One forward pass over the body: each plugin's exact JSON bytes are hashed and, when a loaded revision has the same
    /// plugin, its object is reused; only new or changed plugins are deserialized. No document tree is built.
    /// </summary>
    private static (CatalogSnapshot Catalog, ImmutableArray<InternedPlugin> Plugins) Parse(
        string revisionId, byte[] body, IReadOnlyDictionary<string, InternedPlugin> interned)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The snapshot is not a JSON object.");
            }

            string? marketplaceName = null;
            List<RemotePluginReference> remotePlugins = [];
            var plugins = ImmutableArray.CreateBuilder<InternedPlugin>();
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("plugins"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new JsonException("'plugins' is not an array.");
                    }

                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        var json = body.AsSpan(start, (int)reader.BytesConsumed - start);
                        SHA256.HashData(json, hash);
                        var key = Convert.ToHexStringLower(hash);
                        plugins.Add(interned.TryGetValue(key, out var existing)
                            ? existing
                            : new InternedPlugin(key, JsonSerializer.Deserialize<PluginDefinition>(json, Json) ?? throw new JsonException("A plugin is null.")));
                    }
                }
                else if (reader.ValueTextEquals("marketplaceName"u8))
                {
                    reader.Read();
                    marketplaceName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("remotePlugins"u8))
                {
                    reader.Read();
                    remotePlugins = JsonSerializer.Deserialize<List<RemotePluginReference>>(ref reader, Json) ?? [];
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            var catalog = new CatalogSnapshot
            {
                MarketplaceName = marketplaceName,
                Plugins = [.. plugins.Select(p => p.Plugin)],
                RemotePlugins = remotePlugins,
            };
            return (catalog, plugins.ToImmutable());
        }
        catch (JsonException ex)
        {
            throw new SnapshotLoadException(revisionId, "unreadable", $"The snapshot of revision '{revisionId}' is not a readable catalog: {ex.Message}", ex);
        }
    }
}
