using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Evergreen.ConfigStore.Tests.Revisions;

/// <summary>
/// A loopback TCP forwarder that a test can close and open: closing drops every forwarded connection and refuses new
/// ones (accepted and closed at once), which is what a client sees of a server that went down. Lets a test cut
/// ConfigStore off Redis while its own subscriber stays connected to the real server, so no message can slip past
/// the subscriber while it reconnects.
/// </summary>
internal sealed class TcpGate : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _connections = new();
    private readonly Task _accepting;
    private volatile bool _open = true;

    private TcpGate(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The address to give the client instead of the server's: <c>127.0.0.1:&lt;port&gt;</c>.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static TcpGate To(int targetPort) => new(targetPort);

    /// <summary>Drops every connection and refuses new ones until <see cref="Open"/>.</summary>
    public void Close()
    {
        _open = false;
        foreach (var (client, upstream) in _connections)
        {
            Drop(client, upstream);
        }
    }

    public void Open() => _open = true;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Close();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            if (!_open)
            {
                client.Dispose();
                continue;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
            }
            catch (SocketException)
            {
                Drop(client, upstream);
                continue;
            }

            _connections[client] = upstream;
            if (!_open)
            {
                // Closed while connecting: Close may have missed this pair.
                Drop(client, upstream);
                continue;
            }

            _ = ForwardAsync(client, upstream);
        }
    }

    private async Task ForwardAsync(TcpClient client, TcpClient upstream)
    {
        try
        {
            await Task.WhenAny(
                client.GetStream().CopyToAsync(upstream.GetStream(), _stopping.Token),
                upstream.GetStream().CopyToAsync(client.GetStream(), _stopping.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            Drop(client, upstream);
        }
    }

    private void Drop(TcpClient client, TcpClient upstream)
    {
        _connections.TryRemove(client, out _);
        client.Dispose();
        upstream.Dispose();
    }
}
