namespace Evergreen.Gateway.Metrics;

/// <summary>Sums of <see cref="SecondBucket"/>s over a window; built by one reader, never shared.</summary>
internal sealed class WindowTotals
{
    public long Requests { get; private set; }

    public long Status2xx { get; private set; }

    public long Status3xx { get; private set; }

    public long Status4xx { get; private set; }

    public long Status5xx { get; private set; }

    public long TransportFailures { get; private set; }

    public long[] LatencyBins { get; } = new long[LatencyHistogram.BinCount];

    public long LatencyCount { get; private set; }

    public void Add(SecondBucket bucket)
    {
        Requests += bucket.Requests;
        Status2xx += bucket.Status2xx;
        Status3xx += bucket.Status3xx;
        Status4xx += bucket.Status4xx;
        Status5xx += bucket.Status5xx;
        TransportFailures += bucket.TransportFailures;
        for (var i = 0; i < LatencyBins.Length; i++)
        {
            var count = Volatile.Read(ref bucket.LatencyBins[i]);
            LatencyBins[i] += count;
            LatencyCount += count;
        }
    }

    /// <summary>The latency at <paramref name="quantile"/> in milliseconds.</summary>
    public double LatencyMs(double quantile) =>
        Math.Round(LatencyHistogram.Percentile(LatencyBins, LatencyCount, quantile) / 1000.0, 3);
}
