using System.Text;
using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Plugins;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Revisions;
using Evergreen.Contracts.Snapshots;
using Evergreen.Testing;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Tests.Revisions;

/// <summary>
/// The sync reuses what it read and built for the previous commit. Whatever it reuses, a stored revision must be exactly
/// what a cold build of its commit gives: the same checksum, the same snapshot bytes, the same diagnostics and files.
/// </summary>
public sealed class IncrementalSyncTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Sync_CommitsOneAtATime_StoresWhatAColdBuildOfEachCommitGives()
    {
        await using var database = await postgres.CreateDatabaseAsync("incremental_cold", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var first = await repository.CommitAsync(
            "two plugins",
            ("alpha/.claude-plugin/plugin.json", PluginGitRepository.Manifest("alpha")),
            ("alpha/agents/reviewer.md", PluginGitRepository.Agent("reviewer")),
            ("alpha/agents/writer.md", PluginGitRepository.Agent("writer")),
            ("beta/.claude-plugin/plugin.json", PluginGitRepository.Manifest("beta")),
            ("beta/agents/checker.md", PluginGitRepository.Agent("checker")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        var edited = await repository.CommitAsync("edit the reviewer", ("alpha/agents/reviewer.md", "---\nname: reviewer\ndescription: Edited.\n---\n\nReview harder.\n"));
        await repository.PushAsync();
        await host.SyncAsync();
        repository.Clone.DeleteFile("alpha/agents/writer.md");
        var deleted = await repository.CommitAsync("remove the writer");
        await repository.PushAsync();
        await host.SyncAsync();
        var duplicate = await repository.CommitAsync("gamma takes beta's name", ("gamma/.claude-plugin/plugin.json", PluginGitRepository.Manifest("beta")));
        await repository.PushAsync();
        await host.SyncAsync();

        foreach (var id in new[] { first, edited, deleted, duplicate })
        {
            await AssertStoredAsColdAsync(host, repository, id);
        }

        var editedDetails = await host.GetAsync<RevisionDetails>($"/api/revisions/{edited}");
        Assert.Equal(["alpha/agents/reviewer.md"], editedDetails.Changes.Modified);
        var reviewer = Assert.Single(Snapshot(await SnapshotAsync(host, edited)).Plugins.Single(p => p.Name == "alpha").Agents, a => a.Name == "reviewer");
        Assert.Equal("Edited.", reviewer.Description);
        Assert.Equal(["alpha/agents/writer.md"], (await host.GetAsync<RevisionDetails>($"/api/revisions/{deleted}")).Changes.Removed);
        Assert.DoesNotContain(Snapshot(await SnapshotAsync(host, deleted)).Plugins.Single(p => p.Name == "alpha").Agents, a => a.Name == "writer");
        using var gone = await host.Client.GetAsync(new Uri($"/api/revisions/{deleted}/files/alpha/agents/writer.md", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(RevisionStatus.Invalid, (await host.GetAsync<RevisionDetails>($"/api/revisions/{duplicate}")).Revision.Status);
    }

    [Fact]
    public async Task Start_NewHostWithEmptyCaches_StoresTheNextCommitAsAColdBuildGivesIt()
    {
        await using var database = await postgres.CreateDatabaseAsync("incremental_restart", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await repository.CommitAsync("plugin", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")), ("p/agents/a.md", PluginGitRepository.Agent("a")));
        await repository.PushAsync();
        await using (var before = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder))
        {
            await before.SyncAsync();
        }

        var next = await repository.CommitAsync("another agent", ("p/agents/b.md", PluginGitRepository.Agent("b")));
        await repository.PushAsync();
        await using var after = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await after.SyncAsync();

        await AssertStoredAsColdAsync(after, repository, next);
        Assert.Equal(2 + 3, await after.CountAsync("SELECT count(*) FROM revision_files"));
        Assert.Equal(3, await after.CountAsync("SELECT count(*) FROM file_contents"));
    }

    [Fact]
    public async Task Sync_StoredContentsRemovedByHand_StoresTheRevisionsAgainWithTheirContents()
    {
        await using var database = await postgres.CreateDatabaseAsync("incremental_removed", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var first = await repository.CommitAsync("plugin", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")), ("p/agents/a.md", PluginGitRepository.Agent("a")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        // The store remembers these contents as stored; an operator wipes them (and the revisions holding them).
        await host.ExecuteAsync("DELETE FROM revisions; DELETE FROM file_contents;");
        var second = await repository.CommitAsync("another agent", ("p/agents/b.md", PluginGitRepository.Agent("b")));
        await repository.PushAsync();
        var result = await host.SyncAsync();

        Assert.Equal([first, second], result.Stored);
        Assert.Equal(3, await host.CountAsync("SELECT count(*) FROM file_contents"));
        Assert.Equal(PluginGitRepository.Agent("a"), Encoding.UTF8.GetString(await host.Client.GetByteArrayAsync(
            new Uri($"/api/revisions/{second}/files/p/agents/a.md", UriKind.Relative), TestContext.Current.CancellationToken)));
        await AssertStoredAsColdAsync(host, repository, second);
    }

    private static async Task AssertStoredAsColdAsync(ConfigStoreHost host, PluginGitRepository repository, string id)
    {
        Assert.True(LibGit2NativeCheck.Check().Ok, LibGit2NativeCheck.Check().Message);
        NewRevision cold;
        using (var mirror = new Repository(repository.Url))
        {
            cold = RevisionFactory.Create(mirror.Lookup<Commit>(id), PluginLoadOptions.Default);
        }

        var details = await host.GetAsync<RevisionDetails>($"/api/revisions/{id}");
        Assert.Equal(cold.Checksum, details.Revision.Checksum);
        Assert.Equal(cold.SnapshotChecksum, details.SnapshotChecksum);
        Assert.Equal(cold.Status, details.Revision.Status);
        Assert.Equal(cold.PluginCount, details.Revision.PluginCount);
        Assert.Equal(cold.DiagnosticsJson, System.Text.Json.JsonSerializer.Serialize(details.Diagnostics, RevisionFactory.Json));
        Assert.Equal(cold.SnapshotJson, await SnapshotAsync(host, id));
        Assert.Equal(
            cold.Files.Select(f => (f.Path, f.Hash)),
            await FilesAsync(host, id));
    }

    private static async Task<string> SnapshotAsync(ConfigStoreHost host, string id) =>
        await host.Client.GetStringAsync(new Uri($"/api/revisions/{id}/snapshot", UriKind.Relative), TestContext.Current.CancellationToken);

    private static CatalogSnapshot Snapshot(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<CatalogSnapshot>(json, RevisionFactory.Json)!;

    private static async Task<List<(string Path, string Hash)>> FilesAsync(ConfigStoreHost host, string id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT path, hash FROM revision_files WHERE revision_id = $1 ORDER BY path COLLATE \"C\"", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        var files = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            files.Add((reader.GetString(0), reader.GetString(1)));
        }

        return files;
    }
}
