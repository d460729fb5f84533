using System.Collections.Concurrent;
using System.Net.Http;
using System.Net.Sockets;
using System.Net;
using System.Text;
using Evergreen.Gateway.Sockets;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// One destination address (<c>http://host:port/optional-base</c>) and its idle keep-alive connections. The most recently
/// used connection is handed out first, so under light load the others age out instead of all staying half-used.
/// </summary>
internal sealed class BackendEndpoint : IDisposable
{
    /// <summary>Idle connections kept per destination; more are closed when they come back.</summary>
    private const int MaxIdleConnections = 512;

    /// <summary>
    /// A connection used this recently is handed out without asking the kernel whether the destination closed it: under
    /// load that check would be a system call per request, and the rare connection closed in between (a replica shutting
    /// down) is caught by the forwarder, which sends the request again on a new connection.
    /// </summary>
    private const long RecentlyUsedMilliseconds = 1000;

    private readonly IdleConnections _idle = new();

    /// <summary>Every open connection, idle or busy, for the activity watchdog; changes only when one opens or closes.</summary>
    private readonly ConcurrentDictionary<BackendConnection, byte> _open = new();
    private readonly Action<BackendConnection> _forget;
    private readonly EndPoint _endPoint;
    private volatile bool _disposed;

    private BackendEndpoint(Uri address)
    {
        Authority = address.IsDefaultPort ? address.IdnHost : $"{address.IdnHost}:{address.Port}";
        PathBase = address.AbsolutePath.TrimEnd('/');
        AuthorityBytes = Encoding.Latin1.GetBytes(Authority);
        PathBaseBytes = Encoding.Latin1.GetBytes(PathBase);
        _endPoint = IPAddress.TryParse(address.IdnHost.Trim('[', ']'), out var ip)
            ? new IPEndPoint(ip, address.Port)
            : new DnsEndPoint(address.IdnHost, address.Port);
        _forget = connection => _open.TryRemove(connection, out _);
    }

    /// <summary>The <c>Host</c> header sent to the destination.</summary>
    public string Authority { get; }

    /// <summary>The destination address's path without its trailing slash (usually empty), put before the request's path.</summary>
    public string PathBase { get; }

    /// <summary><see cref="Authority"/> as written into every request head (encoded once, as <see cref="HeadBuffer"/> would).</summary>
    public byte[] AuthorityBytes { get; }

    /// <summary><see cref="PathBase"/> as written into every request head.</summary>
    public byte[] PathBaseBytes { get; }

    /// <summary>Parses a plain-HTTP destination prefix; null for anything this forwarder does not speak (https, no host).</summary>
    public static BackendEndpoint? TryCreate(string destinationPrefix) =>
        Uri.TryCreate(destinationPrefix, UriKind.Absolute, out var address)
        && address.Scheme == Uri.UriSchemeHttp
        && address.Host.Length > 0
        && string.IsNullOrEmpty(address.Query)
            ? new BackendEndpoint(address)
            : null;

    /// <summary>The most recently returned connection that is not known to be closed, or null; closes the ones that are.</summary>
    public BackendConnection? RentIdle()
    {
        while (true)
        {
            if (_disposed || !_idle.TryPop(Environment.CurrentManagedThreadId, out var connection))
            {
                return null;
            }

            if (Environment.TickCount64 - connection.IdleSinceTicks < RecentlyUsedMilliseconds || connection.IsIdleAndOpen())
            {
                return connection;
            }

            connection.Dispose();
        }
    }

    public void Return(BackendConnection connection)
    {
        connection.IdleSinceTicks = Environment.TickCount64;
        if (!_disposed && _idle.TryPush(connection, MaxIdleConnections))
        {
            // Disposed in between: Dispose may have emptied the pool before this push.
            if (_disposed)
            {
                CloseIdleWhere(static _ => true);
            }

            return;
        }

        connection.Dispose();
    }

    /// <summary>Opens a new connection.</summary>
    /// <exception cref="HttpRequestException">With <see cref="HttpRequestError.ConnectionError"/>: refused, unreachable or unresolvable.</exception>
    /// <exception cref="TaskCanceledException">With an inner <see cref="TimeoutException"/> after <paramref name="connectTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The request was aborted.</exception>
    public async ValueTask<BackendConnection> ConnectAsync(TimeSpan connectTimeout, CancellationToken requestAborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(connectTimeout);
        try
        {
            var socket = await EventSocket.ConnectAsync(_endPoint, timeout.Token).ConfigureAwait(false);
            var connection = new BackendConnection(socket, _forget);
            _open.TryAdd(connection, 0);
            return connection;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            throw new TaskCanceledException(
                $"Connecting to {Authority} timed out after {connectTimeout.TotalSeconds:0.###} s.", new TimeoutException());
        }
        catch (SocketException ex)
        {
            throw new HttpRequestException(
                ex.SocketErrorCode == SocketError.HostNotFound ? HttpRequestError.NameResolutionError : HttpRequestError.ConnectionError,
                $"Could not connect to {Authority}: {ex.Message}",
                ex);
        }
    }

    /// <summary>The activity watchdog: cancels every request whose destination has been silent for longer than its time-out.</summary>
    public void CancelSilent(long nowTicks)
    {
        // Enumerating the dictionary itself takes no lock (its Keys property would take them all).
        foreach (var (connection, _) in _open)
        {
            connection.CancelIfSilent(nowTicks);
        }
    }

    /// <summary>Closes the connections idle since before <paramref name="cutoffTicks"/> (a pooled connection must not outlive the destination's keep-alive time-out).</summary>
    public void CloseIdleSince(long cutoffTicks)
    {
        CloseIdleWhere(c => c.IdleSinceTicks < cutoffTicks);
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdleWhere(static _ => true);
    }

    private void CloseIdleWhere(Func<BackendConnection, bool> which) => _idle.RemoveWhere(which).ForEach(static c => c.Dispose());
}
