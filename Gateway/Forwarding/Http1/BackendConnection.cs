using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Evergreen.Gateway.Sockets;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// One keep-alive HTTP/1.1 connection to a destination, used by one request at a time. It owns its buffers and a
/// cancellation source that is reused from request to request: the request's abort token and the activity time-out both
/// cancel it, and a connection whose source was cancelled is never reused (its socket state is unknown).
/// </summary>
/// <remarks>
/// The activity time-out is not a timer per request: <see cref="Touch"/> only records when something last moved, and the
/// pool's watchdog (<see cref="BackendEndpoints"/>) calls <see cref="CancelIfSilent"/> a few times a second. A timer per
/// request (<c>CancelAfter</c>, two or three times per request) cost CPU on every request and made the socket threads
/// contend for the runtime's timer-queue lock.
/// </remarks>
internal sealed class BackendConnection : IDisposable
{
    private const int InitialReceiveBytes = 16 * 1024;
    private const int InitialSendBytes = 4 * 1024;

    /// <summary><see cref="Home"/> of a connection whose I/O has not completed on a socket event thread (yet).</summary>
    public const int NoHome = 0;

    /// <summary>
    /// Whether the runtime's socket event threads complete socket operations (<see cref="Extensions.InlineIo"/>) for
    /// connections not served by the gateway's own event loops; read once.
    /// </summary>
    private static readonly bool CompletesOnEventThreads = Extensions.InlineIo.IsEnabled;

    /// <summary><see cref="_request"/> once the watchdog cancelled the request; the connection is never used again.</summary>
    private const long TimedOut = -1;

    private readonly EventSocket _socket;
    private readonly Action<BackendConnection>? _disposed;
    private readonly CancellationTokenSource _cancellation = new();
    private CancellationTokenRegistration _requestAborted;

    /// <summary>
    /// Odd while a request runs, even between requests; each <see cref="Begin"/> and <see cref="End"/> moves it on by one,
    /// so the watchdog, which cancels only by compare-and-swap from the value it saw, can never cancel a later request.
    /// </summary>
    private long _request;
    private long _activityTimeoutMilliseconds = long.MaxValue;
    private long _lastActivityTicks;
    private byte[] _receive = new byte[InitialReceiveBytes];
    private bool _receiveWaited;
    private int _isDisposed;

    /// <param name="socket">The connected socket; the connection owns it.</param>
    /// <param name="disposed">Called once when the connection is disposed (the pool forgets it).</param>
    public BackendConnection(EventSocket socket, Action<BackendConnection>? disposed = null)
    {
        _socket = socket;
        _disposed = disposed;
        Home = socket.LoopThreadId;
    }

    /// <summary>The request head (and a small body) is written here before one send.</summary>
    public HeadBuffer Send { get; } = new(InitialSendBytes);

    /// <summary>Received bytes not consumed yet.</summary>
    public ReadOnlySpan<byte> Unread => _receive.AsSpan(UnreadStart, UnreadEnd - UnreadStart);

    public ReadOnlyMemory<byte> UnreadMemory => _receive.AsMemory(UnreadStart, UnreadEnd - UnreadStart);

    /// <summary>The unread bytes, for decoding in place (see <see cref="KeepDecoded"/>).</summary>
    public Span<byte> UnreadWritable => _receive.AsSpan(UnreadStart, UnreadEnd - UnreadStart);

    private int UnreadStart { get; set; }

    private int UnreadEnd { get; set; }

    /// <summary>
    /// The managed thread id of the event thread that completes this connection's receives: its event loop's
    /// (<see cref="EventSocket.LoopThreadId"/>), or without the loops the runtime's socket event thread once one completed
    /// there; <see cref="NoHome"/> before, or when completions are not inline. See <see cref="IdleConnections"/>. Set when
    /// the connection is made (its loop), by <see cref="Received"/> (the runtime's thread), or by tests of the pool.
    /// </summary>
    public int Home { get; set; } = NoHome;

    /// <summary>True once any byte of the current request's response has arrived.</summary>
    public bool ReceivedAny { get; private set; }

    /// <summary>When the connection went back to the pool (<see cref="Environment.TickCount64"/>).</summary>
    public long IdleSinceTicks { get; set; }

    /// <summary>Cancelled when the client aborts or the destination is silent for longer than the activity time-out.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Ties the connection to one request: its abort token, and the activity time-out from now on.</summary>
    public void Begin(CancellationToken requestAborted, TimeSpan activityTimeout)
    {
        _activityTimeoutMilliseconds = (long)activityTimeout.TotalMilliseconds;
        ReceivedAny = false;
        _requestAborted = requestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _cancellation);
        Touch();

        // Published after the time of activity, so the watchdog never pairs this request with the last one's silence.
        var request = Volatile.Read(ref _request);
        if (request != TimedOut)
        {
            Volatile.Write(ref _request, request + 1);
        }
    }

    /// <summary>Something moved: the activity time-out starts again.</summary>
    public void Touch() => Volatile.Write(ref _lastActivityTicks, Environment.TickCount64);

    /// <summary>Unties the connection from its request; false when it was cancelled and must not be reused.</summary>
    public bool End()
    {
        _requestAborted.Dispose();
        var request = Volatile.Read(ref _request);
        return request != TimedOut
            && Interlocked.CompareExchange(ref _request, request + 1, request) == request
            && _cancellation.TryReset();
    }

    /// <summary>
    /// The watchdog's check: cancels the running request when nothing moved for longer than its activity time-out. Called
    /// from the watchdog's thread while the request runs on another.
    /// </summary>
    public void CancelIfSilent(long nowTicks)
    {
        var request = Volatile.Read(ref _request);
        if (request == TimedOut
            || (request & 1) == 0
            || nowTicks - Volatile.Read(ref _lastActivityTicks) <= Volatile.Read(ref _activityTimeoutMilliseconds)
            || Interlocked.CompareExchange(ref _request, TimedOut, request) != request)
        {
            return;
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed in between: its request has ended anyway.
        }
    }

    /// <summary>Sends all of <paramref name="data"/>; without an async frame when the socket takes it at once (the usual case).</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data) => _socket.SendAsync(data, Token);

    /// <summary>
    /// Receives more bytes after the unread ones; pass what it returns to <see cref="Received"/>. Not an async method, so a
    /// caller that awaits it directly waits on the socket itself: every async frame between a request and its socket wait
    /// costs CPU each time the wait completes (about 0.6 µs per extra frame and request, measured on the benchmark's
    /// raw-socket proxy; README). Grows the buffer up to <paramref name="maxBytes"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The unread bytes already fill <paramref name="maxBytes"/>.</exception>
    public ValueTask<int> ReceiveAsync(int maxBytes)
    {
        if (UnreadEnd == _receive.Length)
        {
            MakeRoom(maxBytes);
        }

        var receiving = _socket.ReceiveAsync(_receive.AsMemory(UnreadEnd), Token);
        _receiveWaited = !receiving.IsCompleted;
        return receiving;
    }

    /// <summary>Takes in the <paramref name="count"/> bytes a <see cref="ReceiveAsync"/> received; 0 at the end of the stream.</summary>
    public int Received(int count)
    {
        if (_receiveWaited && CompletesOnEventThreads && Home == NoHome)
        {
            // Resumed by the socket's event thread: that is where this connection's I/O completes from now on.
            Home = Environment.CurrentManagedThreadId;
        }

        UnreadEnd += count;
        ReceivedAny |= count > 0;
        Touch();
        return count;
    }

    /// <summary><see cref="ReceiveAsync"/> and <see cref="Received"/> in one; for the less travelled paths (bodies).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveMoreAsync(int maxBytes) => Received(await ReceiveAsync(maxBytes).ConfigureAwait(false));

    public void Consume(int count)
    {
        UnreadStart += count;
        if (UnreadStart == UnreadEnd)
        {
            UnreadStart = UnreadEnd = 0;
        }
    }

    /// <summary>
    /// After a message was decoded in place into the first <paramref name="decodedLength"/> unread bytes, drops its framing
    /// (up to <paramref name="framingEnd"/>) and keeps what followed it.
    /// </summary>
    public void KeepDecoded(int decodedLength, int framingEnd)
    {
        var following = UnreadEnd - UnreadStart - framingEnd;
        _receive.AsSpan(UnreadStart + framingEnd, following).CopyTo(_receive.AsSpan(UnreadStart + decodedLength));
        UnreadEnd = UnreadStart + decodedLength + following;
    }

    /// <summary>
    /// True when nothing arrived while the connection sat idle. A destination that closed it (restart, idle time-out) makes
    /// it readable at end of stream; a destination never sends anything unasked on HTTP/1.1.
    /// </summary>
    public bool IsIdleAndOpen()
    {
        try
        {
            return !_socket.Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _isDisposed, 1) != 0)
        {
            return;
        }

        _disposed?.Invoke(this);
        _requestAborted.Dispose();
        _socket.Dispose();
        _cancellation.Dispose();
    }

    private void MakeRoom(int maxBytes)
    {
        var unread = UnreadEnd - UnreadStart;
        if (UnreadStart > 0)
        {
            Buffer.BlockCopy(_receive, UnreadStart, _receive, 0, unread);
        }
        else if (_receive.Length >= maxBytes)
        {
            throw new InvalidDataException($"The destination's response head is larger than {maxBytes} bytes.");
        }
        else
        {
            Array.Resize(ref _receive, Math.Min(maxBytes, _receive.Length * 2));
        }

        UnreadStart = 0;
        UnreadEnd = unread;
    }
}
