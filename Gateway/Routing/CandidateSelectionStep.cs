using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// Proxy pipeline step before YARP's load balancing: narrows the candidates to the routable destinations (available
/// and weight &gt; 0) or, for <c>GET /v1/stream/{sessionId}</c> and <c>POST /v1/feedback</c>, to the live replica that owns
/// the session or run whatever its weight. With no candidate left it answers 503 with <c>Retry-After</c> itself: YARP's <c>HealthyOrPanic</c> fallback
/// (send to a dead replica anyway) is never used.
/// </summary>
internal sealed class CandidateSelectionStep(RequestDelegate next, RoutingTableCache cache, DestinationCatalog catalog, GatewayResponses responses)
{
    public Task InvokeAsync(HttpContext context) =>
        FeedbackRun.Applies(context.Request) ? RouteFeedbackAsync(context) : Route(context, StreamSession.OwnerIndex(context.Request, catalog));

    private async Task RouteFeedbackAsync(HttpContext context) =>
        await Route(context, await FeedbackRun.OwnerIndexAsync(context.Request, catalog, context.RequestAborted));

    private Task Route(HttpContext context, int ownerIndex)
    {
        var feature = context.GetReverseProxyFeature();
        var table = cache.Get(feature.Route.Cluster!);

        if (table.AvailableAt(ownerIndex) is { } owner)
        {
            context.Features.Set(new PinnedOwnerFeature(ownerIndex));
            feature.AvailableDestinations = owner;
            return next(context);
        }

        if (table.Routable.Length == 0)
        {
            return responses.NoDestinationAsync(context);
        }

        feature.AvailableDestinations = table.Routable;
        return next(context);
    }
}
