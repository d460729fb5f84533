using System.IO.Compression;
using System.Text;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// The compressed bodies of recently served snapshots, by revision and encoding: a snapshot is immutable per revision, so
/// it is compressed once, not once per replica that fetches it. Holds the last <see cref="Capacity"/> (revision, encoding)
/// pairs. Thread-safe.
/// </summary>
internal sealed class CompressedSnapshotCache
{
    /// <summary>16 revisions in both encodings: a few MB for large catalogs (they compress about 13:1).</summary>
    public const int Capacity = 32;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Revision, string Encoding), CompressedSnapshot> _entries = [];
    private readonly LinkedList<(string Revision, string Encoding)> _recent = new();

    /// <summary>
    /// The encodings served precompressed, in order of preference when a client accepts them equally. gzip first: the
    /// runtime accepts both, and for a 6 MB catalog gzip (Optimal) decodes fastest (2.8 ms against 3.7 ms for Brotli
    /// Optimal, measured on the 2-core dev VM) while its 258 KB against 185 KB do not matter on a service network.
    /// </summary>
    public static readonly string[] Encodings = ["gzip", "br"];

    /// <summary>
    /// Returns the <paramref name="encoding"/> body of <paramref name="revision"/>, compressing what <paramref name="load"/>
    /// returns when it is not cached. Null when <paramref name="load"/> finds no such revision (nothing is cached then).
    /// Two concurrent misses for one pair may both compress; the first result is kept.
    /// </summary>
    public async Task<CompressedSnapshot?> GetAsync(
        string revision, string encoding, Func<CancellationToken, Task<(string Json, string Checksum)?>> load, CancellationToken cancellationToken)
    {
        var key = (revision, encoding);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var cached))
            {
                _recent.Remove(key);
                _recent.AddFirst(key);
                return cached;
            }
        }

        if (await load(cancellationToken) is not var (json, checksum))
        {
            return null;
        }

        var compressed = new CompressedSnapshot(Compress(json, encoding), checksum);
        lock (_lock)
        {
            if (_entries.TryAdd(key, compressed))
            {
                _recent.AddFirst(key);
                while (_recent.Count > Capacity)
                {
                    _entries.Remove(_recent.Last!.Value);
                    _recent.RemoveLast();
                }
            }

            return _entries.GetValueOrDefault(key, compressed);
        }
    }

    private static byte[] Compress(string json, string encoding)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var output = new MemoryStream(bytes.Length / 8);
        using (Stream compressor = encoding == "br"
            ? new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(bytes);
        }

        return output.ToArray();
    }
}

/// <summary>A snapshot body compressed in one encoding, and the SHA-256 of the uncompressed JSON (its ETag).</summary>
internal sealed record CompressedSnapshot(byte[] Body, string Checksum);
