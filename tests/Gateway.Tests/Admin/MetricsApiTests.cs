using System.Net;
using System.Net.Http.Json;
using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Admin;

public sealed class MetricsApiTests
{
    [Fact]
    public async Task GetMetrics_AfterTraffic_ReportsCountsStatusClassesAndLatency()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 100, green: 0);
        await Traffic.SendManyAsync(gateway, 100);
        await gateway.GetAsync("/v1/status/404");
        await gateway.GetAsync("/v1/status/503");

        var report = await gateway.Admin.GetFromJsonAsync<GatewayMetricsReport>(
            "/admin/metrics?windowSeconds=30", TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(30, report!.WindowSeconds);
        var blueMetrics = report.Destinations.Single(d => d.Id == GatewayTestHost.Blue);
        var greenMetrics = report.Destinations.Single(d => d.Id == GatewayTestHost.Green);
        Assert.Equal((102L, 100L, 1L, 1L, 0L), (blueMetrics.Requests, blueMetrics.Status2xx, blueMetrics.Status4xx, blueMetrics.Status5xx, blueMetrics.TransportFailures));
        Assert.True(blueMetrics.LatencyMs!.P50 > 0);
        Assert.True(blueMetrics.LatencyMs.P50 <= blueMetrics.LatencyMs.P95 && blueMetrics.LatencyMs.P95 <= blueMetrics.LatencyMs.P99);
        Assert.Equal(Math.Round(102 / 30.0, 3), blueMetrics.RequestsPerSecond);
        Assert.Equal(Math.Round(1 / 102.0, 6), blueMetrics.ErrorRate);
        Assert.Equal(0, greenMetrics.Requests);
        Assert.Null(greenMetrics.LatencyMs);
    }

    [Fact]
    public async Task GetMetrics_DeadDestination_CountsTransportFailures()
    {
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(new Dictionary<string, Uri>
        {
            [GatewayTestHost.Blue] = DeadEndpoint.Create(),
            [GatewayTestHost.Green] = green.Address,
        });
        await gateway.SetWeightsAsync(blue: 100, green: 1);

        var (status, destination) = await gateway.GetAsync("/v1/agents", r => r.Headers.Add("X-User-Id", StickyUsers.InFirstShare(0.9)));
        var report = await gateway.Admin.GetFromJsonAsync<GatewayMetricsReport>("/admin/metrics", TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal((200, GatewayTestHost.Green), (status, destination));
        var blueMetrics = report!.Destinations.Single(d => d.Id == GatewayTestHost.Blue);
        Assert.Equal((1L, 1L, 1.0), (blueMetrics.Requests, blueMetrics.TransportFailures, blueMetrics.ErrorRate));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("301")]
    [InlineData("abc")]
    public async Task GetMetrics_WindowOutOfRange_Answers400(string window)
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        using var response = await gateway.Admin.GetAsync($"/admin/metrics?windowSeconds={window}", TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
