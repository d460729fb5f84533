using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Evergreen.Gateway.Lane.Transport;

/// <summary>
/// A client connection the lane gives to Kestrel's HTTP layer: Kestrel's own socket connection
/// (<see cref="Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketConnectionContextFactory"/>), whose input
/// starts with the bytes the lane had already received and not served — the request it would not serve and anything the
/// client sent after it. Those bytes and then the socket's are copied into a pipe of this connection's own; that costs a
/// copy, which only connections off the fast path pay.
/// </summary>
internal sealed class HandedOverConnection : ConnectionContext
{
    private readonly ConnectionContext _socket;
    private readonly Pipe _input = new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));

    private readonly Task _copying;

    public HandedOverConnection(ConnectionContext socket, byte[] unread)
    {
        _socket = socket;
        Transport = new DuplexPipe(_input.Reader, socket.Transport.Output);
        _copying = CopyInputAsync(unread);
    }

    public override IDuplexPipe Transport { get; set; }

    public override string ConnectionId
    {
        get => _socket.ConnectionId;
        set => _socket.ConnectionId = value;
    }

    public override IFeatureCollection Features => _socket.Features;

    public override IDictionary<object, object?> Items
    {
        get => _socket.Items;
        set => _socket.Items = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => _socket.LocalEndPoint;
        set => _socket.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _socket.RemoteEndPoint;
        set => _socket.RemoteEndPoint = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => _socket.ConnectionClosed;
        set => _socket.ConnectionClosed = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort(abortReason);

    public override async ValueTask DisposeAsync()
    {
        await _socket.DisposeAsync();
        await _copying;
    }

    private async Task CopyInputAsync(byte[] unread)
    {
        Exception? error = null;
        try
        {
            var written = await _input.Writer.WriteAsync(unread);
            if (!written.IsCompleted)
            {
                await _socket.Transport.Input.CopyToAsync(_input.Writer);
            }
        }
        catch (Exception ex)
        {
            // A reset or an abort: Kestrel's HTTP layer reads it from the pipe as it would from the socket.
            error = ex;
        }
        finally
        {
            await _input.Writer.CompleteAsync(error);
            await _socket.Transport.Input.CompleteAsync();
        }
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
