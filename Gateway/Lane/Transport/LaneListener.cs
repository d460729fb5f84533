using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Evergreen.Gateway.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Evergreen.Gateway.Lane.Transport;

/// <summary>
/// One listening socket of the lane. Every connection it accepts starts in the lane (<see cref="LaneConnection"/>); the
/// connections the lane hands over reach Kestrel through <see cref="AcceptAsync"/>, as if Kestrel's socket transport had
/// accepted them, and Kestrel's HTTP layer, connection limits and graceful shutdown apply to them from there. The lane's
/// own connections are kept here: a once-a-second heartbeat checks their time-outs, and stopping closes them gracefully.
/// </summary>
internal sealed class LaneListener : IConnectionListener
{
    /// <summary>Kestrel's default backlog (<see cref="SocketTransportOptions.Backlog"/>).</summary>
    private const int Backlog = 512;

    private readonly Socket _socket;
    private readonly SocketConnectionContextFactory _kestrelConnections;
    private readonly LaneParts _parts;
    private readonly Channel<ConnectionContext> _handedOver = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<LaneConnection, byte> _connections = new();
    private readonly Timer _heartbeat;
    private readonly Task _accepting;
    private int _heartbeatRunning;
    private int _unbound;

    private LaneListener(Socket socket, SocketConnectionContextFactory kestrelConnections, LaneParts parts)
    {
        _socket = socket;
        _kestrelConnections = kestrelConnections;
        _parts = parts;
        EndPoint = socket.LocalEndPoint!;

        // Nothing of the caller's execution context (the host's start-up) flows into the connections: a continuation with
        // an empty context runs without restoring one, on every await of every request.
        using (ExecutionContext.SuppressFlow())
        {
            _heartbeat = new Timer(static state => ((LaneListener)state!).Heartbeat(), this, 1000, 1000);
            _accepting = Task.Run(AcceptConnectionsAsync);
        }
    }

    public EndPoint EndPoint { get; }

    /// <summary>Listens on <paramref name="endpoint"/> as Kestrel's socket transport would.</summary>
    public static LaneListener Bind(IPEndPoint endpoint, SocketConnectionContextFactory kestrelConnections, LaneParts parts)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen(Backlog);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(ex.Message, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new LaneListener(socket, kestrelConnections, parts);
    }

    /// <summary>The next connection the lane handed over; null once the listener is unbound.</summary>
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (await _handedOver.Reader.WaitToReadAsync(cancellationToken))
        {
            if (_handedOver.Reader.TryRead(out var connection))
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>
    /// Gives <paramref name="socket"/> to Kestrel, whose HTTP layer reads <paramref name="unread"/> first. The socket is
    /// Kestrel's from here; after the listener is unbound it is closed instead.
    /// </summary>
    public void HandOver(Socket socket, byte[] unread)
    {
        try
        {
            var connection = new HandedOverConnection(_kestrelConnections.Create(socket), unread);
            if (!_handedOver.Writer.TryWrite(connection))
            {
                _ = connection.DisposeAsync().AsTask();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client went away in the meantime.
            socket.Dispose();
        }
    }

    /// <summary>
    /// Stops accepting; Kestrel's accept loop ends. The lane's connections close gracefully: idle ones at once, those
    /// serving a request after its response (<c>Connection: close</c>); any still open when Kestrel's shutdown time-out
    /// (<paramref name="cancellationToken"/>) ends are aborted.
    /// </summary>
    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _unbound, 1) == 1)
        {
            return;
        }

        _socket.Dispose();
        await _accepting;
        _handedOver.Writer.TryComplete();
        var closing = new List<Task>();
        foreach (var (connection, _) in _connections)
        {
            connection.RequestClose();
            closing.Add(connection.Completion);
        }

        try
        {
            await Task.WhenAll(closing).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            AbortAll();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync(new CancellationToken(canceled: true));
        await _heartbeat.DisposeAsync();
        AbortAll();
    }

    private async Task AcceptConnectionsAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            Start(client);
        }
    }

    private void Start(Socket client)
    {
        try
        {
            client.NoDelay = true;
            var address = client.RemoteEndPoint is IPEndPoint remote ? Encoding.ASCII.GetBytes(remote.Address.ToString()) : "unknown"u8.ToArray();
            var connection = new LaneConnection(EventSocket.Attach(client), this, _parts, address);
            _connections[connection] = 0;
            _ = RunAsync(connection);
        }
        catch (Exception ex) when (ex is Win32Exception or ObjectDisposedException)
        {
            client.Dispose();
        }
    }

    private async Task RunAsync(LaneConnection connection)
    {
        // Off the accept loop: the first request may already be there and be served before the first await.
        await Task.Yield();
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    private void Heartbeat()
    {
        if (Interlocked.Exchange(ref _heartbeatRunning, 1) == 1)
        {
            return;
        }

        try
        {
            var now = Environment.TickCount64;
            foreach (var (connection, _) in _connections)
            {
                connection.OnHeartbeat(now);
            }
        }
        finally
        {
            Volatile.Write(ref _heartbeatRunning, 0);
        }
    }

    private void AbortAll()
    {
        foreach (var (connection, _) in _connections)
        {
            connection.Abort();
        }
    }
}
