using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Evergreen.Gateway.Sockets;

namespace Evergreen.Gateway.Lane.Transport;

/// <summary>
/// What a lane connection sends its client: written into an array rented from the shared pool, then sent with one
/// <see cref="EventSocket.SendAsync"/> — a small response with its head
/// leaves in one system call. While a send waits for the client to read, <see cref="SendDeadline"/> says until when it may
/// (Kestrel's minimum response data rate, see <see cref="LaneTimeouts.SendLimitMs"/>); the connection's heartbeat aborts a
/// client that reads slower.
/// </summary>
internal sealed class ClientOutput(EventSocket socket, LaneTimeouts timeouts) : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 4 * 1024;

    private byte[] _buffer = [];
    private int _written;
    private long _sendDeadline;

    /// <summary><see cref="Environment.TickCount64"/> by which the send under way must finish; 0 while none is.</summary>
    public long SendDeadline => Volatile.Read(ref _sendDeadline);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>
    /// Sends everything written so far; an <see cref="IOException"/> when the client's connection is gone. Without an async
    /// frame when the socket takes it all at once (the usual case for a response).
    /// </summary>
    public ValueTask SendAsync(CancellationToken cancellationToken)
    {
        if (_written == 0)
        {
            return ValueTask.CompletedTask;
        }

        Volatile.Write(ref _sendDeadline, Environment.TickCount64 + timeouts.SendLimitMs(_written));
        // A failed send comes back as a faulted task, never as a throw; SentAsync translates it.
        var sending = socket.SendAsync(_buffer.AsMemory(0, _written), cancellationToken);
        if (!sending.IsCompletedSuccessfully)
        {
            return SentAsync(sending);
        }

        Sent();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        _written = 0;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SentAsync(ValueTask sending)
    {
        try
        {
            await sending;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw ClientGone(ex);
        }
        finally
        {
            Sent();
        }
    }

    private static IOException ClientGone(Exception ex) => new("The client's connection closed while the response was being written.", ex);

    /// <summary>
    /// The array goes back to the pool after every send: an idle connection, or one waiting for the next event of a stream,
    /// holds none (the pool hands the same array back to the next send on this thread).
    /// </summary>
    private void Sent()
    {
        Volatile.Write(ref _sendDeadline, 0);
        Dispose();
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(InitialBytes, _buffer.Length * 2)));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
