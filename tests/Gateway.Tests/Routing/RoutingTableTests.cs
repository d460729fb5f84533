using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class RoutingTableTests
{
    private static readonly DestinationCatalog Catalog = DestinationWeightsTests.Catalog(3);
    private static readonly DestinationState[] States = [new("d0"), new("d1"), new("d2")];

    [Fact]
    public void Build_UnavailableAndZeroWeight_AreNotRoutable()
    {
        var table = Build(available: [States[0], States[2]], weights: [50, 50, 0]);

        // DestinationState is a one-element list of itself, so compare references, never as collections.
        Assert.Same(States[0], Assert.Single(table.Routable));
        Assert.Null(table.AvailableAt(1));
        Assert.Same(States[2], table.AvailableAt(2));
    }

    [Fact]
    public void Sticky_OwnerUnavailable_OthersKeepTheirUsers()
    {
        var healthy = Build(available: States, weights: [50, 50, 50]);
        var degraded = Build(available: [States[0], States[2]], weights: [50, 50, 50]);

        for (var bucket = 0; bucket < StickyAssignment.BucketCount; bucket += 7)
        {
            var owner = healthy.Sticky(bucket);
            if (!ReferenceEquals(owner, States[1]))
            {
                Assert.Same(owner, degraded.Sticky(bucket));
            }
            else
            {
                Assert.NotSame(States[1], degraded.Sticky(bucket));
            }
        }
    }

    [Fact]
    public void Sticky_BucketRanges_FollowCumulativeWeightsInIdOrder()
    {
        var table = Build(available: States, weights: [20, 30, 50]);

        Assert.Same(States[0], table.Sticky(0));
        Assert.Same(States[0], table.Sticky(1_999));
        Assert.Same(States[1], table.Sticky(2_000));
        Assert.Same(States[1], table.Sticky(4_999));
        Assert.Same(States[2], table.Sticky(5_000));
        Assert.Same(States[2], table.Sticky(9_999));
    }

    [Fact]
    public void PickExcluding_FailedDestination_NeverReturnsIt()
    {
        var table = Build(available: States, weights: [50, 50, 50]);

        for (var bucket = 0; bucket < StickyAssignment.BucketCount; bucket += 13)
        {
            var other = table.PickExcluding(bucket, States[1]);
            Assert.NotNull(other);
            Assert.NotSame(States[1], other);
        }

        Assert.Null(Build(available: [States[1]], weights: [50, 50, 50]).PickExcluding(42, States[1]));
    }

    [Fact]
    public void RoundRobin_Tickets_FollowTheSmoothSequence()
    {
        var table = Build(available: States, weights: [80, 20, 0]);

        var picks = Enumerable.Range(0, 10).Select(i => table.RoundRobin(i)).ToList();

        Assert.Equal(8, picks.Count(p => ReferenceEquals(p, States[0])));
        Assert.Equal(2, picks.Count(p => ReferenceEquals(p, States[1])));
        Assert.Null(Build(available: [], weights: [50, 50, 50]).RoundRobin(1));
    }

    private static RoutingTable Build(IReadOnlyList<DestinationState> available, int[] weights) => RoutingTable.Build(
        new ClusterDestinationsState(States, available),
        new WeightSnapshot([.. weights], version: 0),
        Catalog);
}
