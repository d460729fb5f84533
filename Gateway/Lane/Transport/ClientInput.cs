using System.Buffers;
using Evergreen.Gateway.Sockets;

namespace Evergreen.Gateway.Lane.Transport;

/// <summary>
/// The bytes a lane connection has received from its client and not yet consumed, in one array rented from the shared
/// pool: a request is parsed where it lies and its body forwarded from there, so nothing is copied on the way in. The
/// array is 4 KiB and grows only while one request does not fit (at most a 16 KiB head and a 64 KiB body); a grown array
/// goes back to the pool as soon as nothing is left unread, so a connection holds 4 KiB between requests.
/// </summary>
internal sealed class ClientInput(EventSocket socket)
{
    private const int InitialBytes = 4 * 1024;

    private byte[] _buffer = [];
    private int _start;
    private int _end;

    /// <summary>What has arrived and is not consumed; valid until the next <see cref="ReceiveAsync"/>.</summary>
    public ReadOnlySequence<byte> Unread => new(_buffer, _start, _end - _start);

    public bool IsEmpty => _start == _end;

    /// <summary>
    /// Receives more bytes after those already unread; pass what it returns to <see cref="Received"/>. Not an async method:
    /// the connection's loop awaits the socket directly (see <see cref="LaneConnection.RunAsync"/>).
    /// </summary>
    public ValueTask<int> ReceiveAsync(CancellationToken cancellationToken)
    {
        MakeRoom();
        return socket.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken);
    }

    /// <summary>Takes in the <paramref name="count"/> bytes a <see cref="ReceiveAsync"/> received; false when the client closed its side.</summary>
    public bool Received(int count)
    {
        _end += count;
        return count > 0;
    }

    /// <summary>Consumes everything before <paramref name="position"/> (a position in <see cref="Unread"/>).</summary>
    public void ConsumeTo(SequencePosition position)
    {
        _start = position.GetInteger();
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > InitialBytes)
            {
                Release();
            }
        }
    }

    /// <summary>A copy of the unread bytes, for the connection's next owner.</summary>
    public byte[] TakeUnread()
    {
        var unread = _buffer.AsSpan(_start, _end - _start).ToArray();
        Release();
        return unread;
    }

    /// <summary>Returns the array to the pool; nothing unread is kept.</summary>
    public void Release()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        _start = _end = 0;
    }

    private void MakeRoom()
    {
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
        }
        else if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            var target = _start > 0 ? _buffer : ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(_start, unread).CopyTo(target);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _start = 0;
            _end = unread;
        }
    }
}
