using System.Numerics;

namespace Evergreen.Gateway.Metrics;

/// <summary>
/// Log-linear latency bins over microseconds: exact below 16 µs, then 16 bins per power of two (bin width under 6.25 %
/// of its value), capped at about 36 minutes. Reported values are bin midpoints, so the error stays under ~3.2 %.
/// </summary>
internal static class LatencyHistogram
{
    public const int BinCount = 16 + (31 - 4 + 1) * 16;
    private const int SubBits = 4;
    private const int SubBins = 1 << SubBits;

    public static int BinOf(long micros)
    {
        if (micros < SubBins)
        {
            return (int)Math.Max(0, micros);
        }

        var exponent = BitOperations.Log2((ulong)micros);
        var sub = (int)((micros >> (exponent - SubBits)) & (SubBins - 1));
        return Math.Min(SubBins + ((exponent - SubBits) * SubBins) + sub, BinCount - 1);
    }

    /// <summary>The midpoint of a bin, in microseconds.</summary>
    public static double MidpointOf(int bin)
    {
        if (bin < SubBins)
        {
            return bin;
        }

        var exponent = ((bin - SubBins) / SubBins) + SubBits;
        var sub = (bin - SubBins) % SubBins;
        var width = 1L << (exponent - SubBits);
        var lower = (SubBins + sub) * width;
        return lower + (width / 2.0);
    }

    /// <summary>The value at quantile <paramref name="quantile"/> (0–1) of merged bins, in microseconds; 0 when empty.</summary>
    public static double Percentile(ReadOnlySpan<long> bins, long total, double quantile)
    {
        if (total <= 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        var seen = 0L;
        for (var i = 0; i < bins.Length; i++)
        {
            seen += bins[i];
            if (seen >= rank)
            {
                return MidpointOf(i);
            }
        }

        return MidpointOf(bins.Length - 1);
    }
}
