using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Evergreen.AppHost.Hosting;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.AppHost.Hosting.Redis;
using Evergreen.Testing;
using StackExchange.Redis;
using Xunit;

namespace Evergreen.AppHost.Tests.Hosting;

// AppHost runs on Linux only (signals, setpriv).
[SupportedOSPlatform("linux")]
public sealed class RedisServerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fixture_RunningServer_AnswersPingAndStoresValues()
    {
        Assert.True(await redis.Server.IsHealthyAsync(Token).DefaultTimeout());
        Assert.Equal($"127.0.0.1:{redis.Port}", redis.ConnectionString);

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString).DefaultTimeout();
        var database = connection.GetDatabase();
        await database.StringSetAsync("ping-test", "pong").DefaultTimeout();
        Assert.Equal("pong", (string?)await database.StringGetAsync("ping-test").DefaultTimeout());
    }

    [Fact]
    public async Task RestartAsync_KeyWritten_KeySurvivesAndTheClientReconnects()
    {
        // A private server: restarting the shared one would break the other tests using it.
        await using var server = new RedisServerFixture();
        await server.InitializeAsync();
        using var connection = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},abortConnect=false").DefaultTimeout();
        await connection.GetDatabase().StringSetAsync("survivor", "kept").DefaultTimeout();
        var pidBefore = server.ProcessId;

        await server.RestartAsync(Token);

        Assert.NotEqual(pidBefore, server.ProcessId);
        await Eventually.Until(
            async () => (string?)await connection.GetDatabase().StringGetAsync("survivor") == "kept",
            TimeSpan.FromSeconds(20),
            "the client reconnects and reads the key written before the restart",
            Token);
    }

    [Fact]
    public async Task IsHealthyAsync_NothingListening_ReturnsFalse()
    {
        var server = new RedisServer(new RedisServerOptions { Port = PortAvailability.GetFreePort() });

        Assert.False(await server.IsHealthyAsync(Token).DefaultTimeout());
    }

    [Fact]
    public async Task WaitUntilReadyAsync_NothingListening_ThrowsNamingTheAddressAfterTheTimeout()
    {
        var port = PortAvailability.GetFreePort();
        var server = new RedisServer(new RedisServerOptions { Port = port });

        var error = await Assert.ThrowsAsync<HostingException>(() => server.WaitUntilReadyAsync(TimeSpan.FromMilliseconds(500), Token)).DefaultTimeout();

        Assert.Contains($"127.0.0.1:{port} did not answer PING", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateProcessSpec_WithoutDataDirectory_KeepsNothingOnDisk()
    {
        var spec = new RedisServer(new RedisServerOptions { Port = 6380 }).CreateProcessSpec();

        Assert.Equal("redis-server", spec.FileName);
        Assert.Equal("apt-get install -y redis-server", spec.InstallHint);
        Assert.Equal(["--port", "6380", "--bind", "127.0.0.1", "--protected-mode", "yes", "--daemonize", "no", "--supervised", "no", "--save", "", "--appendonly", "no"], spec.Arguments);
    }

    [Fact]
    public void EnsureFree_PortTakenByAnotherProgram_ThrowsNamingThePortAndTheFix()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        var error = Assert.Throws<HostingException>(() => PortAvailability.EnsureFree(port, "redis", "--Ports:redis=<port>"));

        Assert.Equal($"Port {port} for 'redis' is already in use by another program. Stop that program or choose another port: --Ports:redis=<port>.", error.Message);
    }
}
