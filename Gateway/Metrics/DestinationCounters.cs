namespace Evergreen.Gateway.Metrics;

/// <summary>
/// Live counters of one destination. All updates are <see cref="Interlocked"/>; nothing here locks or allocates per request.
/// </summary>
internal sealed class DestinationCounters
{
    private long _inFlight;
    private long _requests;
    private long _errors;
    private int _consecutiveTransportFailures;

    /// <summary>Requests routed here and not finished: counted from the moment a request commits to this destination.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Requests => Interlocked.Read(ref _requests);

    public long Errors => Interlocked.Read(ref _errors);

    public MetricsWindow Window { get; } = new();

    /// <summary>Full fence, so a weight read after it cannot be satisfied before it (see the forwarding step's drain check).</summary>
    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public void Record(long second, int statusCode, AttemptOutcome outcome, long latencyMicros)
    {
        Interlocked.Increment(ref _requests);
        if (outcome != AttemptOutcome.Answered || statusCode >= 500)
        {
            Interlocked.Increment(ref _errors);
        }

        Window.Record(second, statusCode, outcome, latencyMicros);
    }

    /// <summary>Counts a failure in transport; returns how many happened in a row.</summary>
    public int TransportFailed() => Interlocked.Increment(ref _consecutiveTransportFailures);

    public void TransportSucceeded()
    {
        // Read first: a successful request must not write a shared cache line on the hot path.
        if (Volatile.Read(ref _consecutiveTransportFailures) != 0)
        {
            Interlocked.Exchange(ref _consecutiveTransportFailures, 0);
        }
    }
}
