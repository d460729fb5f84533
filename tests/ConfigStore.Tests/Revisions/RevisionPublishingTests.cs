using Evergreen.Contracts.Revisions;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Revisions;

public sealed class RevisionPublishingTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Sync_NewCommit_PublishesRevisionPublishedToSubscribers()
    {
        await using var database = await postgres.CreateDatabaseAsync("publish", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        using var subscriber = await RevisionSubscriber.ConnectAsync(redis.ConnectionString);
        var first = await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        var second = await repository.CommitAsync("second", ("q/.claude-plugin/plugin.json", PluginGitRepository.Manifest("q")));
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
        // ConfigStore reaches Redis through a gate the test closes, while the test's subscriber stays connected to the
        // server itself: it is subscribed before ConfigStore can reconnect, so the event cannot slip past it.
        await using var gate = TcpGate.To(redis.Port);
        using var subscriber = await RevisionSubscriber.ConnectAsync(redis.ConnectionString);
        await using var database = await postgres.CreateDatabaseAsync("publish_outage", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var first = await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, gate.Address, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        await subscriber.WaitForAsync(first);
        gate.Close();
        var during = await repository.CommitAsync("during the outage", ("q/.claude-plugin/plugin.json", PluginGitRepository.Manifest("q")));
        await repository.PushAsync();

        Assert.Equal([during], (await host.SyncAsync()).Stored);
        Assert.Equal(1, await PendingAsync(host));
        Assert.DoesNotContain(subscriber.Received, e => e.RevisionId == during);
        gate.Open();

        var published = await subscriber.WaitForAsync(during);
        Assert.Equal(RevisionStatus.Valid, published.Status);
        await WaitUntilNothingPendingAsync(host);
    }

    [Fact]
    public async Task Restart_WithEventsPendingWhileRedisIsDown_KeepsEveryRevisionAndPublishesThePendingEventsFromTheNewHost()
    {
        await using var gate = TcpGate.To(redis.Port);
        using var subscriber = await RevisionSubscriber.ConnectAsync(redis.ConnectionString);
        await using var database = await postgres.CreateDatabaseAsync("publish_restart", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var first = await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        string second, third;
        await using (var host = ConfigStoreHost.Start(database.ConnectionString, gate.Address, repository.Url, repository.WorkFolder))
        {
            await host.SyncAsync();
            await subscriber.WaitForAsync(first);
            gate.Close();
            second = await repository.CommitAsync("second", ("q/.claude-plugin/plugin.json", PluginGitRepository.Manifest("q")));
            third = await repository.CommitAsync("third", ("r/.claude-plugin/plugin.json", PluginGitRepository.Manifest("r")));
            await repository.PushAsync();
            Assert.Equal([second, third], (await host.SyncAsync()).Stored);
            Assert.Equal(2, await PendingAsync(host));
        }

        await using var restarted = ConfigStoreHost.Start(database.ConnectionString, gate.Address, repository.Url, repository.WorkFolder);
        var resync = await restarted.SyncAsync();

        Assert.Empty(resync.Stored);
        var stored = await restarted.GetAsync<List<RevisionSummary>>("/api/revisions");
        Assert.Equal([third, second, first], stored.Select(r => r.Id));
        Assert.Equal(third, (await restarted.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
        Assert.Equal(2, await PendingAsync(restarted));
        Assert.DoesNotContain(subscriber.Received, e => e.RevisionId == second || e.RevisionId == third);
        gate.Open();

        await subscriber.WaitForAsync(second);
        await subscriber.WaitForAsync(third);
        await WaitUntilNothingPendingAsync(restarted);
        Assert.Equal(3, await restarted.CountAsync("SELECT count(*) FROM audit_log WHERE type = 'sync'"));
    }

    private static Task<long> PendingAsync(ConfigStoreHost host) =>
        host.CountAsync("SELECT count(*) FROM revision_outbox WHERE published_at IS NULL");

    private static Task WaitUntilNothingPendingAsync(ConfigStoreHost host) =>
        Eventually.Until(
            async () => await PendingAsync(host) == 0,
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "every outbox row is published", TestContext.Current.CancellationToken);
}
