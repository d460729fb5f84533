namespace Evergreen.Gateway.Metrics;

/// <summary>
/// A ring of <see cref="SecondBucket"/>s covering the last <see cref="MaxWindowSeconds"/> seconds of one destination.
/// Lock-free: the slot of a new second gets a fresh bucket by compare-exchange (one allocation per destination per
/// second with traffic, never per request); everyone else increments the bucket already there.
/// </summary>
internal sealed class MetricsWindow
{
    public const int MaxWindowSeconds = 300;
    private const int Capacity = MaxWindowSeconds + 2;
    private readonly SecondBucket?[] _slots = new SecondBucket?[Capacity];

    public void Record(long second, int statusCode, AttemptOutcome outcome, long latencyMicros) =>
        BucketFor(second).Record(statusCode, outcome, latencyMicros);

    /// <summary>Adds the buckets of seconds (<paramref name="now"/> − <paramref name="windowSeconds"/>, <paramref name="now"/>] to <paramref name="total"/>.</summary>
    public void AddTo(WindowTotals total, long now, int windowSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowSeconds, MaxWindowSeconds);
        for (var second = now - windowSeconds + 1; second <= now; second++)
        {
            if (Volatile.Read(ref _slots[Slot(second)]) is { } bucket && bucket.Second == second)
            {
                total.Add(bucket);
            }
        }
    }

    private SecondBucket BucketFor(long second)
    {
        ref var slot = ref _slots[Slot(second)];
        var bucket = Volatile.Read(ref slot);
        while (bucket is null || bucket.Second < second)
        {
            var fresh = new SecondBucket(second);
            var seen = Interlocked.CompareExchange(ref slot, fresh, bucket);
            bucket = ReferenceEquals(seen, bucket) ? fresh : seen;
        }

        // A thread stalled for a whole ring turn would find a newer second here; its count joins that bucket.
        return bucket;
    }

    private static int Slot(long second) => (int)((ulong)second % Capacity);
}
