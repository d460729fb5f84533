using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// The routing decision for one request over a <see cref="RoutingTable"/>: sticky by user id when the request names a
/// user, smooth weighted round robin otherwise. Thread-safe and allocation-free.
/// </summary>
internal sealed class DestinationSelector(RoutingTableCache cache, StickyAssignment sticky)
{
    /// <summary>The destination for a request of <paramref name="userId"/> (null: no user named).</summary>
    public DestinationState? Pick(string? userId, RoutingTable table) =>
        userId is not null ? table.Sticky(sticky.BucketOf(userId)) : table.RoundRobin(cache.NextTicket());

    /// <summary>Another routable destination than <paramref name="excluded"/> (for a retry), or null when there is none.</summary>
    public DestinationState? PickOther(string? userId, RoutingTable table, DestinationState excluded) =>
        table.PickExcluding(userId is not null ? sticky.BucketOf(userId) : Random.Shared.Next(StickyAssignment.BucketCount), excluded);
}
