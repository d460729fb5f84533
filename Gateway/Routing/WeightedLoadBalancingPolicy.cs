using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// YARP load-balancing policy <c>EvergreenWeighted</c>: weights 0–100 per destination, sticky users by FNV-1a bucket,
/// smooth weighted round robin for everyone else (see <see cref="RoutingTable"/>). YARP calls it only when more than one
/// candidate is left; <see cref="CandidateSelectionStep"/> has already removed unavailable and weight-0 destinations.
/// </summary>
internal sealed class WeightedLoadBalancingPolicy(RoutingTableCache cache, DestinationSelector selector) : ILoadBalancingPolicy
{
    public const string PolicyName = "EvergreenWeighted";

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var table = cache.Get(cluster);
        var picked = selector.Pick(UserIdentity.Of(context.Request), table);
        if (ReferenceEquals(availableDestinations, table.Routable) || picked is null || Contains(availableDestinations, picked))
        {
            return picked;
        }

        // Health or weights changed between candidate selection and here: keep to the candidates YARP was given.
        return availableDestinations.Count == 0 ? null : availableDestinations[Random.Shared.Next(availableDestinations.Count)];
    }

    private static bool Contains(IReadOnlyList<DestinationState> destinations, DestinationState destination)
    {
        for (var i = 0; i < destinations.Count; i++)
        {
            if (ReferenceEquals(destinations[i], destination))
            {
                return true;
            }
        }

        return false;
    }
}
