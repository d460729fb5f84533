using System.Buffers;
using System.Security.Cryptography;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A fetched snapshot's decompressed bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, its ETag, and the
/// SHA-256 of the bytes, computed as they arrive: each 512 KB chunk is hashed on another thread, in order, while the next
/// is read and decompressed, and hashing goes on while the loader slices and parses, which needs the checksum only at the
/// end. The loader keeps nothing of the body (each plugin copies its own JSON), so the buffer goes back to the pool once
/// the revision is built and hashing has finished: no large object is allocated per fetch. The owner disposes it once.
/// </summary>
internal sealed class SnapshotBody : IAsyncDisposable
{
    private const int InitialSize = 256 * 1024;

    /// <summary>Bytes read before they are handed to the hashing thread: large enough that handing over costs nothing.</summary>
    private const int HashChunk = 512 * 1024;

    private byte[] _buffer;

    private SnapshotBody(byte[] buffer, int length, string? etag, Task<string> checksum)
    {
        _buffer = buffer;
        Length = length;
        ETag = etag;
        Checksum = checksum;
    }

    public int Length { get; }

    /// <summary>The ETag without quotes: ConfigStore's SHA-256 of the body.</summary>
    public string? ETag { get; }

    /// <summary>The lower-case hex SHA-256 of the bytes as received, once the hashing thread has caught up.</summary>
    public Task<string> Checksum { get; }

    /// <summary>The bytes; not to be used after <see cref="DisposeAsync"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads <paramref name="content"/> to its end. <paramref name="lengthHint"/> sizes the first buffer when known.</summary>
    public static async Task<SnapshotBody> ReadAsync(Stream content, int? lengthHint, string? etag, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(lengthHint + 1 ?? InitialSize, 4096));
        var length = 0;
        var submitted = 0;
        var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashing = Task.CompletedTask; // the chain of chunks handed over so far: IncrementalHash takes them one at a time, in order
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length - submitted >= HashChunk)
                {
                    hashing = Append(hashing, sha256, buffer, submitted, length - submitted);
                    submitted = length;
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

            return new SnapshotBody(buffer, length, etag, Finish(Append(hashing, sha256, buffer, submitted, length - submitted), sha256));
        }
        catch
        {
            await hashing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            sha256.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Returns the buffer to the pool once hashing, which reads it, has finished.</summary>
    public async ValueTask DisposeAsync()
    {
        await ((Task)Checksum).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task Append(Task previous, IncrementalHash sha256, byte[] chunk, int from, int count) =>
        previous.ContinueWith(_ => sha256.AppendData(chunk, from, count), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private static async Task<string> Finish(Task hashing, IncrementalHash sha256)
    {
        using (sha256)
        {
            await hashing;
            return Convert.ToHexStringLower(sha256.GetHashAndReset());
        }
    }
}
