using Evergreen.Gateway.Configuration;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// YARP's endpoint for the <c>agentruntime</c> route: its request delegate is YARP's proxy pipeline (the gateway's steps,
/// load balancing, passive health, the forwarder). Looked up once and again whenever YARP rebuilds its endpoints.
/// </summary>
internal sealed class ProxyRouteEndpoint
{
    private readonly EndpointDataSource _endpoints;
    private volatile RouteEndpoint? _current;

    public ProxyRouteEndpoint(EndpointDataSource endpoints)
    {
        _endpoints = endpoints;
        ChangeToken.OnChange(endpoints.GetChangeToken, () => _current = null);
    }

    /// <summary>The route's endpoint, or null until YARP has built it.</summary>
    public RouteEndpoint? Current => _current ??= Find(_endpoints);

    private static RouteEndpoint? Find(EndpointDataSource endpoints)
    {
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint is RouteEndpoint { RequestDelegate: not null } route
                && route.Metadata.GetMetadata<RouteModel>()?.Config.RouteId == GatewayOptions.ClusterId)
            {
                return route;
            }
        }

        return null;
    }
}
