using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Routing;
using Evergreen.ServiceDefaults.Health;
using Yarp.ReverseProxy;

namespace Evergreen.Gateway.Health;

/// <summary>Adds <c>destinations</c> and <c>routableDestinations</c> to <c>/health/info</c>.</summary>
internal sealed class GatewayHealthInfo(IProxyStateLookup proxyState, RoutingTableCache cache, DestinationCatalog catalog) : IHealthInfoContributor
{
    public void Contribute(IDictionary<string, object?> info)
    {
        info["destinations"] = catalog.Count;
        info["routableDestinations"] = proxyState.TryGetCluster(GatewayOptions.ClusterId, out var cluster)
            ? cache.Get(cluster).Routable.Length
            : 0;
    }
}
