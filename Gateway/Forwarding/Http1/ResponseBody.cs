using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// Copies a destination's response body to the client as it arrives. Every piece is flushed at once, so a server-sent
/// event reaches the client when the destination sends it. A chunked body that has already arrived whole (the usual
/// small JSON answer) is sent with a <c>Content-Length</c> in one write instead, which saves the client a second packet.
/// </summary>
internal static class ResponseBody
{
    /// <summary>A chunk-size line longer than this is refused (hex digits plus extensions nobody sends).</summary>
    private const int MaxChunkLineBytes = 1024;

    /// <summary>The most a destination may send as a response head, and the receive buffer's largest size.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>
    /// Copies the body whose head was <paramref name="head"/>. A body that has already arrived whole goes out in one write
    /// without an async frame; the others are copied piece by piece as they arrive.
    /// </summary>
    /// <exception cref="DestinationClosedException">The destination closed the connection before the body ended.</exception>
    /// <exception cref="InvalidDataException">The chunked framing is malformed.</exception>
    public static ValueTask CopyAsync<TSink>(BackendConnection connection, TSink sink, ResponseHeadInfo head)
        where TSink : IResponseSink => head.Framing switch
    {
        ResponseFraming.ContentLength when head.ContentLength > 0 && connection.Unread.Length >= head.ContentLength =>
            WriteAsync(connection, sink, (int)head.ContentLength),
        ResponseFraming.ContentLength => CopyLengthAsync(connection, sink, head.ContentLength),
        ResponseFraming.Chunked => sink.ContentLength is null && TryDecodeWhole(connection, out var length)
            ? WriteWhole(connection, sink, length)
            : CopyChunkedAsync(connection, sink),
        ResponseFraming.UntilClose => CopyUntilCloseAsync(connection, sink),
        _ => ValueTask.CompletedTask,
    };

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CopyLengthAsync<TSink>(BackendConnection connection, TSink sink, long remaining)
        where TSink : IResponseSink
    {
        while (remaining > 0)
        {
            await EnsureUnreadAsync(connection);
            var take = (int)Math.Min(remaining, connection.Unread.Length);
            await WriteAsync(connection, sink, take);
            remaining -= take;
        }
    }

    private static async ValueTask CopyUntilCloseAsync<TSink>(BackendConnection connection, TSink sink)
        where TSink : IResponseSink
    {
        while (!connection.Unread.IsEmpty || await connection.ReceiveMoreAsync(MaxHeadBytes) > 0)
        {
            await WriteAsync(connection, sink, connection.Unread.Length);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CopyChunkedAsync<TSink>(BackendConnection connection, TSink sink)
        where TSink : IResponseSink
    {
        while (true)
        {
            var size = await ReadChunkSizeAsync(connection);
            if (size == 0)
            {
                await SkipTrailersAsync(connection);
                return;
            }

            await CopyLengthAsync(connection, sink, size);
            await ExpectLineEndAsync(connection);
        }
    }

    /// <summary>
    /// When the whole chunked body, with its last chunk and no trailers, is already received, moves the chunks' data
    /// together at the start of the unread bytes and returns its length; the framing after it is consumed.
    /// </summary>
    private static bool TryDecodeWhole(BackendConnection connection, out int length)
    {
        length = 0;
        var unread = connection.Unread;
        var position = 0;
        while (true)
        {
            if (!TryParseChunkSize(unread[position..], out var lineLength, out var size) || size > unread.Length)
            {
                return false;
            }

            position += lineLength;
            if (size == 0)
            {
                if (unread.Length - position < 2 || unread[position] != '\r' || unread[position + 1] != '\n')
                {
                    return false;
                }

                position += 2;
                break;
            }

            if (unread.Length - position < size + 2 || unread[position + (int)size] != '\r' || unread[position + (int)size + 1] != '\n')
            {
                return false;
            }

            position += (int)size + 2;
        }

        // Complete: second pass, now moving the data.
        var writable = connection.UnreadWritable;
        var read = 0;
        while (true)
        {
            TryParseChunkSize(writable[read..], out var lineLength, out var size);
            read += lineLength;
            if (size == 0)
            {
                break;
            }

            writable.Slice(read, (int)size).CopyTo(writable[length..]);
            length += (int)size;
            read += (int)size + 2;
        }

        connection.KeepDecoded(length, position);
        return true;
    }

    private static async ValueTask<long> ReadChunkSizeAsync(BackendConnection connection)
    {
        while (true)
        {
            if (TryParseChunkSize(connection.Unread, out var lineLength, out var size))
            {
                connection.Consume(lineLength);
                return size;
            }

            if (connection.Unread.Length > MaxChunkLineBytes)
            {
                throw new InvalidDataException("The destination sent a chunk-size line that is too long.");
            }

            await ReceiveAsync(connection);
        }
    }

    /// <summary>Parses "1a;ext\r\n"; false when the line has not fully arrived.</summary>
    /// <exception cref="InvalidDataException">The line is not a chunk size.</exception>
    private static bool TryParseChunkSize(ReadOnlySpan<byte> unread, out int lineLength, out long size)
    {
        size = 0;
        lineLength = unread.IndexOf("\r\n"u8);
        if (lineLength < 0)
        {
            return false;
        }

        var line = unread[..lineLength];
        var extension = line.IndexOf((byte)';');
        var digits = (extension < 0 ? line : line[..extension]).TrimEnd(" \t"u8);
        if (digits.IsEmpty || digits.Length > 15 || !Utf8Parser.TryParse(digits, out size, out var consumed, 'x') || consumed != digits.Length)
        {
            throw new InvalidDataException("The destination sent a malformed chunk size.");
        }

        lineLength += 2;
        return true;
    }

    private static async ValueTask SkipTrailersAsync(BackendConnection connection)
    {
        while (true)
        {
            var lineEnd = connection.Unread.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                await ReceiveAsync(connection);
                continue;
            }

            connection.Consume(lineEnd + 2);
            if (lineEnd == 0)
            {
                return;
            }
        }
    }

    private static async ValueTask ExpectLineEndAsync(BackendConnection connection)
    {
        while (connection.Unread.Length < 2)
        {
            await ReceiveAsync(connection);
        }

        if (!connection.Unread.StartsWith("\r\n"u8))
        {
            throw new InvalidDataException("The destination's chunk is longer than its size says.");
        }

        connection.Consume(2);
    }

    private static async ValueTask EnsureUnreadAsync(BackendConnection connection)
    {
        if (connection.Unread.IsEmpty)
        {
            await ReceiveAsync(connection);
        }
    }

    private static async ValueTask ReceiveAsync(BackendConnection connection)
    {
        if (await connection.ReceiveMoreAsync(MaxHeadBytes) == 0)
        {
            throw new DestinationClosedException("The destination closed the connection before the response body ended.");
        }
    }

    /// <summary>A chunked body that had arrived whole, decoded by <see cref="TryDecodeWhole"/>: sent with its length.</summary>
    private static ValueTask WriteWhole<TSink>(BackendConnection connection, TSink sink, int length)
        where TSink : IResponseSink
    {
        sink.ContentLength = length;
        return WriteAsync(connection, sink, length);
    }

    /// <summary>Writes <paramref name="count"/> unread bytes to the client; without an async frame when the write completes at once.</summary>
    private static ValueTask WriteAsync<TSink>(BackendConnection connection, TSink sink, int count)
        where TSink : IResponseSink
    {
        ValueTask writing;
        try
        {
            writing = sink.WriteAsync(connection.UnreadMemory[..count], connection.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ValueTask.FromException(new ClientWriteException(ex));
        }

        if (!writing.IsCompletedSuccessfully)
        {
            return WrittenAsync(writing, connection, count);
        }

        writing.GetAwaiter().GetResult();
        Written(connection, count);
        return ValueTask.CompletedTask;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask WrittenAsync(ValueTask writing, BackendConnection connection, int count)
    {
        try
        {
            await writing;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ClientWriteException(ex);
        }

        Written(connection, count);
    }

    private static void Written(BackendConnection connection, int count)
    {
        connection.Consume(count);
        connection.Touch();
    }
}

/// <summary>The destination closed its connection where a message was not finished.</summary>
internal sealed class DestinationClosedException(string message) : IOException(message);

/// <summary>Writing the response to the client failed (not the destination's fault).</summary>
internal sealed class ClientWriteException(Exception inner) : IOException("Writing the response to the client failed.", inner);
