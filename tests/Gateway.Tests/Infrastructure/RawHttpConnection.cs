using System.Net.Sockets;
using System.Text;

namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>
/// A client connection that sends exactly the bytes a test writes — pipelined requests, a head cut short, framing an
/// HTTP client library would never produce — and reads the responses as they come (Content-Length or chunked bodies).
/// </summary>
internal sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SocketReader _reader;
    private readonly CancellationToken _cancellation;

    private RawHttpConnection(Socket socket, CancellationToken cancellation)
    {
        _socket = socket;
        _cancellation = cancellation;
        _reader = new SocketReader(socket, "The server", cancellation);
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri address, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address.Host, address.Port, cancellation).AsTask().DefaultTimeout();
        return new RawHttpConnection(socket, cancellation);
    }

    /// <summary>Sends <paramref name="text"/> as ASCII, in one write.</summary>
    public async Task SendAsync(string text) =>
        await _socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, _cancellation).AsTask().DefaultTimeout();

    /// <summary>Reads one response; a response to HEAD has no body whatever its headers say.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool toHead = false)
    {
        var head = Encoding.ASCII.GetString(await _reader.ReadUntilAsync("\r\n\r\n"u8.ToArray()).DefaultTimeout());
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).Select(p => (Name: p[0], Value: p[1].Trim())).ToList();
        var response = new RawResponse(status, headers, string.Empty);
        if (toHead || status is 204 or 304)
        {
            return response;
        }

        if (response.Value("Content-Length") is { } length)
        {
            return response with { Body = Encoding.ASCII.GetString(await _reader.ReadExactlyAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)).DefaultTimeout()) };
        }

        var body = new StringBuilder();
        while (true)
        {
            var size = Convert.ToInt32(Encoding.ASCII.GetString(await _reader.ReadUntilAsync("\r\n"u8.ToArray()).DefaultTimeout()).Trim(), 16);
            body.Append(Encoding.ASCII.GetString(await _reader.ReadExactlyAsync(size).DefaultTimeout()));
            await _reader.ReadUntilAsync("\r\n"u8.ToArray()).DefaultTimeout();
            if (size == 0)
            {
                return response with { Body = body.ToString() };
            }
        }
    }

    /// <summary>Waits until the server closes the connection (end of stream or reset); false if it sends more bytes first.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        try
        {
            return !_reader.HasUnread && !await _reader.FillAsync().WaitAsync(timeout, _cancellation);
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A response as <see cref="RawHttpConnection"/> read it.</summary>
internal sealed record RawResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    /// <summary>The first value of header <paramref name="name"/>, or null.</summary>
    public string? Value(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
