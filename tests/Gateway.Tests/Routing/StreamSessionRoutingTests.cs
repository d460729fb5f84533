using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class StreamSessionRoutingTests
{
    [Theory]
    [InlineData("green.7f3a9c")]
    [InlineData("green-7f3a9c")]
    [InlineData("agentruntime-green.7f3a9c")]
    public async Task Forward_StreamOfDrainingReplica_GoesToTheSessionOwner(string sessionId)
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 100, green: 0);

        var stream = await gateway.GetAsync($"/v1/stream/{sessionId}");
        var other = await gateway.GetAsync("/v1/agents");
        var userStream = await gateway.GetAsync($"/v1/stream/{sessionId}", r => r.Headers.Add("X-User-Id", "someone"));

        Assert.Equal((200, GatewayTestHost.Green), stream);
        Assert.Equal((200, GatewayTestHost.Blue), other);
        Assert.Equal((200, GatewayTestHost.Green), userStream);
        Assert.Equal(2, green.RequestCount);
    }

    [Fact]
    public async Task Forward_StreamOfDeadReplica_FallsBackToNormalRouting()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await green.KillAsync();

        var stream = await gateway.GetAsync("/v1/stream/green.7f3a9c");

        Assert.Equal((200, GatewayTestHost.Blue), stream);
    }

    [Fact]
    public async Task Forward_PostToStreamPath_IsNotPinned()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 100, green: 0);

        using var response = await gateway.Client.PostAsync(
            "/v1/stream/green.7f3a9c", new StringContent("x"), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(GatewayTestHost.Blue, GatewayTestHost.DestinationOf(response));
    }
}
