using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// Counts a request in flight on the destination it chose, from before it is forwarded until its response ended, so a
/// drain that sees zero really has nothing left. The increment is followed by a weight check (both full fences; the drain
/// does the mirror image), so a request that chose a destination just before its weight became 0 chooses again instead
/// of slipping past the drain. Used by the forwarding step (YARP's pipeline) and the connection lane alike.
/// </summary>
internal sealed class DestinationAdmission(
    RoutingTableCache cache, DestinationSelector selector, DestinationWeights weights, DestinationMetricsRegistry metrics)
{
    private const int MaxReselections = 3;

    /// <summary>
    /// Counts the request in flight on <paramref name="destination"/> (changed when a drain began in between); returns its
    /// catalog index, or -1 when no destination is left. Pair with <c>metrics[index].Exit()</c>.
    /// </summary>
    public int Acquire(ClusterState cluster, ref DestinationState? destination, int pinnedIndex, string? userId)
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
            destination = selector.Pick(userId, cache.Get(cluster));
        }

        return -1;
    }

    /// <summary>A routable destination other than <paramref name="failed"/>, for the one retry after a connect failure.</summary>
    public DestinationState? PickOther(ClusterState cluster, DestinationState failed, string? userId) =>
        selector.PickOther(userId, cache.Get(cluster), failed);
}
