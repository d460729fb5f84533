using System.Buffers;
using System.Runtime.CompilerServices;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>Sends the request head and body to a destination: a small body in the same packet as the head, a larger one streamed.</summary>
internal static class RequestBody
{
    /// <summary>Bodies up to this size go out with the head in one send.</summary>
    private const int InlineBytes = 16 * 1024;
    private const int CopyBufferBytes = 16 * 1024;

    /// <summary>
    /// The client's body framing, as the destination will see it. A body without a length that can be measured (the
    /// gateway buffers bodies) is sent with a <c>Content-Length</c>; otherwise it is re-chunked.
    /// </summary>
    public static RequestHead.BodyFraming FramingOf(HttpContext context)
    {
        var request = context.Request;
        if (!RequestBodyDetection.CanHaveBody(context))
        {
            // An explicit empty body (POST with Content-Length: 0) keeps its length: some servers answer 411 without it.
            return request.ContentLength == 0 ? new RequestHead.BodyFraming(0, false) : RequestHead.BodyFraming.None;
        }

        if (request.ContentLength is { } length)
        {
            return new RequestHead.BodyFraming(length, false);
        }

        return request.Body.CanSeek
            ? new RequestHead.BodyFraming(request.Body.Length - request.Body.Position, false)
            : new RequestHead.BodyFraming(null, true);
    }

    /// <summary>Sends the head already written to <see cref="BackendConnection.Send"/>, then the body.</summary>
    /// <exception cref="ClientReadException">Reading the client's body failed or it ended early.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask SendAsync(BackendConnection connection, Stream body, RequestHead.BodyFraming framing)
    {
        var head = connection.Send;
        if (framing.ContentLength is > 0 and <= InlineBytes)
        {
            var length = (int)framing.ContentLength.Value;
            await ReadFromClientAsync(body, head.Reserve(length), length, connection.Token);
            head.Advance(length);
            await connection.SendAsync(head.Written);
            return;
        }

        await connection.SendAsync(head.Written);
        if (framing.Chunked)
        {
            await SendChunkedAsync(connection, body);
        }
        else if (framing.ContentLength is > 0)
        {
            await SendLengthAsync(connection, body, framing.ContentLength.Value);
        }
    }

    private static async ValueTask SendLengthAsync(BackendConnection connection, Stream body, long remaining)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            while (remaining > 0)
            {
                var take = (int)Math.Min(remaining, buffer.Length);
                await ReadFromClientAsync(body, buffer, take, connection.Token);
                await connection.SendAsync(buffer.AsMemory(0, take));
                connection.Touch();
                remaining -= take;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask SendChunkedAsync(BackendConnection connection, Stream body)
    {
        var head = connection.Send;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            while (true)
            {
                var read = await ReadSomeFromClientAsync(body, buffer, 1, connection.Token);
                head.Clear();
                if (read == 0)
                {
                    head.Write("0\r\n\r\n"u8);
                    await connection.SendAsync(head.Written);
                    return;
                }

                head.WriteHexLine(read);
                head.Write(buffer.AsSpan(0, read));
                head.Write("\r\n"u8);
                await connection.SendAsync(head.Written);
                connection.Touch();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes of the client's body.</summary>
    private static async ValueTask ReadFromClientAsync(Stream body, Memory<byte> into, int count, CancellationToken cancellationToken)
    {
        if (await ReadSomeFromClientAsync(body, into[..count], count, cancellationToken) < count)
        {
            throw new ClientReadException(new EndOfStreamException("The client's body ended before its Content-Length."));
        }
    }

    /// <summary>Reads at least <paramref name="minimum"/> bytes, fewer only at the end of the body; a failure is the client's.</summary>
    private static async ValueTask<int> ReadSomeFromClientAsync(Stream body, Memory<byte> into, int minimum, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAtLeastAsync(into, minimum, throwOnEndOfStream: false, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ClientReadException(ex);
        }
    }
}

/// <summary>Reading the request body from the client failed (not the destination's fault).</summary>
internal sealed class ClientReadException(Exception inner) : IOException("Reading the request body from the client failed.", inner);
