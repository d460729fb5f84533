using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 for wire cases a Kestrel app cannot produce (malformed heads, obsolete folding,
/// trailers, a body delimited by close, interim responses, a connection closed under the client). It reads each request
/// head and body (Content-Length or chunked), answers <c>/health/ready</c> with 200 itself, and hands every other request
/// to the script, which writes whatever bytes it likes and may close the connection. Keep-alive: after the script
/// returns, the next request is read from the same connection unless the script closed it or the peer did.
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private const string HealthPath = "/health/ready";
    private static readonly byte[] HealthResponse = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nready");

    private readonly TcpListener _listener;
    private readonly Func<ScriptedExchange, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly ConcurrentDictionary<int, byte> _closedConnections = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    private ScriptedHttpServer(Func<ScriptedExchange, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptLoopAsync();
    }

    public Uri Address { get; }

    /// <summary>Every request but health probes, in arrival order.</summary>
    public ConcurrentQueue<ScriptedRequest> Requests { get; } = new();

    /// <summary>Connections accepted so far (health probes' included).</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>True once connection <paramref name="connection"/> has ended, closed by either side.</summary>
    public bool HasClosed(int connection) => _closedConnections.ContainsKey(connection);

    /// <summary>Cancelled when the server is disposed: a script that holds a request waits on it.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>The distinct connections that carried a non-health request, in order of first use.</summary>
    public IReadOnlyList<int> RequestConnections => [.. Requests.Select(r => r.Connection).Distinct()];

    public static ScriptedHttpServer Start(Func<ScriptedExchange, Task> script) => new(script);

    /// <summary>A server that answers every request with the same bytes and keeps the connection open.</summary>
    public static ScriptedHttpServer Always(string response) => Start(exchange => exchange.WriteAsync(response));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections.Values);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var id = Interlocked.Increment(ref _accepted);
            _connections[id] = ServeAsync(id, socket);
        }
    }

    private async Task ServeAsync(int id, Socket socket)
    {
        socket.NoDelay = true;
        var reader = new RequestReader(socket, _stop.Token);
        try
        {
            for (var index = 0; ; index++)
            {
                var request = await reader.ReadAsync(id, index);
                if (request is null)
                {
                    return;
                }

                if (request.Path == HealthPath)
                {
                    await socket.SendAsync(HealthResponse, _stop.Token);
                    continue;
                }

                Requests.Enqueue(request);
                var exchange = new ScriptedExchange(request, socket, _stop.Token);
                await _script(exchange);
                if (exchange.Closed)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // The peer went away or the server is stopping: the connection simply ends.
        }
        finally
        {
            socket.Dispose();
            _closedConnections.TryAdd(id, 0);
        }
    }

    /// <summary>Reads requests off one connection, keeping bytes that arrived after the current one.</summary>
    private sealed class RequestReader(Socket socket, CancellationToken cancellationToken)
    {
        private readonly SocketReader _reader = new(socket, "The client", cancellationToken);

        public async Task<ScriptedRequest?> ReadAsync(int connection, int index)
        {
            if (await _reader.TryReadUntilAsync("\r\n\r\n"u8.ToArray()) is not { } headBytes)
            {
                return null;
            }

            var head = Encoding.Latin1.GetString(headBytes);
            var lines = head.Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var headers = lines.Skip(1)
                .Select(line => (Name: line[..line.IndexOf(':', StringComparison.Ordinal)], Value: line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
                .ToList();
            var body = await ReadBodyAsync(headers);
            return new ScriptedRequest(connection, index, requestLine[0], requestLine[1], headers, body);
        }

        private async Task<byte[]> ReadBodyAsync(List<(string Name, string Value)> headers)
        {
            if (headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
            {
                using var body = new MemoryStream();
                while (true)
                {
                    var line = await ReadLineAsync();
                    var size = Convert.ToInt32(line.Split(';')[0].Trim(), 16);
                    if (size == 0)
                    {
                        while ((await ReadLineAsync()).Length > 0)
                        {
                        }

                        return body.ToArray();
                    }

                    body.Write(await _reader.ReadExactlyAsync(size));
                    await _reader.ReadExactlyAsync(2);
                }
            }

            var length = headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Value, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            return await _reader.ReadExactlyAsync(length);
        }

        private async Task<string> ReadLineAsync() => Encoding.Latin1.GetString(await _reader.ReadUntilAsync("\r\n"u8.ToArray()));
    }
}

/// <summary>A request as it arrived at a <see cref="ScriptedHttpServer"/>: on which connection, its head and its body.</summary>
internal sealed record ScriptedRequest(
    int Connection, int IndexOnConnection, string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public string Path => Target.Split('?')[0];

    /// <summary>Every value of the header <paramref name="name"/>, one per header line.</summary>
    public IReadOnlyList<string> Values(string name) =>
        [.. Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];
}

/// <summary>One request and the connection it came on, for a script to answer.</summary>
internal sealed class ScriptedExchange(ScriptedRequest request, Socket socket, CancellationToken stopping)
{
    public ScriptedRequest Request { get; } = request;

    /// <summary>Cancelled when the server stops.</summary>
    public CancellationToken Stopping { get; } = stopping;

    public bool Closed { get; private set; }

    /// <summary>Sends <paramref name="text"/> as Latin-1 bytes, exactly.</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.Latin1.GetBytes(text));

    public async Task WriteAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None, Stopping);

    /// <summary>Closes the connection (a FIN after what was written); no further request is read from it.</summary>
    public void Close()
    {
        Closed = true;
        socket.Shutdown(SocketShutdown.Both);
        socket.Close();
    }
}
