using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Forwarder;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>How an exchange with a destination ended: <see cref="ForwarderError.None"/> or the stage that failed, and why.</summary>
internal readonly record struct ExchangeResult(ForwarderError Error, Exception? Exception, int StatusCode)
{
    public bool Succeeded => Error == ForwarderError.None;
}

/// <summary>
/// One request and its response over a pooled HTTP/1.1 connection to a destination: rent or open a connection, send the
/// request, skip interim responses, copy the final response into the sink, and keep the connection only when the
/// exchange ended cleanly. Shared by the YARP forwarder (<see cref="Http1Forwarder"/>) and the connection lane.
/// </summary>
/// <remarks>
/// Like <see cref="System.Net.Http.SocketsHttpHandler"/>, a pooled connection that turns out closed before any response
/// byte arrived is replaced by a new one and the request sent again, once: a destination may close an idle connection
/// (restart, keep-alive time-out) just as it is reused. Failures are classified with YARP's <see cref="ForwarderError"/>
/// vocabulary, which passive health and the forwarding step read; a connect failure is an
/// <see cref="System.Net.Http.HttpRequestException"/> with <see cref="System.Net.Http.HttpRequestError.ConnectionError"/>.
/// </remarks>
internal static partial class BackendExchange
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ExchangeResult> RunAsync<TRequest, TSink>(
        BackendEndpoint endpoint,
        TRequest request,
        TSink sink,
        TimeSpan connectTimeout,
        TimeSpan activityTimeout,
        Activity? activity,
        ILogger logger,
        CancellationToken aborted)
        where TRequest : IForwardedRequest
        where TSink : IResponseSink
    {
        var stage = Stage.Connect;
        BackendConnection? connection = null;
        try
        {
            connection = endpoint.RentIdle();
            var reused = connection is not null;
            connection ??= await endpoint.ConnectAsync(connectTimeout, aborted);
            connection.Begin(aborted, activityTimeout);

            ResponseHeadInfo head;
            while (true)
            {
                try
                {
                    stage = Stage.Request;
                    request.WriteHead(connection.Send, endpoint, activity);
                    await request.SendAsync(connection);
                    stage = Stage.ResponseHead;

                    // The receive is awaited here, not in a helper: one async frame less on every request's wait for its destination.
                    while (!TryTakeFinalHead(connection, sink, request.IsHead, out head))
                    {
                        if (connection.Received(await connection.ReceiveAsync(ResponseBody.MaxHeadBytes)) == 0)
                        {
                            throw new DestinationClosedException("The destination closed the connection without answering.");
                        }
                    }

                    break;
                }
                catch (Exception ex) when (reused && !connection.ReceivedAny && IsClosedByDestination(ex, aborted) && request.CanResend)
                {
                    // The destination had closed this idle connection (a restart, its keep-alive time-out): send again on a new one.
                    Log.PooledConnectionClosed(logger, endpoint.Authority);
                    connection.Dispose();
                    connection = null;
                    request.Rewind();
                    stage = Stage.Connect;
                    connection = await endpoint.ConnectAsync(connectTimeout, aborted);
                    connection.Begin(aborted, activityTimeout);
                    reused = false;
                }
            }

            stage = Stage.ResponseBody;
            await ResponseBody.CopyAsync(connection, sink, head);
            if (connection.End() && head.KeepAlive && connection.Unread.IsEmpty)
            {
                endpoint.Return(connection);
                connection = null;
            }

            return new ExchangeResult(ForwarderError.None, null, head.StatusCode);
        }
        catch (Exception ex)
        {
            var error = Classify(stage, ex, aborted);
            Log.ForwardingFailed(logger, endpoint.Authority, error, ex);
            return new ExchangeResult(error, ex, 0);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>
    /// Copies the final response head into the sink once it has fully arrived, skipping interim responses; false while more
    /// bytes are needed.
    /// </summary>
    private static bool TryTakeFinalHead<TSink>(BackendConnection connection, TSink sink, bool requestIsHead, out ResponseHeadInfo info)
        where TSink : IResponseSink
    {
        while (true)
        {
            info = default;
            var length = ResponseHead.FindEnd(connection.Unread);
            if (length < 0)
            {
                return false;
            }

            var head = connection.Unread[..length];
            var status = ResponseHead.StatusCode(head);
            if (status == 101)
            {
                // Only ever sent to an upgrade, and upgrades go to YARP's forwarder.
                throw new InvalidDataException("The destination switched protocols on a request that did not ask to.");
            }

            if (status < 200)
            {
                // Interim (100 Continue, 103 Early Hints): the final response follows.
                connection.Consume(length);
                continue;
            }

            info = ResponseHead.CopyTo(sink, head, status, requestIsHead);
            connection.Consume(length);
            return true;
        }
    }

    private static bool IsClosedByDestination(Exception ex, CancellationToken aborted) =>
        !aborted.IsCancellationRequested && ex is DestinationClosedException or SocketException;

    private static ForwarderError Classify(Stage stage, Exception ex, CancellationToken aborted)
    {
        if (aborted.IsCancellationRequested)
        {
            return stage == Stage.ResponseBody ? ForwarderError.ResponseBodyCanceled : ForwarderError.RequestCanceled;
        }

        return (stage, ex) switch
        {
            (_, ClientReadException) => ForwarderError.RequestBodyClient,
            (_, ClientWriteException) => ForwarderError.ResponseBodyClient,
            (Stage.ResponseBody, _) => ForwarderError.ResponseBodyDestination,
            (_, OperationCanceledException) => ForwarderError.RequestTimedOut,
            (Stage.ResponseHead, InvalidDataException or InvalidOperationException) => ForwarderError.ResponseHeaders,
            _ => ForwarderError.Request,
        };
    }

    private enum Stage
    {
        Connect,
        Request,
        ResponseHead,
        ResponseBody,
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "A pooled connection to {Destination} had been closed by it; sending again on a new connection.")]
        public static partial void PooledConnectionClosed(ILogger logger, string destination);

        [LoggerMessage(2, LogLevel.Information, "Forwarding to {Destination} failed: {Error}.")]
        public static partial void ForwardingFailed(ILogger logger, string destination, ForwarderError error, Exception exception);
    }
}
