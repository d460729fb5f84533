using System.Net;
using System.Net.Sockets;

namespace Evergreen.AppHost.Hosting.Network;

/// <summary>Checks and finds loopback TCP ports, so a port conflict is reported before a server fails on it.</summary>
/// <remarks>Thread-safe. A check is a snapshot: another program can still take the port before the server binds it.</remarks>
public static class PortAvailability
{
    /// <summary>Throws when something already listens on <paramref name="port"/> on 127.0.0.1 (or on all addresses).</summary>
    /// <param name="port">The port the resource is about to listen on.</param>
    /// <param name="resourceName">The resource's name, for the message.</param>
    /// <param name="overrideHint">How the user picks another port, e.g. <c>--Ports:postgres=&lt;port&gt;</c>.</param>
    /// <exception cref="HostingException">The port is in use; the message names it and the fix.</exception>
    public static void EnsureFree(int port, string resourceName, string overrideHint)
    {
        if (!IsFree(port))
        {
            throw new HostingException(
                $"Port {port} for '{resourceName}' is already in use by another program. Stop that program or choose another port: {overrideHint}.");
        }
    }

    /// <summary>True when nothing listens on <paramref name="port"/> on 127.0.0.1 (or on all addresses).</summary>
    public static bool IsFree(int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // Connections of a server that just stopped linger in TIME_WAIT; they do not stop a new server from binding.
        probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    /// <summary>A port that was free on 127.0.0.1 a moment ago, chosen by the OS.</summary>
    public static int GetFreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
