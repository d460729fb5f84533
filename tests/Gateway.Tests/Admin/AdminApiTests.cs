using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Admin;

public sealed class AdminApiTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task AdminEndpoints_WithoutValidToken_Answer401(string? token)
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        using var client = new HttpClient { BaseAddress = gateway.Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var ct = TestContext.Current.CancellationToken;
        using var list = await client.GetAsync("/admin/destinations", ct).DefaultTimeout();
        using var put = await client.PutAsJsonAsync($"/admin/destinations/{GatewayTestHost.Blue}", new SetWeightRequest { Weight = 0 }, ct).DefaultTimeout();
        using var putMany = await client.PutAsJsonAsync("/admin/destinations", new SetWeightsRequest { Weights = new Dictionary<string, int>() }, ct).DefaultTimeout();
        using var drain = await client.PostAsJsonAsync($"/admin/destinations/{GatewayTestHost.Blue}/drain", new DrainRequest(), ct).DefaultTimeout();
        using var metrics = await client.GetAsync("/admin/metrics", ct).DefaultTimeout();

        Assert.All([list, put, putMany, drain, metrics], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(await gateway.GetDestinationsAsync(), d => Assert.Equal(50, d.Weight));
    }

    [Fact]
    public async Task GetDestinations_TwoReplicas_ListsAddressWeightHealthAndCounters()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.GetAsync("/v1/agents");

        await Eventually.Until(
            async () => (await gateway.GetDestinationsAsync()).All(d => d.Health.Active == "healthy"),
            TimeSpan.FromSeconds(10),
            "the active health checks have probed both replicas", TestContext.Current.CancellationToken);
        var destinations = await gateway.GetDestinationsAsync();

        Assert.Equal([GatewayTestHost.Blue, GatewayTestHost.Green], destinations.Select(d => d.Id));
        Assert.Equal(blue.Address.ToString().TrimEnd('/'), destinations[0].Address);
        Assert.All(destinations, d => Assert.Equal((50, "unknown", true, 0L, 0L), (d.Weight, d.Health.Passive, d.Available, d.InFlight, d.Errors)));
        Assert.Equal(1, destinations.Sum(d => d.Requests));
    }

    [Fact]
    public async Task PutDestination_ValidWeight_AppliesAndReturnsTheDestination()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        using var response = await gateway.Admin.PutAsJsonAsync(
            $"/admin/destinations/{GatewayTestHost.Green}", new SetWeightRequest { Weight = 7 }, TestContext.Current.CancellationToken).DefaultTimeout();
        var body = await response.Content.ReadFromJsonAsync<GatewayDestination>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((GatewayTestHost.Green, 7), (body!.Id, body.Weight));
        Assert.Equal(7, (await gateway.GetDestinationsAsync()).Single(d => d.Id == GatewayTestHost.Green).Weight);
    }

    [Fact]
    public async Task PutDestination_UnknownIdOrBadWeight_Answers4xxAndChangesNothing()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        var ct = TestContext.Current.CancellationToken;

        using var unknown = await gateway.Admin.PutAsJsonAsync("/admin/destinations/agentruntime-red", new SetWeightRequest { Weight = 5 }, ct).DefaultTimeout();
        using var tooHigh = await gateway.Admin.PutAsJsonAsync($"/admin/destinations/{GatewayTestHost.Blue}", new SetWeightRequest { Weight = 101 }, ct).DefaultTimeout();
        using var negative = await gateway.Admin.PutAsJsonAsync($"/admin/destinations/{GatewayTestHost.Blue}", new SetWeightRequest { Weight = -1 }, ct).DefaultTimeout();
        using var notJson = await gateway.Admin.PutAsync($"/admin/destinations/{GatewayTestHost.Blue}", new StringContent("{", null, "application/json"), ct).DefaultTimeout();
        using var bulk = await gateway.Admin.PutAsJsonAsync(
            "/admin/destinations",
            new SetWeightsRequest { Weights = new Dictionary<string, int> { [GatewayTestHost.Blue] = 10, ["agentruntime-red"] = 90 } },
            ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooHigh.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        Assert.Contains("agentruntime-red", await bulk.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.All(await gateway.GetDestinationsAsync(), d => Assert.Equal(50, d.Weight));
    }

    [Fact]
    public async Task PutDestinations_SeveralWeights_AppliesThemTogether()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        await gateway.SetWeightsAsync(blue: 95, green: 5);

        var weights = (await gateway.GetDestinationsAsync()).ToDictionary(d => d.Id, d => d.Weight);
        Assert.Equal(95, weights[GatewayTestHost.Blue]);
        Assert.Equal(5, weights[GatewayTestHost.Green]);
    }
}
