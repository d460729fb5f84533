using Evergreen.Gateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// Hands out the <see cref="RoutingTable"/> for the cluster's current health state and weights. A request pays two
/// reference comparisons; a change of either input builds a new table once (two racing builders produce equal tables,
/// and either may win). Also owns the round-robin ticket counter.
/// </summary>
internal sealed class RoutingTableCache(DestinationCatalog catalog, DestinationWeights weights)
{
    private RoutingTable? _table;
    private long _ticket;

    public RoutingTable Get(ClusterState cluster)
    {
        var source = cluster.DestinationsState;
        var current = weights.Current;
        var table = Volatile.Read(ref _table);
        if (table is not null && ReferenceEquals(table.Source, source) && ReferenceEquals(table.Weights, current))
        {
            return table;
        }

        table = RoutingTable.Build(source, current, catalog);
        Volatile.Write(ref _table, table);
        return table;
    }

    public long NextTicket() => Interlocked.Increment(ref _ticket);
}
