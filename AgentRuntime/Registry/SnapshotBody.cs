using System.Buffers;
using System.Security.Cryptography;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A fetched snapshot's decompressed bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, its ETag, and the
/// SHA-256 of the bytes, computed while they arrive: each chunk is hashed on another thread while the next is read and
/// decompressed, so the check against the ETag costs the loader no time of its own. The loader keeps nothing of the body
/// (each plugin copies its own JSON), so the buffer goes back to the pool once the revision is built: no large object is
/// allocated per fetch. The owner disposes it once; not thread-safe.
/// </summary>
internal sealed class SnapshotBody : IDisposable
{
    private const int InitialSize = 256 * 1024;

    /// <summary>Bytes read before they are handed to the hashing thread: large enough that handing over costs nothing.</summary>
    private const int HashChunk = 512 * 1024;
    private byte[] _buffer;

    private SnapshotBody(byte[] buffer, int length, string? etag, string checksum)
    {
        _buffer = buffer;
        Length = length;
        ETag = etag;
        Checksum = checksum;
    }

    public int Length { get; }

    /// <summary>The ETag without quotes: ConfigStore's SHA-256 of the body.</summary>
    public string? ETag { get; }

    /// <summary>The lower-case hex SHA-256 of the bytes as received.</summary>
    public string Checksum { get; }

    /// <summary>The bytes; not to be used after <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads <paramref name="content"/> to its end. <paramref name="lengthHint"/> sizes the first buffer when known.</summary>
    public static async Task<SnapshotBody> ReadAsync(Stream content, int? lengthHint, string? etag, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(lengthHint + 1 ?? InitialSize, 4096));
        var length = 0;
        var hashed = 0;
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashing = Task.CompletedTask; // at most one chunk in flight: IncrementalHash is not thread-safe, and order matters
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length - hashed >= HashChunk)
                {
                    await hashing;
                    var (chunk, from, count) = (buffer, hashed, length - hashed);
                    hashing = Task.Run(() => sha256.AppendData(chunk, from, count), CancellationToken.None);
                    hashed = length;
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    await hashing; // it may still read the old buffer
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            await hashing;
            sha256.AppendData(buffer, hashed, length - hashed);
            return new SnapshotBody(buffer, length, etag, Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
        catch
        {
            await hashing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
