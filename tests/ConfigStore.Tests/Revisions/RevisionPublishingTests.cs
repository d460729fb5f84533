using System.Collections.Concurrent;
using System.Text.Json;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;
using StackExchange.Redis;

namespace Evergreen.ConfigStore.Tests.Revisions;

public sealed class RevisionPublishingTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Sync_NewCommit_PublishesRevisionPublishedToSubscribers()
    {
        await using var database = await postgres.CreateDatabaseAsync("publish", TestContext.Current.CancellationToken);
        await using var repository = await PluginRepository.CreateAsync();
        using var subscriber = await Subscriber.ConnectAsync(redis.ConnectionString);
        var first = await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        var second = await repository.CommitAsync("second", ("q/.claude-plugin/plugin.json", PluginRepository.Manifest("q")));
        await repository.PushAsync();

        await host.SyncAsync();

        var published = await subscriber.WaitForAsync(second);
        var summary = (await host.GetAsync<RevisionDetails>($"/api/revisions/{second}")).Revision;
        Assert.Equal((first, summary.Checksum, RevisionStatus.Valid, 2), (published.ParentId, published.Checksum, published.Status, published.PluginCount));
        Assert.NotEqual(default, published.PublishedAt);
    }

    [Fact]
    public async Task Sync_WhileRedisIsDown_PublishesTheEventAfterRedisIsBack()
    {
        // A Redis of its own: stopping the shared one would break the tests running in parallel.
        await using var ownRedis = new RedisServerFixture();
        await ownRedis.InitializeAsync();
        await using var database = await postgres.CreateDatabaseAsync("publish_outage", TestContext.Current.CancellationToken);
        await using var repository = await PluginRepository.CreateAsync();
        await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, ownRedis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        await WaitUntilNothingPendingAsync(host);
        await ownRedis.StopAsync(TestContext.Current.CancellationToken);
        var during = await repository.CommitAsync("during the outage", ("q/.claude-plugin/plugin.json", PluginRepository.Manifest("q")));
        await repository.PushAsync();

        Assert.Equal([during], (await host.SyncAsync()).Stored);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM revision_outbox WHERE published_at IS NULL"));
        await ownRedis.StartAsync(TestContext.Current.CancellationToken);
        using var subscriber = await Subscriber.ConnectAsync(ownRedis.ConnectionString);

        var published = await subscriber.WaitForAsync(during);
        Assert.Equal(RevisionStatus.Valid, published.Status);
        await WaitUntilNothingPendingAsync(host);
    }

    private static Task WaitUntilNothingPendingAsync(ConfigStoreHost host) =>
        Eventually.Until(
            async () => await host.CountAsync("SELECT count(*) FROM revision_outbox WHERE published_at IS NULL") == 0,
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "every outbox row is published", TestContext.Current.CancellationToken);

    /// <summary>A plain StackExchange.Redis subscriber of <see cref="RevisionPublished.Channel"/>, independent of ConfigStore's bus.</summary>
    private sealed class Subscriber : IDisposable
    {
        private readonly ConnectionMultiplexer _connection;
        private readonly ConcurrentQueue<RevisionPublished> _received = new();

        private Subscriber(ConnectionMultiplexer connection) => _connection = connection;

        public static async Task<Subscriber> ConnectAsync(string connectionString)
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(connectionString).DefaultTimeout();
            var subscriber = new Subscriber(connection);
            await connection.GetSubscriber().SubscribeAsync(RevisionPublished.Channel, (_, message) =>
                subscriber._received.Enqueue(JsonSerializer.Deserialize<RevisionPublished>((string)message!, Json)!)).DefaultTimeout();
            return subscriber;
        }

        public async Task<RevisionPublished> WaitForAsync(string revisionId)
        {
            await Eventually.Until(
                () => _received.Any(e => e.RevisionId == revisionId),
                TaskTimeoutExtensions.DefaultTimeoutTimeSpan, $"revision {revisionId} was published", TestContext.Current.CancellationToken);
            return _received.First(e => e.RevisionId == revisionId);
        }

        public void Dispose() => _connection.Dispose();
    }
}
