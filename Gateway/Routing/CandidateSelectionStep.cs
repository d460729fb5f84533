using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// Proxy pipeline step before YARP's load balancing: narrows the candidates to the routable destinations (available
/// and weight &gt; 0) or, for <c>GET /v1/stream/{sessionId}</c>, to the live replica that owns the session whatever its
/// weight. With no candidate left it answers 503 with <c>Retry-After</c> itself: YARP's <c>HealthyOrPanic</c> fallback
/// (send to a dead replica anyway) is never used.
/// </summary>
internal sealed class CandidateSelectionStep(RequestDelegate next, RoutingTableCache cache, DestinationCatalog catalog, GatewayResponses responses)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var table = cache.Get(feature.Route.Cluster!);

        if (table.AvailableAt(StreamSession.OwnerIndex(context.Request, catalog)) is { } owner)
        {
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
