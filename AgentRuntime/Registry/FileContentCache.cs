using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// File bytes by content hash, shared by every loaded revision: a file unchanged across ten revisions is held once.
/// Filled lazily from ConfigStore's <c>/files/</c> endpoint; bytes no loaded revision refers to are dropped when the
/// registry changes. Thread-safe.
/// </summary>
internal sealed class FileContentCache(ConfigStoreClient configStore)
{
    private readonly ConcurrentDictionary<string, ReadOnlyMemory<byte>> _contents = new(StringComparer.Ordinal);

    public int Count => _contents.Count;

    public long Bytes => _contents.Values.Sum(v => (long)v.Length);

    /// <summary>Returns the bytes of <paramref name="path"/> in <paramref name="revisionId"/>, whose hash is <paramref name="hash"/>.</summary>
    /// <exception cref="InvalidDataException">When ConfigStore's bytes do not match the hash the snapshot lists.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(string revisionId, string path, string hash, CancellationToken cancellationToken)
    {
        if (_contents.TryGetValue(hash, out var cached))
        {
            return cached;
        }

        var bytes = await configStore.GetFileAsync(revisionId, path, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"ConfigStore served '{path}' of revision {revisionId} with SHA-256 {actual}, but the snapshot lists {hash}.");
        }

        return _contents.GetOrAdd(hash, bytes);
    }

    /// <summary>Drops every entry whose hash is not in <paramref name="hashes"/>.</summary>
    public void Retain(IEnumerable<string> hashes)
    {
        if (_contents.IsEmpty)
        {
            return; // nothing to drop: skip collecting the hashes of every loaded revision
        }

        var keep = hashes.ToHashSet(StringComparer.Ordinal);
        foreach (var key in _contents.Keys)
        {
            if (!keep.Contains(key))
            {
                _contents.TryRemove(key, out _);
            }
        }
    }
}
