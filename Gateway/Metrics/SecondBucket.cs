namespace Evergreen.Gateway.Metrics;

/// <summary>
/// The attempts of one destination that completed within one wall-clock second. Written concurrently with
/// <see cref="Interlocked"/> only; read by the metrics report, which tolerates a count landing a moment late.
/// </summary>
internal sealed class SecondBucket(long second)
{
    private long _requests;
    private long _status2xx;
    private long _status3xx;
    private long _status4xx;
    private long _status5xx;
    private long _transportFailures;

    /// <summary>Seconds since the Unix epoch that this bucket covers.</summary>
    public long Second { get; } = second;

    public long[] LatencyBins { get; } = new long[LatencyHistogram.BinCount];

    public long Requests => Volatile.Read(ref _requests);

    public long Status2xx => Volatile.Read(ref _status2xx);

    public long Status3xx => Volatile.Read(ref _status3xx);

    public long Status4xx => Volatile.Read(ref _status4xx);

    public long Status5xx => Volatile.Read(ref _status5xx);

    public long TransportFailures => Volatile.Read(ref _transportFailures);

    public void Record(int statusCode, AttemptOutcome outcome, long latencyMicros)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref LatencyBins[LatencyHistogram.BinOf(latencyMicros)]);
        if (outcome != AttemptOutcome.Answered)
        {
            Interlocked.Increment(ref _transportFailures);
            return;
        }

        switch (statusCode / 100)
        {
            case 2:
                Interlocked.Increment(ref _status2xx);
                break;
            case 3:
                Interlocked.Increment(ref _status3xx);
                break;
            case 4:
                Interlocked.Increment(ref _status4xx);
                break;
            case 5:
                Interlocked.Increment(ref _status5xx);
                break;
        }
    }
}
