using System.Diagnostics;
using System.Net.Http;
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
/// The exchange itself is <see cref="BackendExchange"/>'s. This class keeps YARP's contract around it: the
/// <see cref="ForwarderError"/> in <see cref="IForwarderErrorFeature"/> (read by passive health and the forwarding step),
/// 502 (504 on a time-out) before the response started, an aborted client connection after.
/// </remarks>
internal sealed class Http1Forwarder(
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
        using var activity = ActivitySource.HasListeners() ? StartActivity(context.Request, endpoint) : null;
        var result = await BackendExchange.RunAsync(
            endpoint,
            new HttpRequestSource(context),
            new HttpResponseSink(context.Response),
            options.ConnectTimeout,
            activityTimeout,
            activity ?? Activity.Current,
            logger,
            context.RequestAborted);
        if (result.Succeeded)
        {
            activity?.SetTag("http.response.status_code", result.StatusCode);
            return ForwarderError.None;
        }

        activity?.SetStatus(ActivityStatusCode.Error, result.Error.ToString());
        Report(context, result.Error, result.Exception!);
        return result.Error;
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

    private sealed class ForwardingFailure(ForwarderError error, Exception exception) : IForwarderErrorFeature
    {
        public ForwarderError Error { get; } = error;

        public Exception? Exception { get; } = exception;
    }
}
