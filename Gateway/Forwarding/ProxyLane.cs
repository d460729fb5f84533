using Evergreen.ServiceDefaults.Health;
using Evergreen.ServiceDefaults.Telemetry;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// The first middleware of the gateway, for the <c>/v1</c> requests that reach Kestrel's HTTP layer (those the connection
/// lane leaves to it, see <see cref="Lane.ConnectionLane"/>, and all of them while traces are recorded): a <c>/v1/**</c>
/// request goes straight into YARP's proxy pipeline for the
/// <c>agentruntime</c> route, ahead of the service defaults' middleware, endpoint routing, authentication and
/// authorization, none of which has anything to do for it. Everything else continues down the normal pipeline.
/// </summary>
/// <remarks>
/// The reason is cost: on the 2-core benchmark each middleware a proxied request passes through costs CPU on the way in
/// and again when the response returns, and those layers were a fifth of the gateway's CPU per request. What the
/// skipped layers did that a proxied request needs is done here: it is counted in <see cref="InFlightRequests"/> (graceful
/// shutdown waits for it), its server span is shaped (<see cref="RequestActivityShaping"/>), an exception or an empty
/// error response becomes problem details, and the endpoint is set as routing would have set it.
/// </remarks>
internal sealed partial class ProxyLane(
    RequestDelegate next, ProxyRouteEndpoint route, InFlightRequests inFlight, IProblemDetailsService problemDetails, ILogger<ProxyLane> logger)
{
    private static readonly PathString ProxiedPrefix = "/v1";

    public Task InvokeAsync(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ProxiedPrefix, StringComparison.OrdinalIgnoreCase) && route.Current is { } endpoint
            ? ProxyAsync(context, endpoint)
            : next(context);

    private async Task ProxyAsync(HttpContext context, RouteEndpoint endpoint)
    {
        var activity = RequestActivityShaping.Begin(context);
        inFlight.Increment();
        try
        {
            context.SetEndpoint(endpoint);
            await endpoint.RequestDelegate!(context);
            if (IsEmptyError(context.Response))
            {
                await WriteProblemAsync(context);
            }
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Log.UnhandledException(logger, ex);
            if (activity is not null)
            {
                RequestActivityShaping.Fail(activity, ex);
            }

            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.Headers[GatewayResponses.DestinationHeader] = GatewayResponses.GatewayValue;
            await WriteProblemAsync(context);
        }
        finally
        {
            inFlight.Decrement();
            if (activity is not null)
            {
                RequestActivityShaping.End(activity, context);
            }
        }
    }

    /// <summary>An error status with nothing written, as the forwarder leaves a 502 or 504: status code pages would fill it.</summary>
    private static bool IsEmptyError(HttpResponse response) =>
        response.StatusCode >= StatusCodes.Status400BadRequest && !response.HasStarted
        && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType);

    private async Task WriteProblemAsync(HttpContext context) =>
        await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = context.Response.StatusCode },
        });

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "An unhandled exception occurred while proxying the request.")]
        public static partial void UnhandledException(ILogger logger, Exception exception);
    }
}
