using System.IO.Pipelines;
using Evergreen.Gateway.Forwarding.Http1;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// One client connection in the lane: reads requests from Kestrel's transport pipe, serves those the lane can read
/// exactly, and hands the connection to Kestrel's HTTP layer, from the first request it cannot serve, by returning that
/// request's bytes to the pipe unread and calling the next connection middleware.
/// </summary>
/// <remarks>
/// Kestrel's HTTP layer enforces its time-outs itself; in the lane they are kept here, on Kestrel's once-a-second
/// connection heartbeat rather than a timer per request: a client that sends nothing for the keep-alive time-out, or
/// takes longer than the request-headers time-out to send a request it has begun, is disconnected. While a request is
/// forwarded the destination's activity time-out applies instead. When the server shuts down, the request being served
/// is finished with <c>Connection: close</c> and an idle connection is closed at once.
/// </remarks>
internal sealed partial class LaneConnection(
    ConnectionContext connection, LaneRequestParser parser, LaneForwarder forwarder, LaneTimeouts timeouts, LaneStatistics statistics, byte[] clientAddress, ILogger logger)
{
    private readonly LaneRequest _request = new(clientAddress);
    private readonly LaneResponse _response = new(connection.Transport.Output);
    private long _deadline;
    private bool _closeRequested;

    public async Task RunAsync(ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        var lifetime = connection.Features.Get<IConnectionLifetimeNotificationFeature>();
        using var closing = lifetime?.ConnectionClosedRequested.UnsafeRegister(static state => ((LaneConnection)state!).OnCloseRequested(), this);
        connection.Features.Get<IConnectionHeartbeatFeature>()?.OnHeartbeat(static state => ((LaneConnection)state).OnHeartbeat(), this);
        var idleSince = Environment.TickCount64;
        long partialSince = 0;
        try
        {
            while (true)
            {
                Volatile.Write(ref _deadline, partialSince == 0 ? idleSince + timeouts.KeepAliveMs : partialSince + timeouts.RequestHeadersMs);
                var read = await input.ReadAsync();
                var buffer = read.Buffer;
                if (Volatile.Read(ref _closeRequested) && buffer.IsEmpty)
                {
                    return;
                }

                switch (Http1Forwarder.ActivitySource.HasListeners() ? LaneParse.NotForLane : parser.Parse(buffer, _request))
                {
                    case LaneParse.Incomplete:
                        if (read.IsCompleted || read.IsCanceled)
                        {
                            input.AdvanceTo(buffer.End);
                            return;
                        }

                        partialSince = partialSince == 0 && !buffer.IsEmpty ? Environment.TickCount64 : partialSince;
                        input.AdvanceTo(buffer.Start, buffer.End);
                        continue;

                    case LaneParse.NotForLane:
                        Volatile.Write(ref _deadline, 0);
                        _request.Release();
                        input.AdvanceTo(buffer.Start);
                        statistics.ConnectionHandedOver();
                        await next(connection);
                        return;
                }

                Volatile.Write(ref _deadline, 0);
                var keepAlive = _request.KeepAlive && !Volatile.Read(ref _closeRequested);
                statistics.RequestServed();
                keepAlive = await forwarder.ServeAsync(_request, _response, keepAlive, connection.ConnectionClosed);
                _request.Release();
                input.AdvanceTo(_request.End);
                if (!keepAlive)
                {
                    return;
                }

                idleSince = Environment.TickCount64;
                partialSince = 0;
            }
        }
        catch (Exception ex) when (ex is ConnectionAbortedException or ConnectionResetException or IOException or OperationCanceledException)
        {
            // The client went away, or the heartbeat closed an idle connection.
        }
        catch (Exception ex)
        {
            Log.UnexpectedFailure(logger, connection.ConnectionId, ex);
        }
        finally
        {
            _request.Release();
        }
    }

    private void OnCloseRequested()
    {
        Volatile.Write(ref _closeRequested, true);
        connection.Transport.Input.CancelPendingRead();
    }

    private void OnHeartbeat()
    {
        var deadline = Volatile.Read(ref _deadline);
        if (deadline != 0 && Environment.TickCount64 > deadline)
        {
            Volatile.Write(ref _deadline, 0);
            connection.Abort(new ConnectionAbortedException("The client sent no request within the time-out."));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The connection lane failed on connection {ConnectionId}; the connection is closed.")]
        public static partial void UnexpectedFailure(ILogger logger, string connectionId, Exception exception);
    }
}
