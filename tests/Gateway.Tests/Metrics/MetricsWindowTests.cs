using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Tests.Infrastructure;
using Evergreen.Gateway.Tests.Routing;

namespace Evergreen.Gateway.Tests.Metrics;

public sealed class MetricsWindowTests
{
    [Fact]
    public void AddTo_WindowSlides_OldSecondsDropOut()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var registry = new DestinationMetricsRegistry(DestinationWeightsTests.Catalog(1), clock);
        registry.Record(0, 200, AttemptOutcome.Answered, TimeSpan.FromMilliseconds(5));
        clock.Advance(TimeSpan.FromSeconds(10));
        registry.Record(0, 503, AttemptOutcome.Answered, TimeSpan.FromMilliseconds(50));
        registry.Record(0, 0, AttemptOutcome.ConnectFailure, TimeSpan.FromMilliseconds(1));

        var wide = Totals(registry, 11);
        var narrow = Totals(registry, 10);
        clock.Advance(TimeSpan.FromSeconds(10));
        var later = Totals(registry, 10);

        Assert.Equal((3L, 1L, 1L, 1L), (wide.Requests, wide.Status2xx, wide.Status5xx, wide.TransportFailures));
        Assert.Equal((2L, 0L), (narrow.Requests, narrow.Status2xx));
        Assert.Equal(0, later.Requests);
        Assert.Equal((3L, 2L), (registry[0].Requests, registry[0].Errors));
    }

    [Fact]
    public void Record_RingWrapsAround_ReusedSlotStartsFromZero()
    {
        var window = new MetricsWindow();
        window.Record(1_000, 200, AttemptOutcome.Answered, 100);
        window.Record(1_000 + MetricsWindow.MaxWindowSeconds + 2, 404, AttemptOutcome.Answered, 100);

        var totals = new WindowTotals();
        window.AddTo(totals, 1_000 + MetricsWindow.MaxWindowSeconds + 2, MetricsWindow.MaxWindowSeconds);

        Assert.Equal((1L, 0L, 1L), (totals.Requests, totals.Status2xx, totals.Status4xx));
    }

    [Fact]
    public async Task Record_ConcurrentWriters_CountsEveryAttempt()
    {
        var window = new MetricsWindow();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            () =>
            {
                for (var i = 0; i < 50_000; i++)
                {
                    window.Record(500 + (i % 3), 200, AttemptOutcome.Answered, i % 1000);
                }
            },
            TestContext.Current.CancellationToken))).DefaultTimeout();

        var totals = new WindowTotals();
        window.AddTo(totals, 502, 3);
        Assert.Equal(200_000, totals.Requests);
        Assert.Equal(200_000, totals.LatencyCount);
    }

    private static WindowTotals Totals(DestinationMetricsRegistry registry, int windowSeconds)
    {
        var totals = new WindowTotals();
        registry[0].Window.AddTo(totals, registry.CurrentSecond, windowSeconds);
        return totals;
    }
}
