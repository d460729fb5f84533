using System.Net;
using System.Net.Sockets;

namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>A loopback address where nothing listens: connecting is refused at once.</summary>
internal static class DeadEndpoint
{
    public static Uri Create()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return new Uri($"http://127.0.0.1:{port}");
    }
}
