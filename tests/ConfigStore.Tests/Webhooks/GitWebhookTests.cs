using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Evergreen.ConfigStore.Tests.Revisions;
using Evergreen.Contracts.Revisions;
using Evergreen.Contracts.Webhooks;
using Evergreen.Testing;
using Microsoft.AspNetCore.Mvc;

namespace Evergreen.ConfigStore.Tests.Webhooks;

public sealed class GitWebhookTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private const string Secret = "webhook-test-secret";

    [Fact]
    public async Task Push_ToTrackedBranchWithGoodSignature_SyncsThePushedCommit()
    {
        await using var fixture = await Fixture.StartAsync(postgres, redis, "webhook_push");
        var pushed = await fixture.PushNewCommitAsync("refs/heads/main");

        using var response = await fixture.SendAsync("push", PushPayload("refs/heads/main", pushed), Sign(PushPayload("refs/heads/main", pushed)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<GitWebhookResult>(TestContext.Current.CancellationToken);
        Assert.Equal((GitWebhookActions.Synced, "refs/heads/main"), (result!.Action, result.Ref));
        Assert.Equal([pushed], result.Sync!.Stored);
        Assert.Equal(pushed, (await fixture.Host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
    }

    [Fact]
    public async Task Push_WithWrongSignature_Answers401AndSyncsNothing()
    {
        await using var fixture = await Fixture.StartAsync(postgres, redis, "webhook_bad");
        var pushed = await fixture.PushNewCommitAsync("refs/heads/main");
        var payload = PushPayload("refs/heads/main", pushed);

        using var wrongSecret = await fixture.SendAsync("push", payload, Sign(payload, "another-secret"));
        using var tampered = await fixture.SendAsync("push", payload.Replace(pushed, new string('0', 40), StringComparison.Ordinal), Sign(payload));
        using var notHex = await fixture.SendAsync("push", payload, "sha256=not-a-digest");

        foreach (var response in new[] { wrongSecret, tampered, notHex })
        {
            var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Contains("does not match", problem.Detail, StringComparison.Ordinal);
        }

        await fixture.AssertNotStoredAsync(pushed);
    }

    [Fact]
    public async Task Push_WithoutSignature_Answers401NamingTheHeader()
    {
        await using var fixture = await Fixture.StartAsync(postgres, redis, "webhook_missing");
        var pushed = await fixture.PushNewCommitAsync("refs/heads/main");

        using var response = await fixture.SendAsync("push", PushPayload("refs/heads/main", pushed), signature: null);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Hub-Signature-256 is missing", problem.Detail, StringComparison.Ordinal);
        await fixture.AssertNotStoredAsync(pushed);
    }

    [Fact]
    public async Task Push_ToAnotherBranch_IsAcknowledgedAndStartsNoSync()
    {
        await using var fixture = await Fixture.StartAsync(postgres, redis, "webhook_other");
        // The commit is on main too, so only a sync that did not happen keeps it out of the revisions.
        var pushed = await fixture.PushNewCommitAsync("refs/heads/main");
        await fixture.Repository.Clone.PushAsync(branch: "HEAD:refs/heads/feature", ct: TestContext.Current.CancellationToken).DefaultTimeout();
        var payload = PushPayload("refs/heads/feature", pushed);

        using var response = await fixture.SendAsync("push", payload, Sign(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<GitWebhookResult>(TestContext.Current.CancellationToken);
        Assert.Equal((GitWebhookActions.Ignored, "refs/heads/feature"), (result!.Action, result.Ref));
        Assert.Contains("refs/heads/main", result.Reason, StringComparison.Ordinal);
        await fixture.AssertNotStoredAsync(pushed);
    }

    [Fact]
    public async Task Ping_WithGoodSignature_AnswersPong()
    {
        await using var fixture = await Fixture.StartAsync(postgres, redis, "webhook_ping");
        const string payload = """{"zen":"Keep it logically awesome.","hook_id":1}""";

        using var response = await fixture.SendAsync("ping", payload, Sign(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GitWebhookActions.Pong, (await response.Content.ReadFromJsonAsync<GitWebhookResult>(TestContext.Current.CancellationToken))!.Action);
    }

    [Fact]
    public async Task Push_MalformedJsonWithGoodSignature_Answers400()
    {
        await using var fixture = await Fixture.StartAsync(postgres, redis, "webhook_malformed");
        const string payload = """{"ref": "refs/heads/main", """;

        using var response = await fixture.SendAsync("push", payload, Sign(payload));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("body: not valid JSON", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_WhenNoSecretIsConfigured_Answers503AndSyncsNothing()
    {
        await using var fixture = await Fixture.StartAsync(postgres, redis, "webhook_unconfigured", secret: null);
        var pushed = await fixture.PushNewCommitAsync("refs/heads/main");
        var payload = PushPayload("refs/heads/main", pushed);

        using var response = await fixture.SendAsync("push", payload, Sign(payload));

        var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("ConfigStore:Repository:WebhookSecret is not set", problem.Detail, StringComparison.Ordinal);
        await fixture.AssertNotStoredAsync(pushed);
    }

    private static string PushPayload(string pushedRef, string after) =>
        $$"""{"ref":"{{pushedRef}}","before":"{{new string('0', 40)}}","after":"{{after}}","repository":{"full_name":"acme/plugins"},"pusher":{"name":"dev"},"commits":[{"id":"{{after}}","message":"edit"}]}""";

    private static string Sign(string payload, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));

    private static async Task<ProblemDetails> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken))!;
    }

    private sealed class Fixture : IAsyncDisposable
    {
        private Fixture(PostgresDatabase database, PluginGitRepository repository, ConfigStoreHost host)
        {
            Database = database;
            Repository = repository;
            Host = host;
        }

        public PostgresDatabase Database { get; }

        public PluginGitRepository Repository { get; }

        public ConfigStoreHost Host { get; }

        /// <summary>A ConfigStore that has synced a first commit and polls only once an hour, so only the webhook syncs.</summary>
        public static async Task<Fixture> StartAsync(PostgresServerFixture postgres, RedisServerFixture redis, string name, string? secret = Secret)
        {
            var database = await postgres.CreateDatabaseAsync(name, TestContext.Current.CancellationToken);
            var repository = await PluginGitRepository.CreateAsync();
            await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
            await repository.PushAsync();
            var settings = secret is null ? null : new Dictionary<string, string> { ["ConfigStore:Repository:WebhookSecret"] = secret };
            var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder, settings: settings);
            await host.SyncAsync();
            return new Fixture(database, repository, host);
        }

        public async Task<string> PushNewCommitAsync(string branch)
        {
            var commit = await Repository.CommitAsync("pushed", ("q/agents/helper.md", PluginGitRepository.Agent("helper")));
            await Repository.Clone.PushAsync(branch: $"HEAD:{branch}", ct: TestContext.Current.CancellationToken).DefaultTimeout();
            return commit;
        }

        public async Task<HttpResponseMessage> SendAsync(string eventName, string payload, string? signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/webhooks/git", UriKind.Relative))
            {
                Content = new StringContent(payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-GitHub-Event", eventName);
            request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
            if (signature is not null)
            {
                request.Headers.Add("X-Hub-Signature-256", signature);
            }

            // No admin token: a git host has none.
            request.Headers.Authorization = null;
            using var client = Host.CreateAnonymousClient();
            return await client.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();
        }

        public async Task AssertNotStoredAsync(string commit)
        {
            using var client = Host.CreateAnonymousClient();
            using var response = await client.GetAsync(new Uri($"/api/revisions/{commit}", UriKind.Relative), TestContext.Current.CancellationToken).DefaultTimeout();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Repository.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
