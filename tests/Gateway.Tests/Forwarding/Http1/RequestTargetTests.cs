using System.Net;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>The request target reaches the destination meaning what the client meant.</summary>
public sealed class RequestTargetTests
{
    private static CancellationToken Cancellation => Http1Gateway.Cancellation;

    [Theory]
    [InlineData("/v1/agents/a%20b")]
    [InlineData("/v1/agents/caf%C3%A9")]
    [InlineData("/v1/agents/a%2Fb")]
    [InlineData("/v1/agents/a%2541b")]
    [InlineData("/v1/%252e%252e/admin")]
    [InlineData("/v1/agents/x?q=a%2541b&r=%2F")]
    public async Task Forward_PercentEncodedTarget_ArrivesAsTheClientSentIt(string target)
    {
        await using var destination = ScriptedHttpServer.Always("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using var response = await gateway.Client.GetAsync(target, Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(target, Assert.Single(destination.Requests).Target);
    }

    [Fact]
    public async Task Forward_DoubleEncodedDotSegments_StayInsideTheProxiedPrefix()
    {
        // The gateway routes only /v1/**. "%252e%252e" is the literal text "%2e%2e" to the gateway; sent on unescaped, a
        // destination would decode it to ".." and serve /health/ready instead of a /v1 path.
        await using var destination = await TestBackend.StartAsync("blue");
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using var response = await gateway.Client.GetAsync("/v1/%252e%252e/health/ready", Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("blue", await response.Content.ReadAsStringAsync(Cancellation).DefaultTimeout());
    }
}
