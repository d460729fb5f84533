using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class WeightedRoutingTests
{
    [Fact]
    public async Task Forward_EightyTwentyWeights_SplitsTrafficWithinThreePoints()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 80, green: 20);

        var counts = await Traffic.SendManyAsync(gateway, 5000);

        Assert.Equal(5000, counts.GetValueOrDefault(GatewayTestHost.Blue) + counts.GetValueOrDefault(GatewayTestHost.Green));
        var blueShare = counts[GatewayTestHost.Blue] / 5000.0;
        Assert.InRange(blueShare, 0.77, 0.83);
        Assert.Equal(counts[GatewayTestHost.Blue], blue.RequestCount);
        Assert.Equal(counts[GatewayTestHost.Green], green.RequestCount);
    }

    [Fact]
    public async Task Forward_DefaultWeights_SplitsEvenly()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        var counts = await Traffic.SendManyAsync(gateway, 400);

        Assert.InRange(counts[GatewayTestHost.Blue], 190, 210);
        Assert.InRange(counts[GatewayTestHost.Green], 190, 210);
    }

    [Fact]
    public async Task Forward_WeightZero_SendsNothingNewToThatDestination()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 100, green: 0);

        var counts = await Traffic.SendManyAsync(gateway, 300, withUsers: true);

        Assert.Equal(300, counts[GatewayTestHost.Blue]);
        Assert.False(counts.ContainsKey(GatewayTestHost.Green));
        Assert.Equal(0, green.RequestCount);
    }

    [Fact]
    public async Task Forward_AllWeightsZero_Answers503WithRetryAfter()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 0, green: 0);

        using var response = await gateway.Client.GetAsync("/v1/agents", TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(503, (int)response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("gateway", GatewayTestHost.DestinationOf(response));
        Assert.Equal(0, blue.RequestCount + green.RequestCount);
    }
}
