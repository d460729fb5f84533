using System.Net;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding;

public sealed class AdmissionTests
{
    [Fact]
    public async Task Forward_BodyOverTheLimit_Answers413WithoutReachingABackend()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green, new Dictionary<string, string?> { ["Gateway:MaxRequestBodyBytes"] = "1000" });

        using var sized = await gateway.Client.PostAsync(
            "/v1/runs", new StringContent(new string('x', 1001)), TestContext.Current.CancellationToken).DefaultTimeout();
        using var chunked = await gateway.Client.PostAsync(
            "/v1/runs", new ChunkedContent(new string('x', 5000)), TestContext.Current.CancellationToken).DefaultTimeout();
        using var fits = await gateway.Client.PostAsync(
            "/v1/runs", new StringContent(new string('x', 1000)), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal("gateway", GatewayTestHost.DestinationOf(sized));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(1, blue.RequestCount + green.RequestCount);
    }

    [Fact]
    public async Task Forward_DefaultLimit_IsOneMebibyte()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        using var over = await gateway.Client.PostAsync(
            "/v1/runs", new ByteArrayContent(new byte[(1024 * 1024) + 1]), TestContext.Current.CancellationToken).DefaultTimeout();
        using var at = await gateway.Client.PostAsync(
            "/v1/runs", new ByteArrayContent(new byte[1024 * 1024]), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal(HttpStatusCode.OK, at.StatusCode);
    }

    [Fact]
    public async Task Forward_ApiKeysConfigured_RequiresAValidKeyAndHidesItFromBackends()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green, new Dictionary<string, string?>
        {
            ["Gateway:ApiKeys:0"] = "key-one",
            ["Gateway:ApiKeys:1"] = "key-two",
        });

        using var missingResponse = await gateway.Client.GetAsync("/v1/agents", TestContext.Current.CancellationToken).DefaultTimeout();
        var missing = ((int)missingResponse.StatusCode, GatewayTestHost.DestinationOf(missingResponse));
        var wrong = await gateway.GetAsync("/v1/agents", r => r.Headers.Add("X-Api-Key", "key-three"));
        var valid = await gateway.GetAsync("/v1/echo-headers", r => r.Headers.Add("X-Api-Key", "key-two"));
        var health = await gateway.Client.GetAsync("/health", TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal((401, "gateway"), missing);
        Assert.Equal("ApiKey", missingResponse.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal((401, "gateway"), wrong);
        Assert.Equal(200, valid.Status);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(1, blue.RequestCount + green.RequestCount);
        Assert.Empty(blue.ApiKeysSeen.Concat(green.ApiKeysSeen));
    }

    [Fact]
    public async Task Forward_AnyResponse_CarriesTheDestinationHeader()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);

        var notFoundAtBackend = await gateway.GetAsync("/v1/status/404");
        var failedAtBackend = await gateway.GetAsync("/v1/status/500");
        var ok = await gateway.GetAsync("/v1/agents");
        var health = await gateway.GetAsync("/health/ready");
        var unknownRoute = await gateway.GetAsync("/nothing-here");

        Assert.Equal(404, notFoundAtBackend.Status);
        Assert.Equal(500, failedAtBackend.Status);
        Assert.Contains(notFoundAtBackend.Destination, new[] { GatewayTestHost.Blue, GatewayTestHost.Green });
        Assert.Contains(failedAtBackend.Destination, new[] { GatewayTestHost.Blue, GatewayTestHost.Green });
        Assert.Contains(ok.Destination, new[] { GatewayTestHost.Blue, GatewayTestHost.Green });
        Assert.Equal((200, "gateway"), health);
        Assert.Equal((404, "gateway"), unknownRoute);
    }

    [Fact]
    public async Task Forward_ClientAcceptsOnlyHtml_StillGetsThe503AsText()
    {
        await using var gateway = await GatewayTestHost.StartAsync(new Dictionary<string, Uri> { [GatewayTestHost.Blue] = DeadEndpoint.Create() });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/agents");
        request.Headers.Add("Accept", "text/html");
        using var response = await gateway.Client.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("No runtime replica", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>A body without Content-Length, so only reading it reveals its size.</summary>
    private sealed class ChunkedContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
