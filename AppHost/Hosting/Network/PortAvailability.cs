using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Evergreen.AppHost.Hosting.Network;

/// <summary>Checks and finds loopback TCP ports, so a port conflict is reported before a server fails on it.</summary>
/// <remarks>Thread-safe. A check is a snapshot: another program can still take the port before the server binds it.</remarks>
public static class PortAvailability
{
    /// <summary>Ports chosen by <see cref="ReserveFreePort"/>, each held by a bound socket until its server is about to bind it.</summary>
    private static readonly ConcurrentDictionary<int, Socket> Reservations = new();
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

    /// <summary>
    /// True when nothing listens on <paramref name="port"/> on 127.0.0.1 (or on all addresses). Lets go of the port's hold
    /// (<see cref="ReserveFreePort"/>) first: resources ask just before their server binds it.
    /// </summary>
    public static bool IsFree(int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        Release(port);
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

    /// <summary>
    /// A port chosen by the OS on 127.0.0.1 and held — bound, not listening — until <see cref="IsFree"/> or
    /// <see cref="EnsureFree"/> is asked about it just before its server binds it (or <see cref="Release"/>). While held,
    /// neither another program's port-0 bind nor an outgoing connection's ephemeral port can take it: a port that was only
    /// free a moment ago could be taken during the seconds a launch spends starting PostgreSQL and Redis first (CI saw a
    /// replica's port taken that way). (Like every socket of the runtime on Linux, the hold allows address reuse, so a
    /// server that binds exactly this port asking for reuse still could; the kernel hands it to no one by itself.)
    /// </summary>
    public static int ReserveFreePort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            Reservations[port] = socket;
            return port;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Lets go of a port <see cref="ReserveFreePort"/> holds; nothing for any other port.</summary>
    public static void Release(int port)
    {
        if (Reservations.TryRemove(port, out var reservation))
        {
            reservation.Dispose();
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
