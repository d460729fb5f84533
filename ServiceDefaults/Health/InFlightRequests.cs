namespace Evergreen.ServiceDefaults.Health;

/// <summary>
/// The number of HTTP requests this process is serving right now, health probes excluded.
/// A singleton registered by <c>AddServiceDefaults</c>; thread-safe.
/// </summary>
/// <remarks>
/// A request is counted from the moment it enters the pipeline until the application's pipeline has returned
/// (for a streamed response, until the stream ends). Drain logic and <c>/health/info</c> read it.
/// </remarks>
public sealed class InFlightRequests
{
    private long _count;

    internal InFlightRequests()
    {
    }

    /// <summary>Gets the number of requests that have started and not yet completed.</summary>
    public long Count => Interlocked.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);

    internal void Decrement() => Interlocked.Decrement(ref _count);
}
