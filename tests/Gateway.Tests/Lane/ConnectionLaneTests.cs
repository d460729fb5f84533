using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Lane;
using Evergreen.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Evergreen.Gateway.Tests.Lane;

/// <summary>
/// The connection lane: plain <c>/v1</c> requests served below Kestrel's HTTP layer, everything else handed to it with the
/// rest of the connection. What a client sees must not depend on which path served it.
/// </summary>
public sealed class ConnectionLaneTests
{
    private const string EchoPath = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {0}\r\n\r\n{1}";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lane_SameRequestAsKestrelsPath_DestinationSeesTheSameHeadersAndClientTheSameResponse()
    {
        await using var destination = ScriptedHttpServer.Always("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Custom: one\r\nContent-Length: 2\r\n\r\n{}");
        await using var lane = await StartAsync(destination.Address);
        await using var kestrel = await StartAsync(destination.Address, new() { ["Gateway:ConnectionLane"] = "false" });
        const string Request =
            "POST /v1/agents/7/runs?view=full HTTP/1.1\r\nHost: gateway.example:8080\r\nX-Plain: kept\r\nX-User-Id: user-1\r\n" +
            "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n" +
            "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"input\":\"x\"}";

        var viaLane = await SendAsync(lane, Request);
        var viaKestrel = await SendAsync(kestrel, Request);

        Assert.Equal(1, (await LaneInfoAsync(lane)).Served);
        Assert.Equal(0, (await LaneInfoAsync(kestrel)).Served);
        var seen = destination.Requests.ToArray();
        Assert.Equal(2, seen.Length);
        Assert.Equal(seen[1].Method, seen[0].Method);
        Assert.Equal(seen[1].Target, seen[0].Target);
        Assert.Equal(Normalized(seen[1].Headers), Normalized(seen[0].Headers));
        Assert.Equal("{\"input\":\"x\"}", System.Text.Encoding.ASCII.GetString(seen[0].Body));
        Assert.Equal(["127.0.0.1"], seen[0].Values("X-Forwarded-For"));

        Assert.Equal(viaKestrel.Status, viaLane.Status);
        Assert.Equal(viaKestrel.Body, viaLane.Body);
        foreach (var header in new[] { "Content-Type", "X-Custom", "Content-Length", "X-Evergreen-Destination" })
        {
            Assert.Equal(viaKestrel.Value(header), viaLane.Value(header));
        }
    }

    [Fact]
    public async Task Lane_PipelinedRequests_AreAnsweredInOrderOnOneConnection()
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);

        await client.SendAsync("GET /v1/first HTTP/1.1\r\nHost: a\r\n\r\nGET /v1/second HTTP/1.1\r\nHost: a\r\n\r\nHEAD /v1/third HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal("/v1/first", (await client.ReadResponseAsync()).Body);
        Assert.Equal("/v1/second", (await client.ReadResponseAsync()).Body);
        var head = await client.ReadResponseAsync(toHead: true);
        Assert.Equal(200, head.Status);
        Assert.Equal("9", head.Value("Content-Length"));
        Assert.Equal(3, (await LaneInfoAsync(gateway)).Served);
    }

    [Fact]
    public async Task Lane_RequestItDoesNotServeMidConnection_KestrelServesItAndTheRestOfTheConnection()
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);

        await client.SendAsync("GET /v1/by-lane HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("/v1/by-lane", (await client.ReadResponseAsync()).Body);
        await client.SendAsync("GET /health HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        await client.SendAsync("GET /v1/by-kestrel HTTP/1.1\r\nHost: a\r\n\r\n");
        var last = await client.ReadResponseAsync();

        Assert.Equal("/v1/by-kestrel", last.Body);
        Assert.Equal(GatewayTestHost.Blue, last.Value("X-Evergreen-Destination"));
        var info = await LaneInfoAsync(gateway);
        Assert.Equal(1, info.Served);
        Assert.Equal(1, info.HandedOver);
    }

    [Theory]
    [InlineData("POST /v1/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")]
    [InlineData("POST /v1/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 0\r\n\r\nhello")]
    [InlineData("POST /v1/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("GET /v1/%2e%2e/health HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /v1/a/../../health HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /v1/x HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n")]
    [InlineData("GET /v1/x HTTP/1.1\r\nHost : a\r\n\r\n")]
    [InlineData("GET /v1/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("GET /v1/x HTTP/1.0\r\nHost: a\r\n\r\n")]
    public async Task Lane_AmbiguousOrUnusualRequest_IsLeftToKestrel_AndTheDestinationNeverSeesItTwoWays(string request)
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);

        await client.SendAsync(request);
        var response = await client.ReadResponseAsync();

        Assert.Equal(0, (await LaneInfoAsync(gateway)).Served);
        Assert.Equal(1, (await LaneInfoAsync(gateway)).HandedOver);
        foreach (var seen in destination.Requests)
        {
            // Whatever Kestrel made of it, what reached the destination is framed one way, under /v1.
            Assert.False(seen.Values("Content-Length").Count > 0 && seen.Values("Transfer-Encoding").Count > 0);
            Assert.True(seen.Values("Content-Length").Count <= 1);
            Assert.StartsWith("/v1/", seen.Path, StringComparison.Ordinal);
        }

        Assert.True(response.Status is 200 or 400 or 404 or 505, $"status {response.Status}");
        Assert.True(destination.Requests.Count <= 1);
    }

    [Fact]
    public async Task Lane_HeaderValueOfThousandsOfTabs_IsServedAndForwardedWhole()
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);
        var tabs = new string('\t', 15_000);

        await client.SendAsync($"GET /v1/tabs HTTP/1.1\r\nHost: a\r\nX-Tabs: a{tabs}b\r\n\r\n");

        Assert.Equal("/v1/tabs", (await client.ReadResponseAsync()).Body);
        Assert.Equal(1, (await LaneInfoAsync(gateway)).Served);
        Assert.Equal($"a{tabs}b", Assert.Single(Assert.Single(destination.Requests).Values("X-Tabs")));
    }

    [Fact]
    public async Task Lane_IdleConnection_IsClosedAfterTheKeepAliveTimeout()
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address, new() { ["Kestrel:Limits:KeepAliveTimeout"] = "00:00:02" });
        Assert.Equal(2000, gateway.Services.GetRequiredService<LaneTimeouts>().KeepAliveMs);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);

        await client.SendAsync("GET /v1/once HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("/v1/once", (await client.ReadResponseAsync()).Body);

        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(20)), "the server sent bytes instead of closing");
        Assert.Equal(1, (await LaneInfoAsync(gateway)).Served);
    }

    [Fact]
    public async Task Lane_HeadThatNeverEnds_IsClosedAfterTheRequestHeadersTimeout()
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address, new() { ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:02" });
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);

        await client.SendAsync("GET /v1/slowloris HTTP/1.1\r\nHost: a\r\nX-One: 1\r\n");

        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(20)), "the server sent bytes instead of closing");
        Assert.Empty(destination.Requests);
    }

    [Fact]
    public async Task Lane_ClientAsksToClose_ResponseSaysCloseAndTheConnectionEnds()
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);

        await client.SendAsync("GET /v1/bye HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal("/v1/bye", response.Body);
        Assert.Equal("close", response.Value("Connection"));
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, (await LaneInfoAsync(gateway)).Served);
    }

    [Fact]
    public async Task Lane_GatewayStopsWhileARequestIsInFlight_TheRequestFinishesAndTheConnectionCloses()
    {
        await using var backend = await TestBackend.StartAsync("blue");
        await using var gateway = await StartAsync(backend.Address);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);
        await SendSlowRequestAsync(client, backend);

        var stopping = gateway.StopAsync();
        Assert.False(stopping.IsCompleted);
        backend.ReleaseSlowRequests();
        var response = await client.ReadResponseAsync();
        await stopping.DefaultTimeout();

        Assert.Equal(200, response.Status);
        Assert.Equal(GatewayTestHost.Blue, response.Value("X-Evergreen-Destination"));
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the connection stayed open after the gateway stopped");
        Assert.Equal(1, (await LaneInfoAsync(gateway)).Served);
    }

    [Fact]
    public async Task Lane_ClientGoesAwayDuringASlowRequest_TheRequestIsCancelledAtTheDestination()
    {
        await using var backend = await TestBackend.StartAsync("blue");

        // The destination's activity time-out, which would end the request too, lies well past the wait below.
        await using var gateway = await StartAsync(backend.Address, new() { ["Gateway:ActivityTimeout"] = "00:01:00" });
        var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);
        await SendSlowRequestAsync(client, backend);

        await client.DisposeAsync();

        // The backend's handler ends only when its request is aborted (the gate is never released here).
        await Eventually.Until(() => backend.InFlight == 0, TimeSpan.FromSeconds(10), "the destination saw its request cancelled", Cancellation);
        var info = await gateway.Client.GetFromJsonAsync<JsonElement>("/health/info", Cancellation).DefaultTimeout();
        Assert.Equal(0, info.GetProperty("inFlightRequests").GetInt32());
        Assert.Equal(1, (await LaneInfoAsync(gateway)).Served);
    }

    [Fact]
    public async Task Lane_ClientSendsTheNextRequestDuringASlowOne_NeitherIsCancelled()
    {
        await using var backend = await TestBackend.StartAsync("blue");
        await using var gateway = await StartAsync(backend.Address);
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);
        await SendSlowRequestAsync(client, backend, following: "GET /v1/next HTTP/1.1\r\nHost: a\r\n\r\n");

        // Long enough for the lane to watch the client's socket, which has the next request waiting in it.
        await Task.Delay(TimeSpan.FromSeconds(2.5), Cancellation);
        Assert.Equal(1, backend.InFlight);
        backend.ReleaseSlowRequests();
        var slow = await client.ReadResponseAsync();
        var next = await client.ReadResponseAsync();

        Assert.Equal((200, "blue"), (slow.Status, slow.Body));
        Assert.Equal((200, "blue"), (next.Status, next.Body));
        Assert.Equal(2, (await LaneInfoAsync(gateway)).Served);
    }

    [Fact]
    public async Task Lane_NoDestinationAvailable_Answers503WithRetryAfterAsKestrelsPathDoes()
    {
        await using var gateway = await StartAsync(DeadEndpoint.Create());
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);

        await client.SendAsync("GET /v1/anything HTTP/1.1\r\nHost: a\r\nAccept: application/json\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal(503, response.Status);
        Assert.NotNull(response.Value("Retry-After"));
        Assert.Equal("gateway", response.Value("X-Evergreen-Destination"));
        Assert.StartsWith("application/problem+json", response.Value("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(503, JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task HealthInfo_ReportsTheLane()
    {
        await using var destination = EchoServer();
        await using var gateway = await StartAsync(destination.Address);
        Assert.Equal("/v1/counted", await gateway.Client.GetStringAsync("/v1/counted", Cancellation).DefaultTimeout());

        var info = await gateway.Client.GetFromJsonAsync<JsonElement>("/health/info", Cancellation).DefaultTimeout();

        var lane = info.GetProperty("lane");
        Assert.True(lane.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, lane.GetProperty("served").GetInt64());
        Assert.Equal(1, lane.GetProperty("handedOver").GetInt64());
    }

    [Fact]
    public void Options_ConnectionLaneNotABoolean_FailsNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GatewayOptions.Read(
            new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:ConnectionLane"] = "sometimes" })
                .Build()));

        Assert.Contains("Gateway:ConnectionLane", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A destination that answers every request with its path.</summary>
    private static ScriptedHttpServer EchoServer() => ScriptedHttpServer.Start(exchange => exchange.WriteAsync(Echo(exchange.Request.Path)));

    private static string Echo(string path) => string.Format(System.Globalization.CultureInfo.InvariantCulture, EchoPath, path.Length, path);

    private static Task<GatewayTestHost> StartAsync(Uri destination, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings.TryAdd("Gateway:ActivityTimeout", "00:00:10");
        return GatewayTestHost.StartAsync(new Dictionary<string, Uri> { [GatewayTestHost.Blue] = destination }, settings);
    }

    private static async Task<RawResponse> SendAsync(GatewayTestHost gateway, string request)
    {
        await using var client = await RawHttpConnection.OpenAsync(gateway.Address, Cancellation);
        await client.SendAsync(request);
        return await client.ReadResponseAsync();
    }

    private static IEnumerable<string> Normalized(IReadOnlyList<(string Name, string Value)> headers) =>
        headers.Select(h => $"{h.Name.ToLowerInvariant()}: {h.Value}").Order(StringComparer.Ordinal);

    /// <summary>The lane's counters, read in process: asking over HTTP would add a connection of its own to them.</summary>
    /// <summary>Sends <c>GET /v1/slow</c> (and what follows it on the wire) and waits until the backend holds it.</summary>
    private static async Task SendSlowRequestAsync(RawHttpConnection client, TestBackend backend, string following = "")
    {
        await client.SendAsync("GET /v1/slow HTTP/1.1\r\nHost: a\r\n\r\n" + following);
        await Eventually.Until(() => backend.InFlight == 1, TimeSpan.FromSeconds(10), "the slow request reached the backend", Cancellation);
    }

    private static Task<LaneStatistics> LaneInfoAsync(GatewayTestHost gateway) =>
        Task.FromResult(gateway.Services.GetRequiredService<LaneStatistics>());
}
