using System.Buffers;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A fetched snapshot's decompressed bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, and its ETag. The
/// loader keeps nothing of the body (each plugin copies its own JSON), so the buffer goes back to the pool once the
/// revision is built: no large object is allocated per fetch. The owner disposes it once; not thread-safe.
/// </summary>
internal sealed class SnapshotBody : IDisposable
{
    private const int InitialSize = 256 * 1024;
    private byte[] _buffer;

    private SnapshotBody(byte[] buffer, int length, string? etag)
    {
        _buffer = buffer;
        Length = length;
        ETag = etag;
    }

    public int Length { get; }

    /// <summary>The ETag without quotes: ConfigStore's SHA-256 of the body.</summary>
    public string? ETag { get; }

    /// <summary>The bytes; not to be used after <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads <paramref name="content"/> to its end. <paramref name="lengthHint"/> sizes the first buffer when known.</summary>
    public static async Task<SnapshotBody> ReadAsync(Stream content, int? lengthHint, string? etag, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(lengthHint + 1 ?? InitialSize, 4096));
        var length = 0;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return new SnapshotBody(buffer, length, etag);
        }
        catch
        {
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
