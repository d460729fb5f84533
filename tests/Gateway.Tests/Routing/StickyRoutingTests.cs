using System.Net;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class StickyRoutingTests
{
    private const int Users = 1000;

    [Fact]
    public async Task Forward_SameUserWhileWeightsHold_NeverChangesDestination()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        var first = await AssignAsync(gateway, Users);
        var second = await AssignAsync(gateway, Users);
        var third = await AssignAsync(gateway, Users);

        Assert.Equal(first, second);
        Assert.Equal(first, third);
        var blueShare = first.Count(d => d == GatewayTestHost.Blue) / (double)Users;
        Assert.InRange(blueShare, 0.45, 0.55);
    }

    [Fact]
    public async Task Forward_WeightShiftFiftyToSixty_MovesAboutTenPercentOfUsersOneWay()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 50, green: 50);
        var before = await AssignAsync(gateway, Users);

        await gateway.SetWeightsAsync(blue: 60, green: 40);
        var after = await AssignAsync(gateway, Users);

        var moved = Enumerable.Range(0, Users).Where(i => before[i] != after[i]).ToList();
        Assert.InRange(moved.Count / (double)Users, 0.06, 0.14);
        Assert.All(moved, i => Assert.Equal((GatewayTestHost.Green, GatewayTestHost.Blue), (before[i], after[i])));
    }

    [Fact]
    public async Task Forward_UserIdInCookie_RoutesLikeTheHeader()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        var byHeader = await AssignAsync(gateway, 50);

        for (var i = 0; i < 50; i++)
        {
            var (status, destination) = await gateway.GetAsync(
                "/v1/agents", request => request.Headers.Add("Cookie", $"theme=dark; evergreen-uid={UserId(i)}"));
            Assert.Equal((int)HttpStatusCode.OK, status);
            Assert.Equal(byHeader[i], destination);
        }
    }

    private static string UserId(int i) => $"user-{i:D5}";

    private static async Task<string?[]> AssignAsync(GatewayTestHost gateway, int users)
    {
        var destinations = new string?[users];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, users),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken },
            async (i, cancellationToken) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/agents");
                request.Headers.Add("X-User-Id", UserId(i));
                using var response = await gateway.Client.SendAsync(request, cancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                destinations[i] = GatewayTestHost.DestinationOf(response);
            }).DefaultTimeout(TimeSpan.FromSeconds(60));
        return destinations;
    }
}
