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

    /// <summary>Counts a request that started; pair with <see cref="Decrement"/> when it completes.</summary>
    /// <remarks>Done by the service defaults' middleware; call it only on a request path that runs ahead of it.</remarks>
    public void Increment() => Interlocked.Increment(ref _count);

    /// <summary>Counts a request that completed.</summary>
    public void Decrement() => Interlocked.Decrement(ref _count);
}
