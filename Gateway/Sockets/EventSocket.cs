using System.Net.Sockets;

namespace Evergreen.Gateway.Sockets;

/// <summary>
/// A connected socket whose waits are served by one of the gateway's <see cref="EventLoops"/>: a receive is tried at once only
/// when the socket may hold bytes — the kernel reported it readable since a receive last emptied it — and otherwise waits for
/// the kernel's next event, so a proxy's usual receive costs one system call instead of two (see <see cref="EventLoops"/>).
/// A wait completes on the loop's thread, which runs its continuation inline. One receive and one send may be under way at a
/// time. When the loops are off, every call goes to the runtime's socket engine instead.
/// </summary>
/// <remarks>
/// <see cref="_readable"/> and <see cref="_writable"/> are cleared before each attempt and set by the loop on the kernel's
/// edge-triggered events, so an event that arrives during an attempt is never lost. A receive that filled its whole buffer,
/// end of stream and errors leave the socket readable, and so does every receive once the kernel reported that the peer
/// closed its side (<see cref="_peerClosed"/>): its last bytes and its end of stream may come with one event. The attempts
/// use <see cref="System.Net.Sockets.Socket"/>'s non-blocking calls, which hold the descriptor while they run.
/// </remarks>
internal sealed partial class EventSocket : IDisposable
{
    private const int Attached = 0;
    private const int Detached = 1;
    private const int Closed = 2;

    private readonly EventLoop? _loop;
    private readonly SocketOperation _receive = new();
    private readonly SocketOperation _send = new();
    private readonly int _fd;
    private int _readable = 1;
    private int _peerClosed;
    private int _writable = 1;
    private int _state;

    private EventSocket(Socket socket, EventLoop? loop, bool connecting = false)
    {
        Socket = socket;
        _loop = loop;
        if (loop is null)
        {
            return;
        }

        _writable = connecting ? 0 : 1;
        socket.Blocking = false;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        loop.Register(this, _fd);
    }

    /// <summary>The socket itself, for what the loop does not do (options, addresses, <see cref="Socket.Available"/>).</summary>
    public Socket Socket { get; }

    /// <summary>The managed thread id of the loop that serves this socket's waits; 0 when the loops are off.</summary>
    public int LoopThreadId => _loop?.ThreadId ?? 0;

    /// <summary>The key its loop's events carry; set by the loop before the first event can arrive.</summary>
    public ulong Key { get; set; }

    /// <summary>Takes over a connected socket (an accepted one); the loops serve such sockets in turn.</summary>
    public static EventSocket Attach(Socket socket) => new(socket, EventLoops.Next());

    /// <summary>Receives into <paramref name="buffer"/>: the count, 0 at end of stream. An empty buffer waits until the socket is readable.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (buffer.IsEmpty)
        {
            if (HasBytesOrEnd())
            {
                return ValueTask.FromResult(0);
            }
        }
        else if (TryReceive(buffer.Span, out var received, out var error))
        {
            return error == SocketError.Success ? ValueTask.FromResult(received) : ValueTask.FromException<int>(new SocketException((int)error));
        }

        _receive.Buffer = buffer;
        var version = _receive.Begin(cancellationToken);
        ContinueReceive();
        return new ValueTask<int>(_receive, version);
    }

    /// <summary>Sends all of <paramref name="data"/>; without a wait when the socket takes it at once (the usual case).</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return SendWithRuntimeAsync(data, cancellationToken);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        while (!data.IsEmpty && TrySend(data.Span, out var sent, out var error))
        {
            if (error != SocketError.Success)
            {
                return ValueTask.FromException(new SocketException((int)error));
            }

            data = data[sent..];
        }

        return data.IsEmpty ? ValueTask.CompletedTask : WaitToSend(data, cancellationToken);
    }

    /// <summary>Hands the socket back, blocking as it came, to a new owner (Kestrel's transport); this object is done with it.</summary>
    public Socket Detach()
    {
        if (Interlocked.CompareExchange(ref _state, Detached, Attached) == Attached && _loop is not null)
        {
            _loop.Unregister(Key, _fd);
            Socket.Blocking = true;
        }

        return Socket;
    }

    /// <summary>
    /// Closes the socket, unless it was detached; a receive or send waiting on it ends with
    /// <see cref="SocketError.OperationAborted"/>.
    /// </summary>
    public void Dispose()
    {
        var state = Interlocked.Exchange(ref _state, Closed);
        if (state == Detached)
        {
            return;
        }

        if (_loop is null)
        {
            Socket.Dispose();
            return;
        }

        if (state == Attached)
        {
            _loop.Unregister(Key, _fd);
        }

        Socket.Dispose();

        // The waits' next attempts find the socket closed.
        OnEvents(Epoll.Error);
    }

    /// <summary>The loop's delivery of the kernel's events for this socket.</summary>
    public void OnEvents(uint events)
    {
        if ((events & (Epoll.Error | Epoll.HangUp | Epoll.ReadHangUp)) != 0)
        {
            Volatile.Write(ref _peerClosed, 1);
        }

        if ((events & (Epoll.In | Epoll.Error | Epoll.HangUp | Epoll.ReadHangUp)) != 0)
        {
            Interlocked.Exchange(ref _readable, 1);
            ContinueReceive();
        }

        if ((events & (Epoll.Out | Epoll.Error | Epoll.HangUp)) != 0)
        {
            Interlocked.Exchange(ref _writable, 1);
            ContinueSend();
        }
    }

    private ValueTask WaitToSend(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _send.Data = data;
        var version = _send.Begin(cancellationToken);
        ContinueSend();
        return new ValueTask(_send, version);
    }

    /// <summary>Completes the waiting receive when the socket may be readable; the caller, the loop and a dispose all call it.</summary>
    private void ContinueReceive()
    {
        var operation = _receive;
        while (Volatile.Read(ref _readable) == 1 && operation.TryClaim())
        {
            var buffer = operation.Buffer;
            if (buffer.IsEmpty)
            {
                if (!HasBytesOrEnd())
                {
                    operation.Release();
                    continue;
                }

                operation.Complete(0);
                return;
            }

            if (!TryReceive(buffer.Span, out var received, out var error))
            {
                operation.Release();
                continue;
            }

            if (error == SocketError.Success)
            {
                operation.Complete(received);
            }
            else
            {
                operation.Fail(new SocketException((int)error));
            }

            return;
        }
    }

    /// <summary>Sends on for the waiting send when the socket may be writable; completes it once all is sent.</summary>
    private void ContinueSend()
    {
        var operation = _send;
        while (Volatile.Read(ref _writable) == 1 && operation.TryClaim())
        {
            var data = operation.Data;
            if (data.IsEmpty)
            {
                operation.Complete(0);
                return;
            }

            if (!TrySend(data.Span, out var sent, out var error))
            {
                operation.Release();
                continue;
            }

            if (error != SocketError.Success)
            {
                operation.Fail(new SocketException((int)error));
                return;
            }

            operation.Data = data[sent..];
            if (operation.Data.IsEmpty)
            {
                operation.Complete(0);
                return;
            }

            operation.Release();
        }
    }

    /// <summary>
    /// For a wait until the socket is readable: whether bytes or the end of the stream are there now. The flag alone is not
    /// enough — a receive that filled its buffer leaves it set on a socket it may have emptied — so the kernel is asked
    /// (one <c>ioctl</c>, on this rare path); the flag is cleared before asking, so bytes arriving after the question still
    /// raise it through their event.
    /// </summary>
    private bool HasBytesOrEnd()
    {
        if (Interlocked.Exchange(ref _readable, 0) == 0)
        {
            return false;
        }

        bool ready;
        try
        {
            ready = Volatile.Read(ref _peerClosed) == 1 || Socket.Available > 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            ready = true;
        }

        if (ready)
        {
            Volatile.Write(ref _readable, 1);
        }

        return ready;
    }

    /// <summary>
    /// Receives while the socket may hold bytes; false when it must wait for the kernel's next event instead. Afterwards the
    /// socket stays readable unless the receive emptied it (fewer bytes than asked) while the peer's side is open: the next
    /// receive then tries at once instead of waiting for an event that may not come.
    /// </summary>
    private bool TryReceive(Span<byte> buffer, out int received, out SocketError error)
    {
        received = 0;
        error = SocketError.WouldBlock;
        if (Interlocked.Exchange(ref _readable, 0) == 0)
        {
            return false;
        }

        try
        {
            received = Socket.Receive(buffer, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            error = SocketError.OperationAborted;
        }

        if (error == SocketError.WouldBlock)
        {
            return false;
        }

        if (error != SocketError.Success || received == 0 || received == buffer.Length || Volatile.Read(ref _peerClosed) == 1)
        {
            Volatile.Write(ref _readable, 1);
        }

        return true;
    }

    /// <summary>
    /// Sends while the socket may have room; false when it must wait for the kernel's next event instead. A send that took
    /// everything leaves the socket writable; a partial one means its buffer is full until the kernel says otherwise.
    /// </summary>
    private bool TrySend(ReadOnlySpan<byte> data, out int sent, out SocketError error)
    {
        sent = 0;
        error = SocketError.WouldBlock;
        if (Interlocked.Exchange(ref _writable, 0) == 0)
        {
            return false;
        }

        try
        {
            sent = Socket.Send(data, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            error = SocketError.OperationAborted;
        }

        if (error == SocketError.WouldBlock)
        {
            return false;
        }

        if (error != SocketError.Success || sent == data.Length)
        {
            Volatile.Write(ref _writable, 1);
        }

        return true;
    }

    private async ValueTask SendWithRuntimeAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            data = data[await Socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
        }
    }
}
