using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// Proxy pipeline step after load balancing, around passive health checks and the forwarder. Per request it:
/// <list type="number">
/// <item>counts the request in flight on its destination (<see cref="DestinationAdmission"/>);</item>
/// <item>stamps <c>X-Evergreen-Destination</c> and records the attempt's status and latency;</item>
/// <item>retries once on another destination when the attempt failed to connect — no byte reached the destination —
/// and answers 503 with <c>Retry-After</c> when no destination is left. Anything that may have reached a destination is
/// never retried.</item>
/// </list>
/// </summary>
internal sealed class ForwardingStep(
    RequestDelegate next,
    DestinationAdmission admission,
    DestinationMetricsRegistry metrics,
    GatewayResponses responses,
    TimeProvider timeProvider,
    ILogger<ForwardingStep> logger)
{
    private const int MaxAttempts = 2;

    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var cluster = feature.Route.Cluster!;
        var pinnedIndex = PinnedOwnerFeature.Of(context);
        var destination = feature.AvailableDestinations.Count > 0 ? feature.AvailableDestinations[0] : null;
        var userId = UserIdentity.Of(context.Request);

        for (var attempt = 1; ; attempt++)
        {
            var index = admission.Acquire(cluster, ref destination, pinnedIndex, userId);
            if (index < 0 || destination is null)
            {
                await responses.NoDestinationAsync(context);
                return;
            }

            AttemptOutcome outcome;
            try
            {
                // Awaited here rather than in a helper: one async frame less for every proxied request.
                var started = BeginAttempt(context, feature, destination);
                await next(context);
                outcome = EndAttempt(context, destination, index, started);
            }
            finally
            {
                metrics[index].Exit();
            }

            if (outcome != AttemptOutcome.ConnectFailure || context.Response.HasStarted)
            {
                return;
            }

            var other = attempt < MaxAttempts ? admission.PickOther(cluster, destination, userId) : null;
            if (other is null)
            {
                Log.NoDestinationAfterConnectFailure(logger, destination.DestinationId);
                await responses.NoDestinationAsync(context);
                return;
            }

            Log.RetryingAfterConnectFailure(logger, destination.DestinationId, other.DestinationId);
            PrepareRetry(context);
            destination = other;
        }
    }

    private long BeginAttempt(HttpContext context, IReverseProxyFeature feature, DestinationState destination)
    {
        feature.AvailableDestinations = destination;
        context.Response.Headers[GatewayResponses.DestinationHeader] = destination.DestinationId;
        return timeProvider.GetTimestamp();
    }

    private AttemptOutcome EndAttempt(HttpContext context, DestinationState destination, int index, long started)
    {
        var outcome = AttemptClassifier.Classify(context.Features.Get<IForwarderErrorFeature>());
        metrics.Record(index, context.Response.StatusCode, outcome, timeProvider.GetElapsedTime(started));
        if (!context.Response.HasStarted)
        {
            // The forwarder clears the response before writing some of its errors.
            context.Response.Headers[GatewayResponses.DestinationHeader] = destination.DestinationId;
        }

        return outcome;
    }

    private static void PrepareRetry(HttpContext context)
    {
        context.Response.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
        if (context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
        }
    }
}
