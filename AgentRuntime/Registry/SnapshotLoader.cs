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
    /// <summary>Below this many plugins to parse, parallelism costs more than it saves.</summary>
    private const int ParallelParseThreshold = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The length of the last snapshot fetched: the next is likely about as long. A hint only, so races do not matter.</summary>
    private int _lastLength;

    public async Task<LoadedRevision> LoadAsync(
        string revisionId, InternedPluginTable interned, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var body = await configStore.GetSnapshotAsync(revisionId, _lastLength is > 0 and var last ? last : null, cancellationToken);
        _lastLength = body.Length;

        // The fetch goes on hashing the body on another thread while it is parsed here; the checksum is needed only after.
        var parsed = Parse(body.Memory, interned);
        var checksum = await body.Checksum;
        return Complete(revisionId, parsed, checksum, body.ETag, interned, timeProvider, started);
    }

    /// <summary>
    /// Verifies, parses and validates a body (its SHA-256 computed beside the parse); keeps no reference to
    /// <paramref name="body"/>. Public for the tests and the benchmark.
    /// </summary>
    public static LoadedRevision Build(
        string revisionId, ReadOnlyMemory<byte> body, string? etag, InternedPluginTable interned, TimeProvider timeProvider, long startedTimestamp)
    {
        string? checksum = null;
        ParsedBody? parsed = null;
        Parallel.Invoke(() => checksum = Convert.ToHexStringLower(SHA256.HashData(body.Span)), () => parsed = Parse(body, interned));
        return Complete(revisionId, parsed!, checksum!, etag, interned, timeProvider, startedTimestamp);
    }

    /// <summary>
    /// Finds the plugin slices, looks each up among the loaded plugins by its exact bytes and parses those not found. A
    /// body that is not a readable catalog is reported in the result, not thrown: a checksum mismatch must win over it.
    /// </summary>
    private static ParsedBody Parse(ReadOnlyMemory<byte> body, InternedPluginTable interned)
    {
        try
        {
            var slices = Scan(body, interned.Latest);
            return new ParsedBody(slices, Intern(body, slices, interned), null);
        }
        catch (JsonException ex)
        {
            return new ParsedBody(null, null, ex);
        }
    }

    /// <summary>Checks the checksum, then readability, then validity; builds the revision.</summary>
    private static LoadedRevision Complete(
        string revisionId, ParsedBody parsed, string checksum, string? etag, InternedPluginTable interned, TimeProvider timeProvider, long startedTimestamp)
    {
        CheckChecksum(revisionId, checksum, etag);
        if (parsed.Unreadable is not null)
        {
            throw Unreadable(revisionId, parsed.Unreadable);
        }

        var (slices, plugins) = (parsed.Slices!, parsed.Plugins!);
        var definitions = new PluginDefinition[plugins.Length];
        var reused = new HashSet<PluginDefinition>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < plugins.Length; i++)
        {
            definitions[i] = plugins[i].Plugin;
            if (interned.Contains(plugins[i]))
            {
                reused.Add(definitions[i]);
            }
        }

        var catalog = new CatalogSnapshot
        {
            MarketplaceName = slices.MarketplaceName,
            Plugins = [.. definitions],
            RemotePlugins = slices.RemotePlugins,
        };
        var errors = SnapshotValidator.Validate(catalog, reused);
        if (errors.Count > 0)
        {
            throw new SnapshotLoadException(revisionId, "invalid",
                $"The snapshot of revision '{revisionId}' failed validation: {string.Join(" ", errors)}");
        }

        return new LoadedRevision(revisionId, checksum, catalog, ImmutableArray.Create(plugins), timeProvider.GetUtcNow(), Stopwatch.GetElapsedTime(startedTimestamp));
    }

    /// <summary>
    /// The plugin of each slice: the loaded one when its JSON is byte-identical, else a new one parsed from the slice (in
    /// parallel when there are many). Throws the first parse failure in catalog order.
    /// </summary>
    private static InternedPlugin[] Intern(ReadOnlyMemory<byte> body, PluginSlices slices, InternedPluginTable interned)
    {
        var ranges = slices.Ranges;
        var plugins = new InternedPlugin[ranges.Count];
        var missing = new List<int>();
        for (var i = 0; i < plugins.Length; i++)
        {
            var (start, length, known) = ranges[i];
            if (known)
            {
                plugins[i] = slices.Guesses[i]!;
            }
            else if (interned.Count > 0 && interned.TryGet(body.Span.Slice(start, length), out var existing))
            {
                plugins[i] = existing;
            }
            else
            {
                missing.Add(i);
            }
        }

        var failures = new JsonException?[missing.Count];
        if (missing.Count >= ParallelParseThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, missing.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, ParseMissing);
        }
        else
        {
            for (var m = 0; m < missing.Count; m++)
            {
                ParseMissing(m);
            }
        }

        if (Array.Find(failures, f => f is not null) is { } failure)
        {
            throw failure;
        }

        return plugins;

        void ParseMissing(int m)
        {
            var i = missing[m];
            var json = body.Span.Slice(ranges[i].Start, ranges[i].Length);
            try
            {
                var copy = json.ToArray(); // outlives the pooled body: kept for byte comparison, and the bodies are read from it
                plugins[i] = new InternedPlugin(copy, PluginJsonReader.Read(copy));
            }
            catch (JsonException ex)
            {
                failures[m] = ex;
            }
        }
    }

    private static void CheckChecksum(string revisionId, string checksum, string? etag)
    {
        if (etag is null || !string.Equals(checksum, etag, StringComparison.OrdinalIgnoreCase))
        {
            throw new SnapshotLoadException(revisionId, "checksum-mismatch",
                $"The snapshot of revision '{revisionId}' has SHA-256 {checksum} but ConfigStore's ETag says {etag ?? "(none)"}: it was corrupted or truncated in transit.");
        }
    }

    private static SnapshotLoadException Unreadable(string revisionId, JsonException ex) =>
        new(revisionId, "unreadable", $"The snapshot of revision '{revisionId}' is not a readable catalog: {ex.Message}", ex);

    /// <summary>
    /// Reads the catalog's envelope (marketplace name, remote plugins, other keys) with a JSON reader and notes where each
    /// plugin's exact JSON bytes lie. The plugins array is not tokenized: <see cref="JsonArraySlicer"/> finds its elements
    /// and its end, and the reader resumes after it. Where the body holds, byte for byte, the plugin that
    /// <paramref name="latest"/> has at that position (or one position off, as after an insertion or removal), that plugin
    /// is taken at the cost of one comparison. No document tree is built; the other plugins are parsed afterwards.
    /// </summary>
    private static PluginSlices Scan(ReadOnlyMemory<byte> body, ImmutableArray<InternedPlugin> latest)
    {
        var reader = new Utf8JsonReader(body.Span);
        var offset = 0; // where the reader's buffer starts in the body
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The snapshot is not a JSON object.");
        }

        string? marketplaceName = null;
        List<RemotePluginReference> remotePlugins = [];
        var ranges = new List<(int Start, int Length, bool Known)>();
        var guesses = new List<InternedPlugin?>(latest.Length);
        var shift = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("plugins"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("'plugins' is not an array.");
                }

                offset = JsonArraySlicer.Slice(body.Span, offset + (int)reader.BytesConsumed, ranges, Guess);
                reader = ResumeAfterArray(body.Span[offset..], reader.CurrentState);
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

        return new PluginSlices(marketplaceName, remotePlugins, ranges, guesses);

        // The length of the plugin of `latest` whose exact JSON starts at `start`, trying the position of the last match first.
        int Guess(int index, int start)
        {
            InternedPlugin? match = null;
            for (var delta = 0; delta <= 2 && match is null; delta++)
            {
                var candidate = index + shift + (delta == 2 ? -1 : delta);
                if (candidate >= 0 && candidate < latest.Length && body.Span[start..].StartsWith(latest[candidate].Json))
                {
                    match = latest[candidate];
                    shift = candidate - index;
                }
            }

            guesses.Add(match);
            return match?.Json.Length ?? 0;
        }
    }

    /// <summary>A reader over <paramref name="rest"/> in the state of one that has just read the end of the array it began.</summary>
    private static Utf8JsonReader ResumeAfterArray(ReadOnlySpan<byte> rest, JsonReaderState insideArray)
    {
        var close = new Utf8JsonReader("]"u8, isFinalBlock: false, insideArray);
        close.Read();
        return new Utf8JsonReader(rest, isFinalBlock: true, close.CurrentState);
    }

    /// <summary>What <see cref="Parse"/> made of a body: the slices and plugins, or why it is not a readable catalog.</summary>
    private sealed record ParsedBody(PluginSlices? Slices, InternedPlugin[]? Plugins, JsonException? Unreadable);

    /// <summary>The envelope, each plugin's range (<c>Known</c> when taken from <c>Guesses</c> at the same index) and the guesses.</summary>
    private sealed record PluginSlices(
        string? MarketplaceName, List<RemotePluginReference> RemotePlugins, List<(int Start, int Length, bool Known)> Ranges, List<InternedPlugin?> Guesses);
}
