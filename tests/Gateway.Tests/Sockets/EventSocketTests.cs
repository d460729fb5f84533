using System.Net;
using System.Net.Sockets;
using System.Text;
using Evergreen.Gateway.Sockets;

namespace Evergreen.Gateway.Tests.Sockets;

/// <summary>
/// The gateway's own event-loop sockets over real loopback connections: what a receive or send sees when the peer sends
/// late, closes, reads slowly or is not there, and what cancelling, closing or handing the socket on does to a waiting call.
/// </summary>
public sealed class EventSocketTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Receive_BytesArriveAfterTheCallWaits_CompletesWithThem()
    {
        using var pair = await Pair.ConnectAsync();
        var buffer = new byte[64];

        var receiving = pair.Socket.ReceiveAsync(buffer, Cancellation);
        Assert.False(receiving.IsCompleted, "nothing was sent yet");
        await pair.Peer.SendAsync("hello"u8.ToArray());

        var received = await receiving.AsTask().DefaultTimeout();
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer, 0, received));
    }

    [Fact]
    public async Task Receive_PeerSentItsLastBytesAndClosedBeforeTheReceive_GetsTheBytesThenEndOfStream()
    {
        using var pair = await Pair.ConnectAsync();
        var buffer = new byte[64];
        Assert.Equal(1, await pair.ReceiveWhatThePeerSendsAsync(buffer, "x"));

        // The last bytes and the end of the stream arrive together, before anyone receives: one event for both.
        await pair.Peer.SendAsync("last words"u8.ToArray());
        pair.Peer.Shutdown(SocketShutdown.Send);
        await Task.Delay(100, Cancellation);

        var received = await pair.Socket.ReceiveAsync(buffer, Cancellation).AsTask().DefaultTimeout();
        Assert.Equal("last words", Encoding.ASCII.GetString(buffer, 0, received));
        Assert.Equal(0, await pair.Socket.ReceiveAsync(buffer, Cancellation).AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task Receive_MoreThanTheBufferArrived_TheNextReceiveGetsTheRestWithoutANewEvent()
    {
        using var pair = await Pair.ConnectAsync();
        await pair.Peer.SendAsync(Encoding.ASCII.GetBytes("0123456789"));
        await Task.Delay(100, Cancellation);
        var buffer = new byte[4];
        var text = new StringBuilder();

        while (text.Length < 10)
        {
            var received = await pair.Socket.ReceiveAsync(buffer, Cancellation).AsTask().DefaultTimeout();
            text.Append(Encoding.ASCII.GetString(buffer, 0, received));
        }

        Assert.Equal("0123456789", text.ToString());
    }

    [Fact]
    public async Task Receive_WithEmptyBuffer_CompletesWhenBytesArriveWithoutConsumingThem()
    {
        using var pair = await Pair.ConnectAsync();
        var buffer = new byte[64];
        await pair.ReceiveWhatThePeerSendsAsync(buffer, "a");

        var readable = pair.Socket.ReceiveAsync(Memory<byte>.Empty, Cancellation);
        Assert.False(readable.IsCompleted, "nothing was sent since the last receive");
        await pair.Peer.SendAsync("next"u8.ToArray());

        Assert.Equal(0, await readable.AsTask().DefaultTimeout());
        var received = await pair.Socket.ReceiveAsync(buffer, Cancellation).AsTask().DefaultTimeout();
        Assert.Equal("next", Encoding.ASCII.GetString(buffer, 0, received));
    }

    [Fact]
    public async Task Receive_WithEmptyBufferAfterAReceiveFilledItsBuffer_WaitsForNewBytes()
    {
        using var pair = await Pair.ConnectAsync();
        var buffer = new byte[4];
        Assert.Equal(4, await pair.ReceiveWhatThePeerSendsAsync(buffer, "full")); // exactly the buffer: it may hold more

        // The lane's disconnect watch reads "readable with nothing to read" as "the client closed": it must not complete
        // on a socket that holds nothing.
        var readable = pair.Socket.ReceiveAsync(Memory<byte>.Empty, Cancellation);
        await Task.Delay(200, Cancellation);
        Assert.False(readable.IsCompleted, "the socket holds no bytes and the peer has not closed");

        await pair.Peer.SendAsync("more"u8.ToArray());
        Assert.Equal(0, await readable.AsTask().DefaultTimeout());
        Assert.True(pair.Socket.Socket.Available > 0);
    }

    [Fact]
    public async Task Receive_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        using var pair = await Pair.ConnectAsync();
        using var cancellation = new CancellationTokenSource();

        var receiving = pair.Socket.ReceiveAsync(new byte[64], cancellation.Token);
        Assert.False(receiving.IsCompleted);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiving.AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task Dispose_WhileAReceiveWaits_EndsItWithOperationAborted()
    {
        using var pair = await Pair.ConnectAsync();

        var receiving = pair.Socket.ReceiveAsync(new byte[64], Cancellation);
        pair.Socket.Dispose();

        var error = await Assert.ThrowsAsync<SocketException>(() => receiving.AsTask().DefaultTimeout());
        Assert.Equal(SocketError.OperationAborted, error.SocketErrorCode);
    }

    [Fact]
    public async Task Send_FarMoreThanTheSocketBuffersHold_ArrivesWholeAndInOrderOnceThePeerReads()
    {
        using var pair = await Pair.ConnectAsync();
        var payload = new byte[16 * 1024 * 1024];
        new Random(7).NextBytes(payload);

        var sending = pair.Socket.SendAsync(payload, Cancellation);
        Assert.False(sending.IsCompleted, "16 MiB cannot fit into the socket buffers of an unread connection");
        var received = new byte[payload.Length];
        var total = 0;
        while (total < received.Length)
        {
            total += await pair.Peer.ReceiveAsync(received.AsMemory(total), Cancellation).AsTask().DefaultTimeout();
        }

        await sending.AsTask().DefaultTimeout();
        Assert.True(payload.AsSpan().SequenceEqual(received), "the bytes differ from what was sent");
    }

    [Fact]
    public async Task Connect_ToAListeningPort_ConnectsBothWays()
    {
        using var listener = Listen();
        using var socket = await EventSocket.ConnectAsync(listener.LocalEndPoint!, Cancellation).AsTask().DefaultTimeout();
        using var peer = await listener.AcceptAsync(Cancellation).AsTask().DefaultTimeout();

        await socket.SendAsync("ping"u8.ToArray(), Cancellation).AsTask().DefaultTimeout();
        var buffer = new byte[16];
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, await peer.ReceiveAsync(buffer, Cancellation).AsTask().DefaultTimeout()));
        await peer.SendAsync("pong"u8.ToArray());
        Assert.Equal("pong", Encoding.ASCII.GetString(buffer, 0, await socket.ReceiveAsync(buffer, Cancellation).AsTask().DefaultTimeout()));
    }

    [Fact]
    public async Task Connect_ByHostName_ConnectsToTheResolvedAddress()
    {
        using var listener = Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        using var socket = await EventSocket.ConnectAsync(new DnsEndPoint("localhost", port), Cancellation).AsTask().DefaultTimeout();
        using var peer = await listener.AcceptAsync(Cancellation).AsTask().DefaultTimeout();

        Assert.NotNull(peer.RemoteEndPoint);
    }

    [Fact]
    public async Task Connect_ToAPortNobodyListensOn_ThrowsConnectionRefused()
    {
        int port;
        using (var closed = Listen())
        {
            port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        }

        var error = await Assert.ThrowsAsync<SocketException>(
            () => EventSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Cancellation).AsTask().DefaultTimeout());
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Detach_TheSocketServesTheRuntimesAsyncCallsAndDisposeLeavesItOpen()
    {
        using var pair = await Pair.ConnectAsync();
        await pair.Peer.SendAsync("for the next owner"u8.ToArray());

        using var socket = pair.Socket.Detach();
        pair.Socket.Dispose();
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, Cancellation).AsTask().DefaultTimeout();

        Assert.True(socket.Blocking);
        Assert.Equal("for the next owner", Encoding.ASCII.GetString(buffer, 0, received));
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }

    /// <summary>An <see cref="EventSocket"/> accepted from a loopback listener, and a plain socket at the other end.</summary>
    private sealed class Pair : IDisposable
    {
        private Pair(EventSocket socket, Socket peer)
        {
            Socket = socket;
            Peer = peer;
        }

        public EventSocket Socket { get; }

        public Socket Peer { get; }

        public static async Task<Pair> ConnectAsync()
        {
            using var listener = Listen();
            var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await peer.ConnectAsync(listener.LocalEndPoint!);
            var accepted = await listener.AcceptAsync();
            return new Pair(EventSocket.Attach(accepted), peer);
        }

        /// <summary>A receive that waits until the peer sends <paramref name="text"/>; the count received.</summary>
        public async Task<int> ReceiveWhatThePeerSendsAsync(byte[] buffer, string text)
        {
            var receiving = Socket.ReceiveAsync(buffer, Cancellation);
            await Peer.SendAsync(Encoding.ASCII.GetBytes(text));
            return await receiving.AsTask().DefaultTimeout();
        }

        public void Dispose()
        {
            Socket.Dispose();
            Peer.Dispose();
        }
    }
}
