using Evergreen.Gateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// Everything a routing decision needs, precomputed from one health state of the cluster and one
/// <see cref="WeightSnapshot"/>: the routable destinations (available and weight &gt; 0), one period of smooth weighted
/// round robin, and the sticky bucket ranges. Immutable; rebuilt only when health or weights change, so picking a
/// destination reads arrays and allocates nothing.
/// </summary>
internal sealed class RoutingTable
{
    private readonly DestinationState?[] _byIndex;
    private readonly bool[] _available;
    private readonly int[] _routableWeights;
    private readonly int[] _routableBounds;
    private readonly int[] _stickyIndexes;
    private readonly int[] _stickyBounds;
    private readonly DestinationState[] _sequence;

    private RoutingTable(ClusterDestinationsState source, WeightSnapshot weights, DestinationCatalog catalog)
    {
        Source = source;
        Weights = weights;
        _byIndex = new DestinationState?[catalog.Count];
        _available = new bool[catalog.Count];
        foreach (var state in source.AllDestinations)
        {
            var index = catalog.IndexOf(state.DestinationId);
            if (index >= 0)
            {
                _byIndex[index] = state;
            }
        }

        foreach (var state in source.AvailableDestinations)
        {
            var index = IndexOf(state);
            if (index >= 0)
            {
                _available[index] = true;
            }
        }

        var routable = Enumerable.Range(0, catalog.Count).Where(i => _available[i] && weights[i] > 0).ToArray();
        Routable = [.. routable.Select(i => _byIndex[i]!)];
        _routableWeights = [.. routable.Select(i => weights[i])];
        _routableBounds = Bounds(_routableWeights);
        _sequence = [.. SmoothWeightedSequence.Build(_routableWeights).Select(i => Routable[i])];

        _stickyIndexes = [.. Enumerable.Range(0, catalog.Count).Where(i => weights[i] > 0 && _byIndex[i] is not null)];
        _stickyBounds = Bounds([.. _stickyIndexes.Select(i => weights[i])]);
    }

    public ClusterDestinationsState Source { get; }

    public WeightSnapshot Weights { get; }

    /// <summary>Available destinations with weight &gt; 0, in catalog order. Handed to YARP as the candidates.</summary>
    public DestinationState[] Routable { get; }

    public static RoutingTable Build(ClusterDestinationsState source, WeightSnapshot weights, DestinationCatalog catalog) =>
        new(source, weights, catalog);

    /// <summary>The catalog index of <paramref name="destination"/>, or -1 (reference comparison over a handful of entries).</summary>
    public int IndexOf(DestinationState destination)
    {
        for (var i = 0; i < _byIndex.Length; i++)
        {
            if (ReferenceEquals(_byIndex[i], destination))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The destination at a catalog index when its health allows traffic (weight not considered).</summary>
    public DestinationState? AvailableAt(int index) => index >= 0 && _available[index] ? _byIndex[index] : null;

    public DestinationState? RoundRobin(long ticket) =>
        _sequence.Length == 0 ? null : _sequence[(int)((ulong)ticket % (ulong)_sequence.Length)];

    /// <summary>
    /// The owner of <paramref name="bucket"/> among all weighted destinations whatever their health, so a user's
    /// destination does not change when another one fails; when the owner is unavailable, the owner among the routable ones.
    /// </summary>
    public DestinationState? Sticky(int bucket)
    {
        if (_stickyIndexes.Length > 0 && AvailableAt(_stickyIndexes[Find(_stickyBounds, bucket)]) is { } owner)
        {
            return owner;
        }

        return Routable.Length == 0 ? null : Routable[Find(_routableBounds, bucket)];
    }

    /// <summary>A routable destination other than <paramref name="excluded"/>, by weight; for retrying elsewhere.</summary>
    public DestinationState? PickExcluding(int bucket, DestinationState excluded)
    {
        var total = 0L;
        for (var i = 0; i < Routable.Length; i++)
        {
            total += ReferenceEquals(Routable[i], excluded) ? 0 : _routableWeights[i];
        }

        if (total == 0)
        {
            return null;
        }

        var point = bucket * total / StickyAssignment.BucketCount;
        for (var i = 0; i < Routable.Length; i++)
        {
            if (ReferenceEquals(Routable[i], excluded))
            {
                continue;
            }

            point -= _routableWeights[i];
            if (point < 0)
            {
                return Routable[i];
            }
        }

        return null;
    }

    /// <summary>Cumulative weights scaled to <see cref="StickyAssignment.BucketCount"/>; the last bound is exactly the count.</summary>
    private static int[] Bounds(int[] weights)
    {
        var total = weights.Sum(w => (long)w);
        var bounds = new int[weights.Length];
        var cumulative = 0L;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            bounds[i] = (int)(cumulative * StickyAssignment.BucketCount / total);
        }

        return bounds;
    }

    private static int Find(int[] bounds, int bucket)
    {
        for (var i = 0; i < bounds.Length - 1; i++)
        {
            if (bucket < bounds[i])
            {
                return i;
            }
        }

        return bounds.Length - 1;
    }
}
