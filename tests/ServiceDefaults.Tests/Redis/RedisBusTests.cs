using System.Collections.Concurrent;
using System.Net;
using Evergreen.ServiceDefaults.Redis;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Evergreen.ServiceDefaults.Tests.Redis;

public sealed class RedisBusTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_Subscribed_HandlerReceivesEveryMessageInOrder()
    {
        await using var server = await StartAsync(redis.ConnectionString);
        var bus = server.Services.GetRequiredService<IRedisBus>();
        var channel = $"test-{Guid.NewGuid():N}";
        var received = new ConcurrentQueue<string>();
        await bus.SubscribeAsync(channel, (message, _) =>
        {
            received.Enqueue(message);
            return Task.CompletedTask;
        }, Token).DefaultTimeout();

        for (var i = 0; i < 50; i++)
        {
            await bus.PublishAsync(channel, $"message {i}", Token).DefaultTimeout();
        }

        await Eventually.Until(() => received.Count == 50, Wait, "all 50 messages arrived", Token);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"message {i}"), received);
        Assert.True(bus.IsConnected);
    }

    [Fact]
    public async Task SubscribeAsync_HandlerThrows_NextMessagesStillDelivered()
    {
        await using var server = await StartAsync(redis.ConnectionString);
        var bus = server.Services.GetRequiredService<IRedisBus>();
        var channel = $"test-{Guid.NewGuid():N}";
        var received = new ConcurrentQueue<string>();
        await bus.SubscribeAsync(channel, (message, _) =>
        {
            received.Enqueue(message);
            return message == "bad" ? throw new InvalidOperationException("handler failure") : Task.CompletedTask;
        }, Token).DefaultTimeout();

        await bus.PublishAsync(channel, "bad", Token).DefaultTimeout();
        await bus.PublishAsync(channel, "good", Token).DefaultTimeout();

        await Eventually.Until(() => received.Contains("good"), Wait, "the message after the failing one arrived", Token);
    }

    [Fact]
    public async Task Readiness_RedisConnected_RedisCheckHealthy()
    {
        await using var server = await StartAsync(redis.ConnectionString);

        await Eventually.Until(
            async () => (await server.Client.GetAsync("/health/ready", Token)).StatusCode == HttpStatusCode.OK,
            Wait,
            "readiness is 200 once Redis is connected",
            Token);
    }

    [Fact]
    public async Task RestartAsync_Subscribed_RaisesConnectionRestoredAndDeliversAgain()
    {
        await using var privateRedis = new RedisServerFixture();
        await privateRedis.InitializeAsync();
        await using var server = await StartAsync(privateRedis.ConnectionString);
        var bus = server.Services.GetRequiredService<IRedisBus>();
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.ConnectionRestored += (_, _) => restored.TrySetResult();
        var received = new ConcurrentQueue<string>();
        await bus.SubscribeAsync("revisions", (message, _) =>
        {
            received.Enqueue(message);
            return Task.CompletedTask;
        }, Token).DefaultTimeout();
        await bus.PublishAsync("revisions", "before", Token).DefaultTimeout();
        await Eventually.Until(() => received.Contains("before"), Wait, "the first message arrived", Token);

        await privateRedis.RestartAsync(Token);

        await restored.Task.DefaultTimeout();
        await Eventually.Until(
            async () =>
            {
                // Pub/sub loses what is published before the subscription is back, so publish until one lands.
                await bus.PublishAsync("revisions", "after", Token);
                return received.Contains("after");
            },
            Wait,
            "a message published after the restart arrived",
            Token);
        Assert.True(bus.IsConnected);
    }

    [Fact]
    public async Task SubscribeAsync_RedisDownAtStartUp_SubscriptionWorksOnceRedisStarts()
    {
        await using var privateRedis = new RedisServerFixture();
        await privateRedis.InitializeAsync();
        await privateRedis.StopAsync(Token);
        await using var server = await StartAsync(privateRedis.ConnectionString);
        var bus = server.Services.GetRequiredService<IRedisBus>();
        var received = new ConcurrentQueue<string>();

        await bus.SubscribeAsync("revisions", (message, _) =>
        {
            received.Enqueue(message);
            return Task.CompletedTask;
        }, Token).DefaultTimeout();
        Assert.False(bus.IsConnected);
        using (var notReady = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Equal("redis: not connected to Redis", (await Json.ReadAsync(notReady)).GetProperty("reason").GetString());
        }

        await privateRedis.StartAsync(Token);

        await Eventually.Until(
            async () =>
            {
                try
                {
                    await bus.PublishAsync("revisions", "hello", Token);
                }
                catch (RedisUnavailableException)
                {
                    return false;
                }

                return received.Contains("hello");
            },
            Wait,
            "a message published after Redis started arrived",
            Token);
    }

    [Fact]
    public async Task PublishAsync_RedisDown_ThrowsRedisUnavailableException()
    {
        await using var server = await StartAsync($"127.0.0.1:{Ports.Unused()},connectTimeout=500");
        var bus = server.Services.GetRequiredService<IRedisBus>();

        await Assert.ThrowsAsync<RedisUnavailableException>(() => bus.PublishAsync("revisions", "lost", Token)).DefaultTimeout();
    }

    [Fact]
    public async Task AddRedis_NoConnectionString_FailsNamingTheVariable()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(connectionString: null));

        Assert.Contains("ConnectionStrings__redis", error.Message, StringComparison.Ordinal);
    }

    private static Task<TestApp> StartAsync(string? connectionString) => TestApp.StartAsync(
        settings: new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString },
        configure: b => b.AddRedis());
}
