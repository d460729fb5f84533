using System.Net;
using System.Text;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>The forwarder's pooled keep-alive connections: reuse, closing, a destination that closed one, time-outs.</summary>
public sealed class ConnectionTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static CancellationToken Cancellation => Http1Gateway.Cancellation;

    [Fact]
    public async Task Forward_SequentialRequests_ReuseOneConnection()
    {
        await using var destination = ScriptedHttpServer.Always(Ok);
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("ok", await gateway.Client.GetStringAsync($"/v1/agents/{i}", Cancellation).DefaultTimeout());
        }

        Assert.Equal(20, destination.Requests.Count);
        Assert.Single(destination.RequestConnections);
    }

    [Fact]
    public async Task Forward_ResponseWithConnectionClose_NextRequestUsesNewConnection()
    {
        // The destination says close but leaves its end open: only the gateway's own bookkeeping can avoid reusing it.
        await using var destination = ScriptedHttpServer.Start(exchange => exchange.WriteAsync(exchange.Request.Path == "/v1/last"
            ? "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\nlast"
            : Ok));
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        Assert.Equal("ok", await gateway.Client.GetStringAsync("/v1/first", Cancellation).DefaultTimeout());
        Assert.Equal("last", await gateway.Client.GetStringAsync("/v1/last", Cancellation).DefaultTimeout());
        Assert.Equal("ok", await gateway.Client.GetStringAsync("/v1/after", Cancellation).DefaultTimeout());

        var seen = destination.Requests.ToArray();
        Assert.Equal(seen[0].Connection, seen[1].Connection);
        Assert.NotEqual(seen[1].Connection, seen[2].Connection);

        // The gateway closed the connection it was told to close.
        await Eventually.Until(() => destination.HasClosed(seen[1].Connection), TimeSpan.FromSeconds(10), "the gateway closed the connection", Cancellation);
    }

    [Fact]
    public async Task Forward_DestinationClosedIdleConnection_NextRequestSucceedsOnNewConnection()
    {
        // Answers with keep-alive, then closes the connection as a replica does when its keep-alive time-out fires.
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            await exchange.WriteAsync(Ok);
            exchange.Close();
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        Assert.Equal("ok", await gateway.Client.GetStringAsync("/v1/one", Cancellation).DefaultTimeout());
        await Eventually.Until(
            () => destination.HasClosed(destination.RequestConnections.Single()),
            TimeSpan.FromSeconds(10),
            "the destination closed the idle connection",
            Cancellation);

        using var response = await gateway.Client.GetAsync("/v1/two", Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, destination.RequestConnections.Count);
    }

    [Fact]
    public async Task Forward_PooledConnectionClosedOnArrivalOfRequest_ResentOnNewConnectionWithBody()
    {
        // The race the idle check cannot see: the connection looked open, the destination closes it as the request arrives,
        // without answering. The gateway must send the request again on a new connection.
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            if (exchange.Request.IndexOnConnection == 1)
            {
                exchange.Close();
                return;
            }

            await exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Length: {exchange.Request.Body.Length}\r\n\r\n");
            await exchange.WriteAsync(exchange.Request.Body);
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        Assert.Equal("first", await PostAsync(gateway, "first"));
        var second = new string('b', 100_000);
        Assert.Equal(second, await PostAsync(gateway, second));

        var seen = destination.Requests.ToArray();
        Assert.Equal(3, seen.Length);
        Assert.Equal(seen[0].Connection, seen[1].Connection);
        Assert.NotEqual(seen[1].Connection, seen[2].Connection);
        Assert.Equal(second, Encoding.ASCII.GetString(seen[2].Body));
    }

    [Fact]
    public async Task Forward_DestinationNeverAnswers_Answers504AfterActivityTimeout()
    {
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            try
            {
                await new TaskCompletionSource().Task.WaitAsync(exchange.Stopping);
            }
            catch (OperationCanceledException)
            {
                // Held until the server stops.
            }
        });
        await using var gateway = await Http1Gateway.StartAsync(
            destination.Address, new Dictionary<string, string?> { ["Gateway:ActivityTimeout"] = "00:00:01" });

        using var response = await gateway.Client.GetAsync("/v1/stuck", Cancellation).DefaultTimeout(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(GatewayTestHost.Blue, GatewayTestHost.DestinationOf(response));
        Assert.Single(destination.Requests);
    }

    private static async Task<string> PostAsync(GatewayTestHost gateway, string body)
    {
        using var response = await gateway.Client.PostAsync("/v1/echo", new StringContent(body), Cancellation).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Cancellation).DefaultTimeout();
    }
}
