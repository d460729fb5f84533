using System.Net;
using System.Net.Http.Json;
using Evergreen.Contracts.Proposals;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Proposals;

public sealed class ProposalReviewTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Get_Proposal_ShowsAUnifiedDiffOfTheChange()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_diff");
        var proposal = await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker()));

        var details = await testbed.Host.GetAsync<ProposalDetails>($"/api/proposals/{proposal.Id}");

        Assert.Equal(proposal with { Paths = [], CreatedAt = default }, details.Proposal with { Paths = [], CreatedAt = default });
        Assert.Equal(proposal.CreatedAt, details.Proposal.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal([ProposalTestbed.AgentFile], details.Proposal.Paths);
        var lines = details.Diff.Split('\n');
        Assert.Contains($"diff --git a/{ProposalTestbed.AgentFile} b/{ProposalTestbed.AgentFile}", lines);
        Assert.Contains($"--- a/{ProposalTestbed.AgentFile}", lines);
        Assert.Contains($"+++ b/{ProposalTestbed.AgentFile}", lines);
        Assert.Contains("-You are checker.", lines);
        Assert.Contains("+You are a better checker.", lines);
        Assert.Contains(lines, l => l.StartsWith("@@ ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reject_PendingProposal_RecordsTheReasonAndTheListFiltersByStatus()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_reject");
        var first = await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker("First.")));
        var second = await testbed.ProposeOkAsync(ProposalTestbed.Change("reviewer/docs/guide.md", "# Guide, by the agent\n"));
        var head = await testbed.RemoteHeadAsync();

        using (var noReason = await testbed.PostAdminAsync($"/api/proposals/{first.Id}/reject", new ProposalRejection()))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }

        using var response = await testbed.PostAdminAsync($"/api/proposals/{first.Id}/reject", new ProposalRejection { Reason = "Too vague." });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var rejected = (await response.Content.ReadFromJsonAsync<ProposalSummary>(ProposalTestbed.Json, TestContext.Current.CancellationToken))!;

        Assert.Equal((ProposalStatus.Rejected, "Too vague.", "admin"), (rejected.Status, rejected.RejectionReason, rejected.DecidedBy));
        Assert.NotNull(rejected.DecidedAt);
        using (var rejectAgain = await testbed.PostAdminAsync($"/api/proposals/{first.Id}/reject", new ProposalRejection { Reason = "Again." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, rejectAgain.StatusCode);
        }

        using (var approveRejected = await testbed.PostAdminAsync($"/api/proposals/{first.Id}/approve"))
        {
            Assert.Equal(HttpStatusCode.Conflict, approveRejected.StatusCode);
        }

        using (var unknown = await testbed.PostAdminAsync("/api/proposals/nope/reject", new ProposalRejection { Reason = "?" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        Assert.Equal(head, await testbed.RemoteHeadAsync());
        Assert.Equal(2, (await testbed.RemoteProposalBranchesAsync()).Count);
        Assert.Equal([second.Id], (await testbed.Host.GetAsync<List<ProposalSummary>>("/api/proposals?status=pending")).Select(p => p.Id));
        Assert.Equal([first.Id], (await testbed.Host.GetAsync<List<ProposalSummary>>("/api/proposals?status=rejected")).Select(p => p.Id));
        Assert.Empty(await testbed.Host.GetAsync<List<ProposalSummary>>("/api/proposals?status=merged"));
        Assert.Equal([second.Id, first.Id], (await testbed.Host.GetAsync<List<ProposalSummary>>("/api/proposals")).Select(p => p.Id));
        using (var bad = await testbed.Host.Client.GetAsync(new Uri("/api/proposals?status=open", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        Assert.Equal(1, await testbed.Host.CountAsync($"SELECT count(*) FROM audit_log WHERE type = 'proposal-rejected' AND detail->>'reason' = 'Too vague.'"));
    }

    [Fact]
    public async Task List_WithoutTheAdminToken_Answers401()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_list_auth");
        using var client = testbed.Host.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Revisions.ConfigStoreHost.RuntimeToken);

        using var response = await client.GetAsync(new Uri("/api/proposals", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
