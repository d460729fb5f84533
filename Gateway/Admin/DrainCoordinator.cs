using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Routing;

namespace Evergreen.Gateway.Admin;

/// <summary>
/// Drains a destination: weight 0 (published before anything is read, see <see cref="DestinationWeights.Update"/>), then
/// waits until the destination has nothing in flight or the time-out passes. Streams to the destination's own sessions
/// still arrive while it drains and are waited for too.
/// </summary>
internal sealed class DrainCoordinator(
    DestinationWeights weights, DestinationMetricsRegistry metrics, TimeProvider timeProvider, ILogger<DrainCoordinator> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <exception cref="OperationCanceledException">The caller went away; the weight stays 0.</exception>
    public async Task<DrainResult> DrainAsync(int index, string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        weights.Update([new KeyValuePair<int, int>(index, 0)]);
        var started = timeProvider.GetTimestamp();
        Log.DrainStarted(logger, id, timeout);

        var counters = metrics[index];
        while (counters.InFlight > 0 && timeProvider.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }

        var inFlight = counters.InFlight;
        var waited = timeProvider.GetElapsedTime(started);
        Log.DrainEnded(logger, id, inFlight == 0, inFlight, (long)waited.TotalMilliseconds);
        return new DrainResult { Drained = inFlight == 0, InFlight = inFlight, WaitedMs = (long)waited.TotalMilliseconds };
    }
}
