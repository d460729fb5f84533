using System.Net.Sockets;

namespace Evergreen.Bench.RawProxy;

/// <summary>One client connection: read a request head, send it to a backend, relay the whole response, repeat.</summary>
internal sealed class ClientSession(Socket client, Func<BackendPool> pickBackend)
{
    private static readonly byte[] Ready = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nready"u8.ToArray();

    private readonly byte[] _input = new byte[16 * 1024];
    private readonly byte[] _output = new byte[16 * 1024];

    public async Task RunAsync()
    {
        var buffered = 0;
        try
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = _input.AsSpan(0, buffered).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var read = await client.ReceiveAsync(_input.AsMemory(buffered), SocketFlags.None);
                    if (read == 0 || buffered + read == _input.Length)
                    {
                        return;
                    }

                    buffered += read;
                }

                var head = _input.AsSpan(0, headEnd + 2);
                if (head.StartsWith("GET /health/ready "u8))
                {
                    await client.SendAsync(Ready, SocketFlags.None);
                }
                else
                {
                    var length = await ProxyAsync(headEnd);
                    await client.SendAsync(_output.AsMemory(0, length), SocketFlags.None);
                }

                var consumed = headEnd + 4;
                _input.AsSpan(consumed, buffered - consumed).CopyTo(_input);
                buffered -= consumed;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            // The connection closes; a benchmark run counts it as a socket error.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Forwards the request whose head ends at <paramref name="headEnd"/>; returns the response's length in the output buffer.</summary>
    private async ValueTask<int> ProxyAsync(int headEnd)
    {
        var backend = pickBackend();
        var connection = await backend.RentAsync();
        try
        {
            var requestLength = Heads.RewriteRequest(_input.AsSpan(0, headEnd + 2), _output);
            await connection.Socket.SendAsync(_output.AsMemory(0, requestLength), SocketFlags.None);
            var length = await ReceiveResponseAsync(connection, backend.Name);
            backend.Return(connection);
            return length;
        }
        catch
        {
            // A connection in an unknown state is never reused.
            connection.Socket.Dispose();
            throw;
        }
    }

    private async ValueTask<int> ReceiveResponseAsync(BackendConnection connection, byte[] backendName)
    {
        var buffer = connection.Buffer;
        int read = 0, headEnd;
        while ((headEnd = buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8)) < 0)
        {
            read += await ReceiveAsync(connection, read);
        }

        var bodyStart = headEnd + 4;
        var length = Heads.RewriteResponse(buffer.AsSpan(0, headEnd + 2), _output, backendName, out var contentLength);
        if (contentLength >= 0)
        {
            while (read - bodyStart < contentLength)
            {
                read += await ReceiveAsync(connection, read);
            }
        }
        else
        {
            // Chunked: the benchmark's bodies are one chunk, so the last-chunk marker ends the buffer.
            while (!buffer.AsSpan(bodyStart, read - bodyStart).EndsWith("0\r\n\r\n"u8))
            {
                read += await ReceiveAsync(connection, read);
            }
        }

        buffer.AsSpan(bodyStart, read - bodyStart).CopyTo(_output.AsSpan(length));
        return length + read - bodyStart;
    }

    private static async ValueTask<int> ReceiveAsync(BackendConnection connection, int offset)
    {
        var read = await connection.Socket.ReceiveAsync(connection.Buffer.AsMemory(offset), SocketFlags.None);
        return read > 0 && offset + read < connection.Buffer.Length ? read : throw new InvalidDataException("Backend closed or response too large.");
    }
}
