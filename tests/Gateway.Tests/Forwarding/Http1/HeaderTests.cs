using System.Net;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>Which headers cross the gateway, both ways, and what a malformed response head turns into.</summary>
public sealed class HeaderTests
{
    private static CancellationToken Cancellation => Http1Gateway.Cancellation;

    [Fact]
    public async Task Forward_RequestHeaders_EndToEndOnesArriveHopByHopOnesDoNot()
    {
        await using var destination = ScriptedHttpServer.Always("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/agents/7?view=full&x=%20y");
        request.Headers.Add("X-Plain", "kept");
        request.Headers.Add("Authorization", "Bearer user-token");
        request.Headers.Connection.Add("X-Hop-Secret");
        request.Headers.Add("X-Hop-Secret", "only-for-the-gateway");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.TryAddWithoutValidation("Upgrade", "example/1");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "spoofed.example");
        using var response = await gateway.Client.SendAsync(request, Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(destination.Requests);
        Assert.Equal("/v1/agents/7?view=full&x=%20y", seen.Target);
        Assert.Equal([destination.Address.Authority], seen.Values("Host"));
        Assert.Equal(["kept"], seen.Values("X-Plain"));
        Assert.Equal(["Bearer user-token"], seen.Values("Authorization"));
        foreach (var hopByHop in new[] { "Connection", "X-Hop-Secret", "Keep-Alive", "Proxy-Connection", "TE", "Upgrade" })
        {
            Assert.True(seen.Values(hopByHop).Count == 0, $"{hopByHop} reached the destination");
        }

        Assert.Equal(["127.0.0.1"], seen.Values("X-Forwarded-For"));
        Assert.Equal(["http"], seen.Values("X-Forwarded-Proto"));
        Assert.Equal([gateway.Address.Authority], seen.Values("X-Forwarded-Host"));
    }

    [Fact]
    public async Task Forward_ResponseHeaders_RepeatedOnesStaySeparateHopByHopOnesAreDropped()
    {
        await using var destination = ScriptedHttpServer.Always(
            "HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\nX-Trace:  padded  \r\n"
            + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = gateway.Address };

        using var response = await client.GetAsync("/v1/cookies", Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["a=1; Path=/", "b=2; HttpOnly"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(["padded"], response.Headers.GetValues("X-Trace"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.False(response.Headers.Contains("Proxy-Connection"));
        Assert.Equal(GatewayTestHost.Blue, GatewayTestHost.DestinationOf(response));
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(Cancellation).DefaultTimeout());
    }

    [Theory]
    [InlineData("HTPT/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Folded: first\r\n second\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok")]
    public async Task Forward_MalformedResponseHead_Answers502NamingTheDestination(string malformed)
    {
        await using var destination = ScriptedHttpServer.Always(malformed);
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using var response = await gateway.Client.GetAsync("/v1/agents", Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(GatewayTestHost.Blue, GatewayTestHost.DestinationOf(response));
        Assert.NotEqual("ok", await response.Content.ReadAsStringAsync(Cancellation).DefaultTimeout());
        Assert.Single(destination.Requests);
    }
}
