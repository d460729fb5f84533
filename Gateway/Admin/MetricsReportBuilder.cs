using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Metrics;

namespace Evergreen.Gateway.Admin;

/// <summary>Sums the per-second buckets of every destination over a window into a <see cref="GatewayMetricsReport"/>.</summary>
internal sealed class MetricsReportBuilder(DestinationCatalog catalog, DestinationMetricsRegistry metrics, TimeProvider timeProvider)
{
    public GatewayMetricsReport Build(int windowSeconds)
    {
        var now = metrics.CurrentSecond;
        return new GatewayMetricsReport
        {
            WindowSeconds = windowSeconds,
            GeneratedAt = timeProvider.GetUtcNow(),
            Destinations = [.. catalog.Destinations.Select(d => Summarize(d, now, windowSeconds))],
        };
    }

    private DestinationMetrics Summarize(DestinationDefinition destination, long now, int windowSeconds)
    {
        var totals = new WindowTotals();
        metrics[destination.Index].Window.AddTo(totals, now, windowSeconds);
        var requests = totals.Requests;
        return new DestinationMetrics
        {
            Id = destination.Id,
            Requests = requests,
            Status2xx = totals.Status2xx,
            Status3xx = totals.Status3xx,
            Status4xx = totals.Status4xx,
            Status5xx = totals.Status5xx,
            TransportFailures = totals.TransportFailures,
            ErrorRate = requests == 0 ? 0 : Math.Round((double)(totals.Status5xx + totals.TransportFailures) / requests, 6),
            RequestsPerSecond = Math.Round((double)requests / windowSeconds, 3),
            LatencyMs = totals.LatencyCount == 0
                ? null
                : new LatencyPercentiles { P50 = totals.LatencyMs(0.50), P95 = totals.LatencyMs(0.95), P99 = totals.LatencyMs(0.99) },
        };
    }
}
