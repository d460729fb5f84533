using System.Net;
using System.Net.Http.Json;
using Evergreen.ConfigStore.Tests.Revisions;
using Evergreen.Contracts.Audit;
using Evergreen.Testing;
using Microsoft.AspNetCore.Http;

namespace Evergreen.ConfigStore.Tests.Audit;

public sealed class AuditApiTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Query_WithFilters_ReturnsOnlyMatchingEntriesNewestFirst()
    {
        await using var database = await postgres.CreateDatabaseAsync("audit_query", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var valid = await repository.CommitAsync("valid", ("one/.claude-plugin/plugin.json", PluginGitRepository.Manifest("same")));
        var invalid = await repository.CommitAsync("duplicate", ("two/.claude-plugin/plugin.json", PluginGitRepository.Manifest("same")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        // Rows as the proposals feature writes them, one an hour old.
        await host.ExecuteAsync(
            """
            INSERT INTO audit_log (type, agent, actor, detail, occurred_at) VALUES
              ('proposal-created', 'one:writer', 'one:writer', '{"proposalId": 1}', now() - interval '1 hour'),
              ('proposal-approved', 'one:writer', 'reviewer', '{"proposalId": 1}', now()),
              ('proposal-created', 'two:editor', 'two:editor', '{"proposalId": 2}', now())
            """);

        var all = await host.GetAsync<List<AuditEntry>>("/api/audit");
        var syncs = await host.GetAsync<List<AuditEntry>>("/api/audit?type=sync");
        var failed = await host.GetAsync<List<AuditEntry>>("/api/audit?type=validation-failed");
        var writer = await host.GetAsync<List<AuditEntry>>("/api/audit?agent=one:writer");
        var created = await host.GetAsync<List<AuditEntry>>("/api/audit?type=proposal-created,proposal-approved&agent=one:writer");
        var recent = await host.GetAsync<List<AuditEntry>>($"/api/audit?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-30).ToString("O"))}");
        var future = await host.GetAsync<List<AuditEntry>>("/api/audit?since=2999-01-01T00:00:00Z");
        var one = await host.GetAsync<List<AuditEntry>>("/api/audit?limit=1");

        Assert.Equal(5, all.Count);
        Assert.Equal(all.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id), all.Select(e => e.Id));
        Assert.Equal([valid], syncs.Select(e => e.RevisionId));
        Assert.Equal([invalid], failed.Select(e => e.RevisionId));
        Assert.Equal(["proposal-approved", "proposal-created"], writer.Select(e => e.Type));
        Assert.Equal(["proposal-approved", "proposal-created"], created.Select(e => e.Type));
        Assert.Equal(4, recent.Count);
        Assert.DoesNotContain(recent, e => e.Type == "proposal-created" && e.Agent == "one:writer");
        Assert.Empty(future);
        Assert.Equal(all[0].Id, Assert.Single(one).Id);
        Assert.Equal(1, syncs[0].Detail.GetProperty("pluginCount").GetInt32());
    }

    [Theory]
    [InlineData("since=yesterday", "since", "not a time")]
    [InlineData("limit=0", "limit", "between 1 and 1000")]
    [InlineData("limit=ten", "limit", "between 1 and 1000")]
    public async Task Query_WithBadParameter_Answers400NamingTheField(string query, string field, string expected)
    {
        await using var database = await postgres.CreateDatabaseAsync("audit_bad", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);

        using var response = await host.Client.GetAsync(new Uri($"/api/audit?{query}", UriKind.Relative), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Contains(expected, Assert.Single(problem!.Errors[field]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_WithoutAdminToken_Answers401()
    {
        await using var database = await postgres.CreateDatabaseAsync("audit_unauthorized", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        using var anonymous = host.CreateAnonymousClient();

        using var response = await anonymous.GetAsync(new Uri("/api/audit", UriKind.Relative), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Purge_OnItsTimer_DeletesEntriesOlderThanTheRetentionAndKeepsTheRest()
    {
        await using var database = await postgres.CreateDatabaseAsync("audit_purge", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var settings = new Dictionary<string, string>
        {
            ["ConfigStore:Audit:Retention"] = "1.00:00:00",
            ["ConfigStore:Audit:PurgeInterval"] = "0.2",
        };
        await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder, settings: settings);
        await host.SyncAsync();
        await host.ExecuteAsync(
            """
            INSERT INTO audit_log (type, actor, detail, occurred_at) VALUES
              ('proposal-created', 'old', '{}', now() - interval '2 days'),
              ('proposal-rejected', 'old', '{}', now() - interval '25 hours'),
              ('proposal-created', 'recent', '{}', now() - interval '23 hours'),
              ('proposal-approved', 'recent', '{}', now())
            """);

        await Eventually.Until(
            async () => (await host.GetAsync<List<AuditEntry>>("/api/audit?type=proposal-created,proposal-rejected,proposal-approved")).All(e => e.Actor != "old"),
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, "entries older than a day are purged", TestContext.Current.CancellationToken);

        var left = await host.GetAsync<List<AuditEntry>>("/api/audit");
        Assert.Equal(["proposal-approved", "proposal-created", "sync"], left.Select(e => e.Type).Order(StringComparer.Ordinal));
    }
}
