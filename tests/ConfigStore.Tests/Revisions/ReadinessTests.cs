using System.Net;
using System.Text.Json;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Revisions;

public sealed class ReadinessTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Ready_BeforeTheFirstSyncCompleted_Answers503UntilItDoes()
    {
        await using var database = await postgres.CreateDatabaseAsync("ready_first_sync", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        // The repository ConfigStore tracks does not exist yet, so its first sync cannot complete.
        var later = Path.Combine(repository.WorkFolder + "-remote", "plugins.git");
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, later, repository.WorkFolder);

        await Eventually.Until(
            async () => (await ReadinessAsync(host)).FirstSync is { } check && check.Contains("last attempt failed", StringComparison.Ordinal),
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "the first sync failed", TestContext.Current.CancellationToken);
        var before = await ReadinessAsync(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.Status);

        Directory.CreateDirectory(later);
        await repository.Clone.GitAsync(["init", "--quiet", "--bare", later], TestContext.Current.CancellationToken).DefaultTimeout();
        await repository.Clone.PushAsync(remote: later, branch: "HEAD:refs/heads/main", ct: TestContext.Current.CancellationToken).DefaultTimeout();
        await host.SyncAsync();

        // The repository check caches its answer for a few seconds; the first-sync check flips at once.
        Assert.StartsWith("Healthy", (await ReadinessAsync(host)).FirstSync, StringComparison.Ordinal);
        await Eventually.Until(
            async () => (await ReadinessAsync(host)).Status == HttpStatusCode.OK,
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "ConfigStore is ready", TestContext.Current.CancellationToken);
        PluginGitRepository.DeleteQuietly(repository.WorkFolder + "-remote");
    }

    /// <returns>The status code and the first-sync check as "Status: description".</returns>
    private static async Task<(HttpStatusCode Status, string? FirstSync)> ReadinessAsync(ConfigStoreHost host)
    {
        using var client = host.CreateAnonymousClient();
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken).DefaultTimeout();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var check = body.RootElement.GetProperty("checks").TryGetProperty("first-sync", out var entry)
            ? $"{entry.GetProperty("status").GetString()}: {entry.GetProperty("description").GetString()}"
            : null;
        return (response.StatusCode, check);
    }
}
