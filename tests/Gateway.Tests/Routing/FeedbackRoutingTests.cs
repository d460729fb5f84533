using System.Text;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class FeedbackRoutingTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feedback_ForARunOfADrainingReplica_GoesToThatReplicaWithTheBodyIntact()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 100, green: 0);
        const string body = """{"score":1,"meta":{"runId":"blue.nested"},"runId":"green.4b1d","comment":"good"}""";

        using var response = await gateway.Client.PostAsync(
            "/v1/feedback", new StringContent(body, Encoding.UTF8, "application/json"), Cancellation).DefaultTimeout();

        Assert.Equal(GatewayTestHost.Green, GatewayTestHost.DestinationOf(response));
        Assert.Equal($"green|{body}", await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Theory]
    [InlineData("""{"runId":"nobody.4b1d","score":1}""")]
    [InlineData("""{"score":1}""")]
    [InlineData("not json")]
    public async Task Feedback_WithoutAKnownOwner_IsRoutedByWeight(string body)
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 100, green: 0);

        using var response = await gateway.Client.PostAsync(
            "/v1/feedback", new StringContent(body, Encoding.UTF8, "application/json"), Cancellation).DefaultTimeout();

        Assert.Equal(GatewayTestHost.Blue, GatewayTestHost.DestinationOf(response));
        Assert.Equal($"blue|{body}", await response.Content.ReadAsStringAsync(Cancellation));
    }
}
