using System.Net.Sockets;

namespace Evergreen.Bench.RawProxy;

/// <summary>A keep-alive connection to a backend and its response buffer.</summary>
internal sealed class BackendConnection(Socket socket)
{
    public Socket Socket { get; } = socket;

    public byte[] Buffer { get; } = new byte[16 * 1024];
}
