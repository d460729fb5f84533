using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Evergreen.Gateway.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// YARP's <see cref="IHttpForwarder"/> for the gateway: forwards a request to a plain-HTTP destination over a pooled
/// HTTP/1.1 connection of its own, and hands anything else (an upgrade, an https or HTTP/2-only destination) to YARP's
/// own forwarder. YARP still matches the route, balances load, checks health and counts requests per destination; only
/// the last step changes. The reason is cost: YARP's forwarder goes through <see cref="HttpClient"/>'s request and
/// response objects, which on the benchmark spent about twice the CPU per request of this direct path (README).
/// </summary>
/// <remarks>
/// It keeps YARP's contract: the same <see cref="ForwarderError"/> values in <see cref="IForwarderErrorFeature"/> (read by
/// passive health and the forwarding step), 502 (504 on a time-out) before the response started, an aborted client
/// connection after; a connect failure is an <see cref="HttpRequestException"/> with
/// <see cref="HttpRequestError.ConnectionError"/>, the only failure the gateway retries elsewhere. Like
/// <see cref="SocketsHttpHandler"/>, a pooled connection that turns out closed before any response byte arrived is
/// replaced by a new one and the request sent again, once.
/// </remarks>
internal sealed partial class Http1Forwarder(
    IHttpForwarder yarpForwarder, BackendEndpoints endpoints, GatewayOptions options, ILogger<Http1Forwarder> logger) : IHttpForwarder
{
    /// <summary>The source of client spans for forwarded requests (subscribed by the service defaults' <c>Evergreen.*</c>).</summary>
    public static readonly ActivitySource ActivitySource = new("Evergreen.Gateway.Forwarding");

    public ValueTask<ForwarderError> SendAsync(
        HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer) =>
        SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, CancellationToken.None);

    public ValueTask<ForwarderError> SendAsync(
        HttpContext context,
        string destinationPrefix,
        HttpMessageInvoker httpClient,
        ForwarderRequestConfig requestConfig,
        HttpTransformer transformer,
        CancellationToken cancellationToken)
    {
        // A caller-supplied token (YARP's own pipeline never passes one) is left to YARP's forwarder, which honours it.
        var endpoint = SpeaksHttp1(context, requestConfig) && !cancellationToken.CanBeCanceled ? endpoints.For(destinationPrefix) : null;
        return endpoint is null
            ? yarpForwarder.SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, cancellationToken)
            : ForwardAsync(context, endpoint, requestConfig.ActivityTimeout ?? options.ActivityTimeout);
    }

    /// <summary>Everything but upgrades (WebSockets) and destinations that must be spoken to in HTTP/2 or later.</summary>
    private static bool SpeaksHttp1(HttpContext context, ForwarderRequestConfig config) =>
        context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true }
        && context.Features.Get<IHttpExtendedConnectFeature>() is not { IsExtendedConnect: true }
        && !HttpMethods.IsConnect(context.Request.Method)
        && (config.Version is null || config.Version.Major < 2 || config.VersionPolicy == HttpVersionPolicy.RequestVersionOrLower);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwarderError> ForwardAsync(HttpContext context, BackendEndpoint endpoint, TimeSpan activityTimeout)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        var framing = RequestBody.FramingOf(context);
        var bodyStart = request.Body.CanSeek ? request.Body.Position : -1;
        using var activity = ActivitySource.HasListeners() ? StartActivity(request, endpoint) : null;
        var stage = Stage.Connect;
        BackendConnection? connection = null;
        try
        {
            connection = endpoint.RentIdle();
            var reused = connection is not null;
            connection ??= await endpoint.ConnectAsync(options.ConnectTimeout, aborted);
            connection.Begin(aborted, activityTimeout);

            ResponseHeadInfo head;
            while (true)
            {
                try
                {
                    stage = Stage.Request;
                    RequestHead.Write(connection.Send, request, endpoint, framing, activity ?? Activity.Current);
                    await RequestBody.SendAsync(connection, request.Body, framing);
                    stage = Stage.ResponseHead;
                    head = await ReceiveHeadAsync(connection, context.Response, HttpMethods.IsHead(request.Method));
                    break;
                }
                catch (Exception ex) when (reused && !connection.ReceivedAny && IsClosedByDestination(ex, aborted) && CanResend(framing, bodyStart))
                {
                    // The destination had closed this idle connection (a restart, its keep-alive time-out): send again on a new one.
                    Log.PooledConnectionClosed(logger, endpoint.Authority);
                    connection.Dispose();
                    connection = null;
                    if (bodyStart >= 0)
                    {
                        request.Body.Position = bodyStart;
                    }

                    stage = Stage.Connect;
                    connection = await endpoint.ConnectAsync(options.ConnectTimeout, aborted);
                    connection.Begin(aborted, activityTimeout);
                    reused = false;
                }
            }

            stage = Stage.ResponseBody;
            await ResponseBody.CopyAsync(connection, context.Response, head);
            activity?.SetTag("http.response.status_code", head.StatusCode);
            var reusable = connection.End() && head.KeepAlive && connection.Unread.IsEmpty;
            if (reusable)
            {
                endpoint.Return(connection);
                connection = null;
            }

            return ForwarderError.None;
        }
        catch (Exception ex)
        {
            var error = Classify(stage, ex, aborted);
            activity?.SetStatus(ActivityStatusCode.Error, error.ToString());
            Log.ForwardingFailed(logger, endpoint.Authority, error, ex);
            Report(context, error, ex);
            return error;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<ResponseHeadInfo> ReceiveHeadAsync(BackendConnection connection, HttpResponse response, bool requestIsHead)
    {
        while (true)
        {
            var length = ResponseHead.FindEnd(connection.Unread);
            if (length < 0)
            {
                if (await connection.ReceiveMoreAsync(ResponseBody.MaxHeadBytes) == 0)
                {
                    throw new DestinationClosedException("The destination closed the connection without answering.");
                }

                continue;
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

            var info = ResponseHead.CopyTo(response, head, status, requestIsHead, connection.ValueCache);
            connection.Consume(length);
            return info;
        }
    }

    private static bool IsClosedByDestination(Exception ex, CancellationToken aborted) =>
        !aborted.IsCancellationRequested && ex is DestinationClosedException or SocketException;

    /// <summary>A request without a body, or whose buffered body can be read again from its start.</summary>
    private static bool CanResend(RequestHead.BodyFraming framing, long bodyStart) =>
        (framing.ContentLength is null or 0 && !framing.Chunked) || bodyStart >= 0;

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

    /// <summary>What YARP does on an error: a status before the response started, an aborted connection after.</summary>
    private static void Report(HttpContext context, ForwarderError error, Exception ex)
    {
        context.Features.Set<IForwarderErrorFeature>(new ForwardingFailure(error, ex));
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        response.Clear();
        response.StatusCode = error switch
        {
            ForwarderError.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
            ForwarderError.RequestBodyClient => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status502BadGateway,
        };
    }

    private static Activity? StartActivity(HttpRequest request, BackendEndpoint endpoint)
    {
        var activity = ActivitySource.StartActivity(request.Method, ActivityKind.Client);
        activity?.SetTag("http.request.method", request.Method);
        activity?.SetTag("server.address", endpoint.Authority);
        activity?.SetTag("url.path", request.Path.Value);
        return activity;
    }

    private enum Stage
    {
        Connect,
        Request,
        ResponseHead,
        ResponseBody,
    }

    private sealed class ForwardingFailure(ForwarderError error, Exception exception) : IForwarderErrorFeature
    {
        public ForwarderError Error { get; } = error;

        public Exception? Exception { get; } = exception;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "A pooled connection to {Destination} had been closed by it; sending again on a new connection.")]
        public static partial void PooledConnectionClosed(ILogger logger, string destination);

        [LoggerMessage(2, LogLevel.Information, "Forwarding to {Destination} failed: {Error}.")]
        public static partial void ForwardingFailed(ILogger logger, string destination, ForwarderError error, Exception exception);
    }
}
