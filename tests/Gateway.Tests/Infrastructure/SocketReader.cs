using System.Net.Sockets;

namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>
/// Bytes read from a socket and not consumed yet, for the tests' raw HTTP peers (<see cref="ScriptedHttpServer"/>,
/// <see cref="RawHttpConnection"/>): read up to a delimiter or an exact count, keeping whatever arrived after it.
/// </summary>
internal sealed class SocketReader(Socket socket, string peer, CancellationToken cancellationToken)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public bool HasUnread => _end > _start;

    /// <summary>The bytes before <paramref name="delimiter"/> (which is consumed too), or null when the stream ends first.</summary>
    public async Task<byte[]?> TryReadUntilAsync(byte[] delimiter)
    {
        int found;
        while ((found = _buffer.AsSpan(_start, _end - _start).IndexOf(delimiter)) < 0)
        {
            if (!await FillAsync())
            {
                return null;
            }
        }

        var bytes = _buffer.AsSpan(_start, found).ToArray();
        _start += found + delimiter.Length;
        return bytes;
    }

    /// <exception cref="IOException">The stream ended before the delimiter.</exception>
    public async Task<byte[]> ReadUntilAsync(byte[] delimiter) =>
        await TryReadUntilAsync(delimiter) ?? throw new IOException($"{peer} closed the connection in the middle of a message.");

    /// <exception cref="IOException">The stream ended first.</exception>
    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        while (_end - _start < count)
        {
            if (!await FillAsync())
            {
                throw new IOException($"{peer} closed the connection in the middle of a message.");
            }
        }

        var bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    /// <summary>Receives more bytes; false at the end of the stream.</summary>
    public async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += read;
        return read > 0;
    }
}
