using Evergreen.Contracts.Revisions;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Revisions;

public sealed class RevisionSyncTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Sync_ThreeCommitsPushedAtOnce_StoresThreeRevisionsInOrderWithParents()
    {
        await using var database = await postgres.CreateDatabaseAsync("sync_three", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var first = await repository.CommitAsync("add reviewer", ("reviewer/.claude-plugin/plugin.json", PluginGitRepository.Manifest("reviewer")));
        var second = await repository.CommitAsync("add agent", ("reviewer/agents/checker.md", PluginGitRepository.Agent("checker")));
        var third = await repository.CommitAsync("add writer", ("writer/.claude-plugin/plugin.json", PluginGitRepository.Manifest("writer")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);

        var result = await host.SyncAsync();

        // The start-up sync may have stored them already; either way exactly these three exist, newest first.
        var revisions = await host.GetAsync<List<RevisionSummary>>("/api/revisions");
        Assert.Equal(third, result.Head);
        Assert.Equal([third, second, first], revisions.Select(r => r.Id));
        Assert.Equal([second, first, null], revisions.Select(r => r.ParentId));
        Assert.Equal([2, 1, 1], revisions.Select(r => r.PluginCount));
        Assert.All(revisions, r => Assert.Equal(RevisionStatus.Valid, r.Status));
        Assert.Equal("add writer\n", revisions[0].Message);
    }

    [Fact]
    public async Task Sync_InvalidCommit_StoresItInvalidWithErrorsAndKeepsLatestAtTheLastValid()
    {
        await using var database = await postgres.CreateDatabaseAsync("sync_invalid", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var valid = await repository.CommitAsync("one plugin", ("one/.claude-plugin/plugin.json", PluginGitRepository.Manifest("same")));
        var invalid = await repository.CommitAsync("a second plugin with the same name", ("two/.claude-plugin/plugin.json", PluginGitRepository.Manifest("same")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);

        await host.SyncAsync();

        var details = await host.GetAsync<RevisionDetails>($"/api/revisions/{invalid}");
        Assert.Equal(RevisionStatus.Invalid, details.Revision.Status);
        Assert.Contains(details.Diagnostics, d => d is { Severity: "error", Code: "duplicate-name", File: "two/.claude-plugin/plugin.json" });
        Assert.Equal(valid, (await host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
        Assert.Equal(1, await host.CountAsync($"SELECT count(*) FROM audit_log WHERE type = 'validation-failed' AND revision_id = '{invalid}'"));
        Assert.Equal(1, await host.CountAsync($"SELECT count(*) FROM audit_log WHERE type = 'sync' AND revision_id = '{valid}'"));
    }

    [Fact]
    public async Task Sync_SameContentTwice_StoresTheContentOnceAndResyncChangesNothing()
    {
        await using var database = await postgres.CreateDatabaseAsync("sync_dedup", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")), ("p/agents/a.md", PluginGitRepository.Agent("a")));
        await repository.CommitAsync("copy", ("p/agents/copy.md", PluginGitRepository.Agent("a")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        var again = await host.SyncAsync();

        Assert.Empty(again.Stored);
        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM revisions"));
        Assert.Equal(2 + 3, await host.CountAsync("SELECT count(*) FROM revision_files"));
        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM file_contents"));
        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM revision_outbox"));
        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task Start_NewHostOverTheSameDatabase_LosesNothingAndResyncsNothing()
    {
        await using var database = await postgres.CreateDatabaseAsync("sync_restart", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var first = await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        var second = await repository.CommitAsync("second", ("p/agents/a.md", PluginGitRepository.Agent("a")));
        await repository.PushAsync();
        await using (var before = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder))
        {
            await before.SyncAsync();
            await Eventually.Until(
                async () => await before.CountAsync("SELECT count(*) FROM revision_outbox WHERE published_at IS NULL") == 0,
                TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "the first host published its events", TestContext.Current.CancellationToken);
        }

        // A fresh work folder too: the new host re-fetches everything, yet stores nothing twice.
        var third = await repository.CommitAsync("third", ("p/agents/b.md", PluginGitRepository.Agent("b")));
        await repository.PushAsync();
        await using var after = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder + "-after");
        try
        {
            await after.SyncAsync();

            var revisions = await after.GetAsync<List<RevisionSummary>>("/api/revisions");
            Assert.Equal([third, second, first], revisions.Select(r => r.Id));
            Assert.Equal(second, revisions[0].ParentId);
            Assert.Equal(3, await after.CountAsync("SELECT count(*) FROM revision_outbox"));
            Assert.Equal(3, await after.CountAsync("SELECT count(*) FROM audit_log"));
            Assert.Empty((await after.SyncAsync()).Stored);
        }
        finally
        {
            PluginGitRepository.DeleteQuietly(repository.WorkFolder + "-after");
        }
    }

    [Fact]
    public async Task Start_WithPollInterval_SyncsAPushWithoutBeingAsked()
    {
        await using var database = await postgres.CreateDatabaseAsync("sync_poll", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(
            database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder, pollInterval: TimeSpan.FromMilliseconds(200));
        var pushed = await repository.CommitAsync("second", ("p/agents/a.md", PluginGitRepository.Agent("a")));
        await repository.PushAsync();

        await Eventually.Until(
            async () => (await host.GetAsync<List<RevisionSummary>>("/api/revisions")).FirstOrDefault()?.Id == pushed,
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "the poll stored the pushed commit", TestContext.Current.CancellationToken);
    }
}
