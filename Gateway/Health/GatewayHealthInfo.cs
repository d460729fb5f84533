using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Lane;
using Evergreen.Gateway.Routing;
using Evergreen.ServiceDefaults.Health;
using Yarp.ReverseProxy;

namespace Evergreen.Gateway.Health;

/// <summary>
/// Adds <c>destinations</c>, <c>routableDestinations</c> and <c>lane</c> (<c>{enabled, served, handedOver}</c>, see
/// <see cref="LaneStatistics"/>) to <c>/health/info</c>.
/// </summary>
internal sealed class GatewayHealthInfo(
    IProxyStateLookup proxyState, RoutingTableCache cache, DestinationCatalog catalog, ConnectionLane lane, LaneStatistics laneStatistics)
    : IHealthInfoContributor
{
    public void Contribute(IDictionary<string, object?> info)
    {
        info["destinations"] = catalog.Count;
        info["routableDestinations"] = proxyState.TryGetCluster(GatewayOptions.ClusterId, out var cluster)
            ? cache.Get(cluster).Routable.Length
            : 0;
        info["lane"] = new Dictionary<string, object?>
        {
            ["enabled"] = lane.Enabled,
            ["served"] = laneStatistics.Served,
            ["handedOver"] = laneStatistics.HandedOver,
        };
    }
}
