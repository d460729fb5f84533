using System.Net;
using System.Net.Http.Json;
using Evergreen.Contracts.Audit;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;
using Microsoft.AspNetCore.Mvc;

namespace Evergreen.ConfigStore.Tests.Revisions;

public sealed class RevisionStatusTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task ChangeStatus_RollBackTheLatest_LatestSkipsItUntilReinstated()
    {
        await using var database = await postgres.CreateDatabaseAsync("status_rollback", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        using var subscriber = await RevisionSubscriber.ConnectAsync(redis.ConnectionString);
        var stable = await repository.CommitAsync("stable", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        var candidate = await repository.CommitAsync("candidate", ("p/agents/helper.md", PluginGitRepository.Agent("helper")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        Assert.Equal(candidate, (await host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);

        using var rollBack = await PutStatusAsync(host.Client, candidate, new RevisionStatusChange { Status = RevisionStatus.RolledBack, Reason = "p99 gate failed" });

        Assert.Equal(HttpStatusCode.OK, rollBack.StatusCode);
        Assert.Equal(RevisionStatus.RolledBack, (await rollBack.Content.ReadFromJsonAsync<RevisionSummary>(TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(stable, (await host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
        Assert.Equal(RevisionStatus.RolledBack, (await subscriber.WaitForAsync(candidate, RevisionStatus.RolledBack)).Status);
        var audit = Assert.Single(await host.GetAsync<List<AuditEntry>>($"/api/audit?type={AuditEntryTypes.RevisionStatusChanged}"));
        Assert.Equal((candidate, "admin"), (audit.RevisionId, audit.Actor));
        Assert.Equal(
            (RevisionStatus.Valid, RevisionStatus.RolledBack, "p99 gate failed"),
            (audit.Detail.GetProperty("from").GetString(), audit.Detail.GetProperty("to").GetString(), audit.Detail.GetProperty("reason").GetString()));

        using var reinstate = await PutStatusAsync(host.Client, candidate, new RevisionStatusChange { Status = RevisionStatus.Valid });

        Assert.Equal(HttpStatusCode.OK, reinstate.StatusCode);
        Assert.Equal(candidate, (await host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
        Assert.Equal(2, (await host.GetAsync<List<AuditEntry>>($"/api/audit?type={AuditEntryTypes.RevisionStatusChanged}")).Count);
    }

    [Fact]
    public async Task ChangeStatus_WithoutAdminToken_Answers401AndChangesNothing()
    {
        await using var database = await postgres.CreateDatabaseAsync("status_unauthorized", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var only = await repository.CommitAsync("only", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        using var anonymous = host.CreateAnonymousClient();

        using var response = await PutStatusAsync(anonymous, only, new RevisionStatusChange { Status = RevisionStatus.RolledBack });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(only, (await host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM audit_log WHERE type = 'revision-status-changed'"));
    }

    [Fact]
    public async Task ChangeStatus_InvalidRevisionToValid_Answers409AndKeepsItInvalid()
    {
        await using var database = await postgres.CreateDatabaseAsync("status_invalid", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await repository.CommitAsync("one", ("one/.claude-plugin/plugin.json", PluginGitRepository.Manifest("same")));
        var invalid = await repository.CommitAsync("a second plugin with the same name", ("two/.claude-plugin/plugin.json", PluginGitRepository.Manifest("same")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        using var toValid = await PutStatusAsync(host.Client, invalid, new RevisionStatusChange { Status = RevisionStatus.Valid });
        using var toRolledBack = await PutStatusAsync(host.Client, invalid, new RevisionStatusChange { Status = RevisionStatus.RolledBack });

        foreach (var response in new[] { toValid, toRolledBack })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
            Assert.Contains("failed validation", problem!.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(RevisionStatus.Invalid, (await host.GetAsync<RevisionDetails>($"/api/revisions/{invalid}")).Revision.Status);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM audit_log WHERE type = 'revision-status-changed'"));
    }

    [Theory]
    [InlineData("""{"status":"invalid"}""", "status: 'invalid' is set only by validation")]
    [InlineData("""{"status":"deleted"}""", "status: 'deleted' is not a status")]
    [InlineData("""{}""", "status: '' is not a status")]
    public async Task ChangeStatus_StatusAnAdminCannotSet_Answers400NamingTheField(string body, string expected)
    {
        await using var database = await postgres.CreateDatabaseAsync("status_bad", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var only = await repository.CommitAsync("only", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        using var response = await host.Client.PutAsync(
            new Uri($"/api/revisions/{only}/status", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, (await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken))!.Detail, StringComparison.Ordinal);
        Assert.Equal(RevisionStatus.Valid, (await host.GetAsync<RevisionSummary>("/api/revisions/latest")).Status);
    }

    private static Task<HttpResponseMessage> PutStatusAsync(HttpClient client, string id, RevisionStatusChange change) =>
        client.PutAsJsonAsync(new Uri($"/api/revisions/{id}/status", UriKind.Relative), change, TestContext.Current.CancellationToken).DefaultTimeout();
}
