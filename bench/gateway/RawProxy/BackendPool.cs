using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Evergreen.Bench.RawProxy;

/// <summary>Idle keep-alive connections to one backend, last returned first.</summary>
internal sealed class BackendPool(Uri address)
{
    private readonly ConcurrentStack<BackendConnection> _idle = new();

    /// <summary>The value of the <c>X-Evergreen-Destination</c> header for responses from this backend.</summary>
    public byte[] Name { get; } = Encoding.ASCII.GetBytes(address.Authority);

    public async ValueTask<BackendConnection> RentAsync()
    {
        if (_idle.TryPop(out var connection))
        {
            return connection;
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address.Host, address.Port);
        return new BackendConnection(socket);
    }

    public void Return(BackendConnection connection) => _idle.Push(connection);
}
