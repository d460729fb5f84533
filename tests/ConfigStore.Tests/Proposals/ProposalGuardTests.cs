using System.Net;
using System.Text.Json;
using Evergreen.ConfigStore.Tests.Revisions;
using Evergreen.Contracts.Proposals;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Proposals;

public sealed class ProposalGuardTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Create_EveryRefusedProposal_AnswersItsStatusAndLeavesNoBranchRowOrAuditBehind()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_guards",
            new Dictionary<string, string> { ["ConfigStore:Proposals:MaxTotalBytes"] = (MiB + MiB / 2).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var good = ProposalTestbed.BetterChecker();
        var cases = new (string Name, ProposalRequest Request, string? Token, HttpStatusCode Status, string Mentions)[]
        {
            ("no token", ProposalTestbed.Change(ProposalTestbed.AgentFile, good), null, HttpStatusCode.Unauthorized, "Authorization: Bearer"),
            ("wrong token", ProposalTestbed.Change(ProposalTestbed.AgentFile, good), "not-the-token", HttpStatusCode.Unauthorized, "neither"),
            ("content and delete", ProposalTestbed.Change(ProposalTestbed.AgentFile, good) with
            {
                Files = [new ProposedFile { Path = ProposalTestbed.AgentFile, Content = good, Delete = true }],
            }, ConfigStoreHost.RuntimeToken, HttpStatusCode.BadRequest, "files[0]"),
            ("unknown agent", ProposalTestbed.Change(ProposalTestbed.AgentFile, good, agent: "reviewer:nobody"), ConfigStoreHost.RuntimeToken, HttpStatusCode.NotFound, "reviewer:nobody"),
            ("traversal", ProposalTestbed.Change("reviewer/../writer/agents/scribe.md", good), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "'..'"),
            ("traversal out of the repository", ProposalTestbed.Change("reviewer/agents/../../../outside.md", good), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "'..'"),
            ("absolute path", ProposalTestbed.Change("/etc/passwd", good), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "absolute"),
            ("symbolic link on the way", ProposalTestbed.Change("reviewer/notes/new.md", "# New\n"), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "symbolic link 'reviewer/notes'"),
            ("symbolic link itself", ProposalTestbed.Change("reviewer/notes", "elsewhere"), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "symbolic link"),
            ("another plugin", ProposalTestbed.Change("writer/agents/scribe.md", PluginGitRepository.Agent("scribe") + "more\n"), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "plugin 'writer'"),
            ("outside every plugin", ProposalTestbed.Change("README.md", "# Hi\n"), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "outside the plugin folder"),
            (".git", ProposalTestbed.Change("reviewer/.git/config", "[core]\n"), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, ".git"),
            ("forbidden path before size", ProposalTestbed.Change("writer/agents/huge.md", new string('x', MiB + 1)), ConfigStoreHost.RuntimeToken, HttpStatusCode.Forbidden, "plugin 'writer'"),
            ("file over 1 MiB", ProposalTestbed.Change("reviewer/agents/huge.md", new string('x', MiB + 1)), ConfigStoreHost.RuntimeToken, HttpStatusCode.RequestEntityTooLarge, $"at most {MiB} bytes"),
            ("total over the limit", ProposalTestbed.Change("reviewer/docs/a.md", new string('a', MiB - 10)) with
            {
                Files =
                [
                    new ProposedFile { Path = "reviewer/docs/a.md", Content = new string('a', MiB - 10) },
                    new ProposedFile { Path = "reviewer/docs/b.md", Content = new string('b', MiB - 10) },
                ],
            }, ConfigStoreHost.RuntimeToken, HttpStatusCode.RequestEntityTooLarge, "Split it"),
            ("invalid result", ProposalTestbed.Change("reviewer/agents/copy.md", ProposalTestbed.BetterChecker()), ConfigStoreHost.RuntimeToken, HttpStatusCode.UnprocessableEntity, "duplicate-name"),
            ("delete a missing file", ProposalTestbed.Change("reviewer/agents/none.md", "x") with
            {
                Files = [new ProposedFile { Path = "reviewer/agents/none.md", Delete = true }],
            }, ConfigStoreHost.RuntimeToken, HttpStatusCode.UnprocessableEntity, "no such file"),
        };

        foreach (var (name, request, token, status, mentions) in cases)
        {
            using var response = await testbed.ProposeAsync(request, token);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == status, $"{name}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(body.Contains(mentions, StringComparison.Ordinal), $"{name}: the problem does not mention '{mentions}': {body}");
        }

        Assert.Empty(await testbed.RemoteProposalBranchesAsync());
        Assert.Equal(0, await testbed.Host.CountAsync("SELECT count(*) FROM proposals"));
        Assert.Equal(0, await testbed.Host.CountAsync("SELECT count(*) FROM audit_log WHERE type LIKE 'proposal-%'"));
    }

    [Fact]
    public async Task Create_InvalidResult_Answers422WithTheLoaderErrors()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_invalid");

        using var response = await testbed.ProposeAsync(ProposalTestbed.Change("reviewer/agents/copy.md", ProposalTestbed.BetterChecker()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("code").GetString() == "duplicate-name");
        Assert.Empty(await testbed.RemoteProposalBranchesAsync());
    }

    [Fact]
    public async Task Create_OverTheAgentsHourlyLimit_Answers429WithRetryAfterAndPushesNoThirdBranch()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_rate",
            new Dictionary<string, string> { ["ConfigStore:Proposals:RateLimits:reviewer:checker"] = "2" });
        await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker("First.")));
        await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker("Second.")));

        using var response = await testbed.ProposeAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker("Third.")));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        Assert.Contains("limit is 2", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(2, (await testbed.RemoteProposalBranchesAsync()).Count);
        Assert.Equal(2, await testbed.Host.CountAsync("SELECT count(*) FROM proposals"));
        Assert.Equal(2, await testbed.Host.CountAsync("SELECT count(*) FROM audit_log WHERE type = 'proposal-created'"));
    }
}
