using System.Net;
using System.Net.Http.Json;
using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Admin;

public sealed class DrainTests
{
    [Fact]
    public async Task Drain_SlowRequestInFlight_AnswersOnlyAfterItFinishes()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        var ct = TestContext.Current.CancellationToken;
        await gateway.SetWeightsAsync(blue: 0, green: 100);
        var slow = gateway.Client.GetAsync("/v1/slow", ct);
        await Eventually.Until(() => green.InFlight == 1, TimeSpan.FromSeconds(10), "the slow request is inside green", TestContext.Current.CancellationToken);
        await gateway.SetWeightsAsync(blue: 100, green: 100);

        var drain = gateway.Admin.PostAsJsonAsync($"/admin/destinations/{GatewayTestHost.Green}/drain", new DrainRequest { TimeoutSeconds = 20 }, ct);

        // The 500 ms window opens once the gateway has begun the drain (it sets the weight to 0 first), so the time the
        // request took to reach it cannot eat into the window and the drain's own WaitedMs covers all of it.
        await Eventually.Until(
            async () => drain.IsCompleted || (await gateway.GetDestinationsAsync()).Single(d => d.Id == GatewayTestHost.Green).Weight == 0,
            TimeSpan.FromSeconds(10), "the gateway has begun the drain", ct);
        var finishedEarly = await Task.WhenAny(drain, Task.Delay(TimeSpan.FromMilliseconds(500), ct)) == drain;
        var during = await Traffic.SendManyAsync(gateway, 50);
        var finishedBeforeRelease = drain.IsCompleted;
        green.ReleaseSlowRequests();
        using var slowResponse = await slow.DefaultTimeout();
        using var drainResponse = await drain.DefaultTimeout();
        var result = await drainResponse.Content.ReadFromJsonAsync<DrainResult>(ct);

        Assert.False(finishedEarly, "the drain answered while a request was still in flight");
        Assert.False(finishedBeforeRelease, "the drain answered before the slow request was released");
        Assert.Equal(50, during[GatewayTestHost.Blue]);
        Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
        Assert.Equal(GatewayTestHost.Green, GatewayTestHost.DestinationOf(slowResponse));
        Assert.Equal(HttpStatusCode.OK, drainResponse.StatusCode);
        Assert.True(result!.Drained);
        Assert.Equal(0, result.InFlight);
        Assert.True(result.WaitedMs >= 500, $"waited {result.WaitedMs} ms");
        Assert.Equal(0, (await gateway.GetDestinationsAsync()).Single(d => d.Id == GatewayTestHost.Green).Weight);
    }

    [Fact]
    public async Task Drain_TimeoutBeforeRequestsFinish_ReportsWhatIsStillInFlight()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        var ct = TestContext.Current.CancellationToken;
        await gateway.SetWeightsAsync(blue: 0, green: 100);
        var slow = Enumerable.Range(0, 2).Select(_ => gateway.Client.GetAsync("/v1/slow", ct)).ToList();
        await Eventually.Until(() => green.InFlight == 2, TimeSpan.FromSeconds(10), "both slow requests are inside green", TestContext.Current.CancellationToken);

        using var drainResponse = await gateway.Admin.PostAsJsonAsync(
            $"/admin/destinations/{GatewayTestHost.Green}/drain", new DrainRequest { TimeoutSeconds = 0.3 }, ct).DefaultTimeout();
        var result = await drainResponse.Content.ReadFromJsonAsync<DrainResult>(ct);
        green.ReleaseSlowRequests();
        await Task.WhenAll(slow).DefaultTimeout();

        Assert.False(result!.Drained);
        Assert.Equal(2, result.InFlight);
        Assert.InRange(result.WaitedMs, 300, 5000);
    }

    [Fact]
    public async Task Drain_IdleDestination_AnswersAtOnce()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        using var response = await gateway.Admin.PostAsync(
            $"/admin/destinations/{GatewayTestHost.Blue}/drain", null, TestContext.Current.CancellationToken).DefaultTimeout();
        var result = await response.Content.ReadFromJsonAsync<DrainResult>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(result!.Drained);
        Assert.True(result.WaitedMs < 1000);
    }

    [Fact]
    public async Task Drain_UnknownDestinationOrBadTimeout_Answers4xx()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        var ct = TestContext.Current.CancellationToken;

        using var unknown = await gateway.Admin.PostAsJsonAsync("/admin/destinations/nope/drain", new DrainRequest(), ct).DefaultTimeout();
        using var negative = await gateway.Admin.PostAsJsonAsync(
            $"/admin/destinations/{GatewayTestHost.Blue}/drain", new DrainRequest { TimeoutSeconds = -1 }, ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(50, (await gateway.GetDestinationsAsync()).Single(d => d.Id == GatewayTestHost.Blue).Weight);
    }
}
