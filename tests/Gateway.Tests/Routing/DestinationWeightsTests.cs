using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Routing;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class DestinationWeightsTests
{
    [Fact]
    public void Update_OneWeight_PublishesANewSnapshotAndLeavesTheOldOneIntact()
    {
        var weights = new DestinationWeights(Catalog(2));
        var before = weights.Current;

        var after = weights.Update([new KeyValuePair<int, int>(1, 0)]);

        Assert.Equal((50, 50), (before[0], before[1]));
        Assert.Equal((50, 0), (after[0], after[1]));
        Assert.Same(after, weights.Current);
        Assert.Equal(before.Version + 1, after.Version);
    }

    [Fact]
    public async Task Update_ConcurrentWriters_NoUpdateIsLost()
    {
        var weights = new DestinationWeights(Catalog(8));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(index => Task.Run(() =>
        {
            for (var weight = 1; weight <= 100; weight++)
            {
                weights.Update([new KeyValuePair<int, int>(index, weight)]);
            }
        }, TestContext.Current.CancellationToken))).DefaultTimeout();

        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(100, weights.Current[i]));
        Assert.Equal(800, weights.Current.Version);
    }

    internal static DestinationCatalog Catalog(int count) => new(
        Enumerable.Range(0, count).Select(i => new DestinationDefinition(i, $"d{i}", $"d{i}", $"http://127.0.0.1:{1000 + i}", 50)));
}
