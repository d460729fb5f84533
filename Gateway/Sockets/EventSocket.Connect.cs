using System.Net;
using System.Net.Sockets;

namespace Evergreen.Gateway.Sockets;

/// <summary>
/// Connecting: a non-blocking connect registered with the loop before it starts, so the kernel's writable event that ends
/// it is never missed; then the socket's error tells success from refusal.
/// </summary>
internal sealed partial class EventSocket
{
    /// <summary>
    /// Connects to <paramref name="endPoint"/> (a host name is resolved, its addresses tried in order), on the caller's loop when
    /// it runs on one.
    /// </summary>
    /// <exception cref="SocketException">Refused, unreachable, or the name did not resolve.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<EventSocket> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var loop = EventLoops.ForNewSocket();
        if (loop is null)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                return new EventSocket(socket, null);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var (addresses, port) = endPoint switch
        {
            IPEndPoint ip => (new[] { ip.Address }, ip.Port),
            DnsEndPoint dns => (await Dns.GetHostAddressesAsync(dns.Host, cancellationToken).ConfigureAwait(false), dns.Port),
            _ => throw new ArgumentException($"Cannot connect to a {endPoint.GetType().Name}.", nameof(endPoint)),
        };
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            try
            {
                return await ConnectAsync(loop, new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                failure = ex;
            }
        }

        throw failure ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static async ValueTask<EventSocket> ConnectAsync(EventLoop loop, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        EventSocket? connection = null;
        try
        {
            connection = new EventSocket(socket, loop, connecting: true);
            try
            {
                socket.Connect(endPoint);
                Volatile.Write(ref connection._writable, 1);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                await connection.WaitToSend(ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error != SocketError.Success)
                {
                    throw new SocketException((int)error);
                }
            }

            return connection;
        }
        catch
        {
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                connection.Dispose();
            }

            throw;
        }
    }
}
