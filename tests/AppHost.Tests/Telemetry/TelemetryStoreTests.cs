using Evergreen.AppHost.Telemetry;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Telemetry;

/// <summary>The in-memory store keeps the newest items within its bounds and stays consistent under concurrent use.</summary>
public sealed class TelemetryStoreTests
{
    [Fact]
    public void AddSpans_BeyondCapacity_DropsOldestFirst()
    {
        var store = new TelemetryStore(spanCapacity: 3);

        store.AddSpans([Span("1"), Span("2")]);
        store.AddSpans([Span("3"), Span("4"), Span("5")]);

        Assert.Equal(["3", "4", "5"], store.GetSpans().Select(s => s.Name));
    }

    [Fact]
    public void AddSpans_BatchLargerThanCapacity_KeepsItsNewest()
    {
        var store = new TelemetryStore(spanCapacity: 2);

        store.AddSpans([.. Enumerable.Range(1, 10).Select(i => Span(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

        Assert.Equal(["9", "10"], store.GetSpans().Select(s => s.Name));
    }

    [Fact]
    public void AddLogs_BeyondCapacity_DropsOldestFirst()
    {
        var store = new TelemetryStore(logCapacity: 2);

        store.AddLogs([Log("a"), Log("b"), Log("c")]);

        Assert.Equal(["b", "c"], store.GetLogs().Select(l => l.Body));
        Assert.Equal(2, store.LogCount);
    }

    [Fact]
    public void AddSpans_BeyondByteBudget_DropsOldestFirst()
    {
        var store = new TelemetryStore(maxBytesPerSignal: 20_000);
        var large = new string('x', 3_000);

        store.AddSpans([.. Enumerable.Range(0, 10).Select(i => Span(i + large))]);

        var kept = store.GetSpans();
        Assert.InRange(kept.Count, 1, 3);
        Assert.StartsWith("9", kept[^1].Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSpans_WhileWritersAdd_AlwaysSeesBoundedSnapshotsInArrivalOrder()
    {
        var store = new TelemetryStore(spanCapacity: 500);
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                store.AddSpans([Span($"{writer}:{i:D5}")]);
            }
        }, TestContext.Current.CancellationToken)).ToArray();

        var reads = 0;
        while (!writers.All(w => w.IsCompleted) || reads == 0)
        {
            var snapshot = store.GetSpans();
            Assert.InRange(snapshot.Count, 0, 500);
            foreach (var perWriter in snapshot.GroupBy(s => s.Name[..1]))
            {
                var names = perWriter.Select(s => s.Name).ToList();
                Assert.Equal(names.Order(StringComparer.Ordinal), names);
            }

            reads++;
        }

        await Task.WhenAll(writers).DefaultTimeout();
        Assert.Equal(500, store.SpanCount);
    }

    private static SpanRecord Span(string name) => new()
    {
        TraceId = new string('a', 32),
        SpanId = new string('b', 16),
        Name = name,
        ServiceName = "test",
        Attributes = new Dictionary<string, object?>(),
    };

    private static StructuredLogRecord Log(string body) => new()
    {
        ServiceName = "test",
        SeverityText = "Info",
        SeverityNumber = 9,
        Body = body,
        Attributes = new Dictionary<string, object?>(),
    };
}
