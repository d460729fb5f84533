using System.Diagnostics;
using Evergreen.ConfigStore.Tests.Revisions;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.WorkingTree;

public sealed class WorkingTreeWatchTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    // The promise: a saved file is a revision within 2 s (500 ms debounce + commit + sync). The wait allows more, so a
    // loaded CI machine does not fail the run; the time it took is asserted separately with the same margin.
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Edit_InTheWatchedWorkingTree_BecomesARevisionWithTheChange()
    {
        await using var tree = await WatchedTree.StartAsync(postgres, redis, "watch_edit");
        var before = await tree.Host.GetAsync<RevisionSummary>("/api/revisions/latest");
        var content = PluginGitRepository.Agent("helper") + "\nNow with a better prompt.\n";
        var clock = Stopwatch.StartNew();

        tree.Repository.WriteFile("p/agents/helper.md", content);

        var latest = await tree.WaitForNewRevisionAsync(before.Id);
        clock.Stop();
        Assert.Equal(("Evergreen ConfigStore", before.Id), (latest.Author, latest.ParentId));
        var stored = await tree.Host.Client.GetStringAsync(new Uri($"/api/revisions/{latest.Id}/files/p/agents/helper.md", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(content, stored);
        Assert.Equal(latest.Id, await tree.Repository.GitAsync(["rev-parse", "HEAD"], TestContext.Current.CancellationToken));
        Assert.True(clock.Elapsed < Promise + Promise, $"The edit took {clock.Elapsed.TotalMilliseconds:0} ms to become a revision (promised: {Promise.TotalSeconds} s).");
    }

    [Fact]
    public async Task Edits_InABurst_BecomeOneCommitAndIgnoreTheGitFolder()
    {
        await using var tree = await WatchedTree.StartAsync(postgres, redis, "watch_burst");
        var before = await tree.Host.GetAsync<RevisionSummary>("/api/revisions/latest");
        var commitsBefore = int.Parse(await tree.Repository.GitAsync(["rev-list", "--count", "HEAD"], TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 10; i++)
        {
            tree.Repository.WriteFile($"p/agents/agent{i}.md", PluginGitRepository.Agent($"agent{i}"));
        }

        tree.Repository.DeleteFile("p/agents/helper.md");
        var latest = await tree.WaitForNewRevisionAsync(before.Id);

        var details = await tree.Host.GetAsync<RevisionDetails>($"/api/revisions/{latest.Id}");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"p/agents/agent{i}.md").Order(StringComparer.Ordinal), details.Changes.Added);
        Assert.Equal(["p/agents/helper.md"], details.Changes.Removed);
        var commitsAfter = int.Parse(await tree.Repository.GitAsync(["rev-list", "--count", "HEAD"], TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(commitsBefore + 1, commitsAfter);
        Assert.Equal(2, (await tree.Host.GetAsync<List<RevisionSummary>>("/api/revisions")).Count);
    }

    private sealed class WatchedTree : IAsyncDisposable
    {
        private readonly PostgresDatabase _database;
        private readonly string _workFolder;

        private WatchedTree(PostgresDatabase database, TempGitRepository repository, ConfigStoreHost host, string workFolder)
        {
            _database = database;
            Repository = repository;
            Host = host;
            _workFolder = workFolder;
        }

        public TempGitRepository Repository { get; }

        public ConfigStoreHost Host { get; }

        /// <summary>A working tree with one committed plugin, watched by a ConfigStore that has synced it.</summary>
        public static async Task<WatchedTree> StartAsync(PostgresServerFixture postgres, RedisServerFixture redis, string name)
        {
            var database = await postgres.CreateDatabaseAsync(name, TestContext.Current.CancellationToken);
            var repository = await TempGitRepository.CreateAsync(ct: TestContext.Current.CancellationToken).DefaultTimeout();
            repository.WriteFile("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p"));
            repository.WriteFile("p/agents/helper.md", PluginGitRepository.Agent("helper"));
            var first = await repository.CommitAsync("first", ct: TestContext.Current.CancellationToken).DefaultTimeout();
            var workFolder = Path.Combine(Path.GetTempPath(), $"evergreen-configstore-test-{Guid.NewGuid():N}");
            var host = ConfigStoreHost.Start(
                database.ConnectionString, redis.ConnectionString, repositoryUrl: null, workFolder,
                settings: new Dictionary<string, string> { ["ConfigStore:Repository:WatchWorkingTree"] = repository.Path });
            var tree = new WatchedTree(database, repository, host, workFolder);
            await Eventually.Until(
                async () => (await host.Client.GetAsync(new Uri("/api/revisions/latest", UriKind.Relative), TestContext.Current.CancellationToken)).IsSuccessStatusCode,
                TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "the first commit is a revision", TestContext.Current.CancellationToken);
            Assert.Equal(first, (await host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
            return tree;
        }

        public async Task<RevisionSummary> WaitForNewRevisionAsync(string previous)
        {
            RevisionSummary? latest = null;
            await Eventually.Until(
                async () => (latest = await Host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id != previous,
                TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "the edit is a revision", TestContext.Current.CancellationToken);
            return latest!;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Repository.DisposeAsync();
            PluginGitRepository.DeleteQuietly(_workFolder);
            await _database.DisposeAsync();
        }
    }
}
