using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Evergreen.Gateway.Forwarding.Http1;
using Evergreen.Gateway.Lane.Transport;
using Evergreen.Gateway.Sockets;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// One client connection in the lane: receives requests straight from the socket, serves those the lane can read exactly,
/// and from the first request it cannot serve hands the socket — with the bytes received and not served — to Kestrel's
/// HTTP layer (<see cref="LaneListener.HandOver"/>).
/// </summary>
/// <remarks>
/// Kestrel's HTTP layer enforces its limits itself; for the lane's connections they are kept here and checked by the
/// listener's once-a-second heartbeat (<see cref="OnHeartbeat"/>): a client that sends nothing for the keep-alive time-out,
/// takes longer than the request-headers time-out to send a request it has begun, or reads a response slower than the
/// minimum response data rate, is disconnected. A request that takes longer than a second to answer starts a watch on the
/// client's socket, so a client that goes away cancels the request at the destination as it would on Kestrel's path —
/// without a receive on every request, which would cost a system call each. When the server stops, an idle connection is
/// closed at once and the request being served is finished with <c>Connection: close</c>.
/// </remarks>
internal sealed partial class LaneConnection
{
    private const int Idle = 0;
    private const int Reading = 1;
    private const int Serving = 2;

    /// <summary>How long a request runs before the client's socket is watched for the client going away.</summary>
    private const long WatchAfterMs = 1000;

    private readonly EventSocket _socket;
    private readonly LaneListener _listener;
    private readonly LaneParts _parts;
    private readonly ClientInput _input;
    private readonly ClientOutput _output;
    private readonly LaneRequest _request;
    private readonly LaneResponse _response;
    private readonly CancellationTokenSource _aborted = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _watchGate = new();
    private int _state;
    private int _closeRequested;
    private long _deadline;
    private long _servingSince;
    private Task? _watch;

    public LaneConnection(EventSocket socket, LaneListener listener, LaneParts parts, byte[] clientAddress)
    {
        _socket = socket;
        _listener = listener;
        _parts = parts;
        _input = new ClientInput(socket);
        _output = new ClientOutput(socket, parts.Timeouts);
        _request = new LaneRequest(clientAddress);
        _response = new LaneResponse(_output);
    }

    /// <summary>Completes when the lane is done with the connection: closed, or handed to Kestrel.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Serves requests until the connection closes or is handed over. The client's socket and the forwarder are awaited
    /// here, not in helpers: every async frame between a request and its socket waits costs CPU each time a wait completes
    /// (about 0.6 µs per frame and request, measured on the benchmark's raw-socket proxy; README), so the steps around
    /// them are plain methods.
    /// </summary>
    public async Task RunAsync()
    {
        var handedOver = false;
        try
        {
            var waitingSince = Environment.TickCount64;
            long partialSince = 0;
            while (ReadBuffered(waitingSince, ref partialSince) is { } parse)
            {
                if (parse == LaneParse.Incomplete)
                {
                    if (!_input.Received(await _input.ReceiveAsync(_aborted.Token)))
                    {
                        return;
                    }

                    continue;
                }

                if (parse == LaneParse.NotForLane)
                {
                    _request.Release();
                    _parts.Statistics.ConnectionHandedOver();
                    _listener.HandOver(_socket.Detach(), _input.TakeUnread());
                    handedOver = true;
                    return;
                }

                var keepAlive = await _parts.Forwarder.ServeAsync(_request, _response, BeginServing(), _aborted.Token);
                if (EndServing(keepAlive) is { } watch)
                {
                    await watch;
                }

                if (!keepAlive)
                {
                    return;
                }

                waitingSince = Environment.TickCount64;
                partialSince = 0;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the heartbeat or a stopping server closed the connection.
        }
        catch (Exception ex)
        {
            Log.UnexpectedFailure(_parts.Logger, _socket.Socket.RemoteEndPoint?.ToString(), ex);
        }
        finally
        {
            _request.Release();
            _input.Release();
            _output.Dispose();
            if (!handedOver)
            {
                Abort();
            }

            _completion.TrySetResult();
        }
    }

    /// <summary>Asks the connection to close: at once when it waits for a request, after the response when it serves one.</summary>
    public void RequestClose()
    {
        Interlocked.Exchange(ref _closeRequested, 1);
        if (Interlocked.CompareExchange(ref _state, Idle, Idle) == Idle)
        {
            Abort();
        }
    }

    /// <summary>Closes the socket; whatever the connection waits for ends with an error.</summary>
    public void Abort()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (AggregateException)
        {
            // A cancellation callback of the request failed; the connection closes regardless.
        }

        _socket.Dispose();
    }

    /// <summary>The listener's once-a-second check of this connection's time-outs.</summary>
    public void OnHeartbeat(long now)
    {
        var deadline = Volatile.Read(ref _deadline);
        var sendDeadline = _output.SendDeadline;
        if ((deadline != 0 && now > deadline) || (sendDeadline != 0 && now > sendDeadline))
        {
            Abort();
            return;
        }

        if (Volatile.Read(ref _state) == Serving && now - Volatile.Read(ref _servingSince) >= WatchAfterMs)
        {
            lock (_watchGate)
            {
                if (_state == Serving && _watch is null)
                {
                    _watch = WatchForDisconnectAsync();
                }
            }
        }
    }

    /// <summary>
    /// Parses what the client has sent so far: the next request (ready, or not for the lane), <see cref="LaneParse.Incomplete"/>
    /// when more bytes are needed, or null when the connection is to close. Arms the keep-alive or request-headers time-out
    /// for the wait that follows.
    /// </summary>
    /// <param name="waitingSince">When the connection began waiting for this request.</param>
    /// <param name="partialSince">When the first bytes of it were seen incomplete; 0 before.</param>
    private LaneParse? ReadBuffered(long waitingSince, ref long partialSince)
    {
        if (!_input.IsEmpty)
        {
            var parse = Http1Forwarder.ActivitySource.HasListeners() ? LaneParse.NotForLane : _parts.Parser.Parse(_input.Unread, _request);
            if (parse != LaneParse.Incomplete)
            {
                return parse;
            }

            partialSince = partialSince == 0 ? Environment.TickCount64 : partialSince;
            Volatile.Write(ref _deadline, partialSince + _parts.Timeouts.RequestHeadersMs);
            Interlocked.Exchange(ref _state, Reading);
            return LaneParse.Incomplete;
        }

        Volatile.Write(ref _deadline, waitingSince + _parts.Timeouts.KeepAliveMs);
        Interlocked.Exchange(ref _state, Idle);
        return Volatile.Read(ref _closeRequested) == 1 ? null : LaneParse.Incomplete;
    }

    /// <summary>Marks the parsed request as being served; whether the connection may stay open after it.</summary>
    private bool BeginServing()
    {
        Volatile.Write(ref _deadline, 0);
        Volatile.Write(ref _servingSince, Environment.TickCount64);
        Interlocked.Exchange(ref _state, Serving);
        _parts.Statistics.RequestServed();
        return _request.KeepAlive && Volatile.Read(ref _closeRequested) == 0;
    }

    /// <summary>
    /// Consumes the served request. Returns the disconnect watch to wait for before the next receive, when one was started
    /// and the connection stays open with nothing received ahead; null otherwise.
    /// </summary>
    private Task? EndServing(bool keepAlive)
    {
        _request.Release();
        _input.ConsumeTo(_request.End);

        Task? watch;
        lock (_watchGate)
        {
            _state = Idle;
            watch = _watch;
            _watch = null;
        }

        if (watch is null || !keepAlive || !_input.IsEmpty)
        {
            return null;
        }

        // The watch's receive waits for the client's next bytes, as the next receive would: let it finish first. (With a
        // pipelined request already received, it may wait long after; the socket completes receives in order, so it is
        // simply left to finish ahead of a later one.)
        Volatile.Write(ref _deadline, Environment.TickCount64 + _parts.Timeouts.KeepAliveMs);
        return watch;
    }

    /// <summary>Waits until the client's socket can be read; cancels the request under way when the client is gone.</summary>
    private async Task WatchForDisconnectAsync()
    {
        try
        {
            await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (Volatile.Read(ref _state) == Serving && _socket.Socket.Available == 0)
            {
                // Readable with nothing to read: the client closed its side.
                Abort();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Abort();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The connection lane failed on the connection from {Client}; the connection is closed.")]
        public static partial void UnexpectedFailure(ILogger logger, string? client, Exception exception);
    }
}
