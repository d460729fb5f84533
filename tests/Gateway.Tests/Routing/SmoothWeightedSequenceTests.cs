using Evergreen.Gateway.Routing;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class SmoothWeightedSequenceTests
{
    [Fact]
    public void Build_FourToOne_InterleavesInsteadOfBursting()
    {
        var sequence = SmoothWeightedSequence.Build([80, 20]);

        Assert.Equal([0, 0, 1, 0, 0], sequence);
    }

    [Fact]
    public void Build_NginxExample_MatchesNginxOrder()
    {
        // nginx's smooth weighted round robin with weights 5, 1, 1 yields a a b a c a a.
        var sequence = SmoothWeightedSequence.Build([5, 1, 1]);

        Assert.Equal([0, 0, 1, 0, 2, 0, 0], sequence);
    }

    [Theory]
    [InlineData(new[] { 33, 67 })]
    [InlineData(new[] { 1, 100, 7 })]
    [InlineData(new[] { 50 })]
    public void Build_AnyWeights_EachIndexAppearsInProportion(int[] weights)
    {
        var sequence = SmoothWeightedSequence.Build(weights);

        var gcd = weights.Aggregate(0, (a, b) => b == 0 ? a : Gcd(a, b));
        Assert.Equal(weights.Sum() / gcd, sequence.Length);
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.Equal(weights[i] / gcd, sequence.Count(x => x == i));
        }
    }

    [Fact]
    public void Build_NoWeights_IsEmpty() => Assert.Empty(SmoothWeightedSequence.Build([]));

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
