using Evergreen.Gateway.Metrics;

namespace Evergreen.Gateway.Tests.Metrics;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(250)]
    [InlineData(1_234)]
    [InlineData(99_999)]
    [InlineData(12_345_678)]
    [InlineData(1_900_000_000)]
    public void MidpointOf_BinOfAValue_IsWithinFourPercent(long micros)
    {
        var midpoint = LatencyHistogram.MidpointOf(LatencyHistogram.BinOf(micros));

        Assert.InRange(midpoint, (micros * 0.96) - 1, (micros * 1.04) + 1);
    }

    [Fact]
    public void BinOf_IncreasingValues_NeverDecreasesAndStaysInRange()
    {
        var previous = 0;
        for (long micros = 0; micros < 5_000_000_000; micros = (micros * 11 / 10) + 1)
        {
            var bin = LatencyHistogram.BinOf(micros);
            Assert.InRange(bin, previous, LatencyHistogram.BinCount - 1);
            previous = bin;
        }
    }

    [Fact]
    public void Percentile_HundredValues_FindsRankedValues()
    {
        var bins = new long[LatencyHistogram.BinCount];
        for (var ms = 1; ms <= 100; ms++)
        {
            bins[LatencyHistogram.BinOf(ms * 1000)]++;
        }

        Assert.InRange(LatencyHistogram.Percentile(bins, 100, 0.50), 48_000, 52_000);
        Assert.InRange(LatencyHistogram.Percentile(bins, 100, 0.99), 96_000, 102_000);
        Assert.Equal(0, LatencyHistogram.Percentile(bins, 0, 0.5));
    }
}
