using Evergreen.Gateway.Configuration;

namespace Evergreen.Gateway.Metrics;

/// <summary>
/// The <see cref="DestinationCounters"/> of every destination, indexed like the catalog, plus the clock that stamps
/// attempts with their second. Thread-safe.
/// </summary>
internal sealed class DestinationMetricsRegistry
{
    private readonly DestinationCounters[] _counters;
    private readonly TimeProvider _timeProvider;

    public DestinationMetricsRegistry(DestinationCatalog catalog, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _counters = [.. catalog.Destinations.Select(_ => new DestinationCounters())];
        _timeProvider = timeProvider;
    }

    public DestinationCounters this[int index] => _counters[index];

    public long CurrentSecond => _timeProvider.GetUtcNow().ToUnixTimeSeconds();

    public void Record(int index, int statusCode, AttemptOutcome outcome, TimeSpan latency) =>
        _counters[index].Record(CurrentSecond, statusCode, outcome, (long)latency.TotalMicroseconds);
}
