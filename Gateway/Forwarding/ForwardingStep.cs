using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Routing;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// Proxy pipeline step after load balancing, around passive health checks and the forwarder. Per request it:
/// <list type="number">
/// <item>counts the request in flight on its destination from before the forwarder runs until the response ended, so a
/// drain that sees zero really has nothing left; the increment is followed by a weight check (both full fences, the
/// drain does the mirror image), so a request that chose a destination just before its weight became 0 chooses again
/// instead of slipping past the drain;</item>
/// <item>stamps <c>X-Evergreen-Destination</c> and records the attempt's status and latency;</item>
/// <item>retries once on another destination when the attempt failed to connect — no byte reached the destination —
/// and answers 503 with <c>Retry-After</c> when no destination is left. Anything that may have reached a destination is
/// never retried.</item>
/// </list>
/// </summary>
internal sealed class ForwardingStep(
    RequestDelegate next,
    RoutingTableCache cache,
    DestinationSelector selector,
    DestinationWeights weights,
    DestinationMetricsRegistry metrics,
    GatewayResponses responses,
    TimeProvider timeProvider,
    ILogger<ForwardingStep> logger)
{
    private const int MaxAttempts = 2;
    private const int MaxReselections = 3;

    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var cluster = feature.Route.Cluster!;
        var pinnedIndex = PinnedOwnerFeature.Of(context);
        var destination = feature.AvailableDestinations.Count > 0 ? feature.AvailableDestinations[0] : null;

        for (var attempt = 1; ; attempt++)
        {
            var index = Acquire(context, cluster, ref destination, pinnedIndex);
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

            var other = attempt < MaxAttempts ? selector.PickOther(context, cache.Get(cluster), destination) : null;
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

    /// <summary>Counts the request in flight on <paramref name="destination"/>; returns its index, or -1 when none is left.</summary>
    private int Acquire(HttpContext context, ClusterState cluster, ref DestinationState? destination, int pinnedIndex)
    {
        for (var i = 0; i < MaxReselections && destination is not null; i++)
        {
            var index = cache.Get(cluster).IndexOf(destination);
            if (index < 0)
            {
                return -1;
            }

            metrics[index].Enter();
            if (index == pinnedIndex || weights.Current[index] > 0)
            {
                return index;
            }

            // A drain set the weight to 0 after this request chose the destination: choose again.
            metrics[index].Exit();
            destination = selector.Pick(context, cache.Get(cluster));
        }

        return -1;
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
