using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Evergreen.ConfigStore.Tests.Revisions;
using Evergreen.Contracts.Proposals;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Proposals;

public sealed class ProposalApprovalTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Approve_PendingProposal_FastForwardsPushesAndPublishesAValidRevisionWithTheChange()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_approve");
        using var subscriber = await RevisionSubscriber.ConnectAsync(redis.ConnectionString);
        var before = await testbed.RemoteHeadAsync();
        var content = ProposalTestbed.BetterChecker();

        var proposal = await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, content));

        Assert.Matches(@"^improve/reviewer-checker-\d{8}T\d{6}Z$", proposal.Branch);
        Assert.Equal((ProposalStatus.Pending, before, "runtime"), (proposal.Status, proposal.BaseRevisionId, proposal.SubmittedBy));
        Assert.Equal([$"refs/heads/{proposal.Branch}"], await testbed.RemoteProposalBranchesAsync());
        Assert.Equal(proposal.CommitId, await testbed.RemoteHeadAsync(proposal.Branch));
        Assert.Equal(before, await testbed.RemoteHeadAsync());

        using var response = await testbed.PostAdminAsync($"/api/proposals/{proposal.Id}/approve");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var approved = (await response.Content.ReadFromJsonAsync<ProposalApproved>(ProposalTestbed.Json, TestContext.Current.CancellationToken))!;

        Assert.Equal(("fast-forward", proposal.CommitId, RevisionStatus.Valid), (approved.MergeKind, approved.RevisionId, approved.RevisionStatus));
        Assert.Equal(approved.RevisionId, await testbed.RemoteHeadAsync());
        Assert.Equal((ProposalStatus.Merged, approved.RevisionId, "admin"), (approved.Proposal.Status, approved.Proposal.MergedRevisionId, approved.Proposal.DecidedBy));
        var file = await testbed.Host.Client.GetByteArrayAsync(
            new Uri($"/api/revisions/{approved.RevisionId}/files/{ProposalTestbed.AgentFile}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(content, Encoding.UTF8.GetString(file));
        Assert.Equal(approved.RevisionId, (await testbed.Host.GetAsync<RevisionSummary>("/api/revisions/latest")).Id);
        var published = await subscriber.WaitForAsync(approved.RevisionId);
        Assert.Equal(RevisionStatus.Valid, published.Status);
        Assert.Equal(1, await testbed.Host.CountAsync($"SELECT count(*) FROM audit_log WHERE type = 'proposal-created' AND agent = 'reviewer:checker' AND actor = 'runtime'"));
        Assert.Equal(1, await testbed.Host.CountAsync($"SELECT count(*) FROM audit_log WHERE type = 'proposal-approved' AND revision_id = '{approved.RevisionId}' AND actor = 'admin'"));
    }

    [Fact]
    public async Task Approve_TrackedBranchChangedTheSameFile_Answers409WithThePathsAndChangesNothing()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_conflict");
        var proposal = await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker("Proposed line.")));
        await testbed.Repository.CommitAsync("a human edits the agent", (ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker("Human line.")));
        await testbed.Repository.PushAsync();
        var head = await testbed.RemoteHeadAsync();

        using var response = await testbed.PostAdminAsync($"/api/proposals/{proposal.Id}/approve");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal([ProposalTestbed.AgentFile], problem.RootElement.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(head, await testbed.RemoteHeadAsync());
        var details = await testbed.Host.GetAsync<ProposalDetails>($"/api/proposals/{proposal.Id}");
        Assert.Equal(ProposalStatus.Pending, details.Proposal.Status);
        Assert.Equal(0, await testbed.Host.CountAsync("SELECT count(*) FROM audit_log WHERE type = 'proposal-approved'"));
    }

    [Fact]
    public async Task Approve_TrackedBranchChangedAnotherFile_PushesAMergeCommitHoldingBothChanges()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_merge_commit");
        var proposed = ProposalTestbed.BetterChecker();
        var proposal = await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, proposed));
        var human = await testbed.Repository.CommitAsync("a human edits the guide", ("reviewer/docs/guide.md", "# Guide, revised\n"));
        await testbed.Repository.PushAsync();

        using var response = await testbed.PostAdminAsync($"/api/proposals/{proposal.Id}/approve");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var approved = (await response.Content.ReadFromJsonAsync<ProposalApproved>(ProposalTestbed.Json, TestContext.Current.CancellationToken))!;

        Assert.Equal(("merge-commit", RevisionStatus.Valid), (approved.MergeKind, approved.RevisionStatus));
        Assert.Equal(approved.RevisionId, await testbed.RemoteHeadAsync());
        var parents = await testbed.Repository.Remote.GitAsync(["rev-list", "--parents", "-n", "1", approved.RevisionId], TestContext.Current.CancellationToken);
        Assert.Equal($"{approved.RevisionId} {human} {proposal.CommitId}", parents);
        Assert.Equal(proposed, await FileAsync(testbed, approved.RevisionId, ProposalTestbed.AgentFile));
        Assert.Equal("# Guide, revised\n", await FileAsync(testbed, approved.RevisionId, "reviewer/docs/guide.md"));
    }

    [Fact]
    public async Task Sync_ProposalMergedOnTheGitHost_MarksItMergedWithTheMergeRevision()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_host_merge");
        var proposal = await testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker()));
        var clone = testbed.Repository.Clone;
        await clone.GitAsync(["fetch", "--quiet", "origin", proposal.Branch], TestContext.Current.CancellationToken);
        await clone.GitAsync(["merge", "--quiet", "--no-ff", "-m", "Merge the proposal on the host", "FETCH_HEAD"], TestContext.Current.CancellationToken);
        var merge = await clone.GitAsync(["rev-parse", "HEAD"], TestContext.Current.CancellationToken);
        await testbed.Repository.PushAsync();

        var result = await testbed.Host.SyncAsync();

        Assert.Contains(merge, result.Stored);
        var details = await testbed.Host.GetAsync<ProposalDetails>($"/api/proposals/{proposal.Id}");
        Assert.Equal((ProposalStatus.Merged, merge, "git"), (details.Proposal.Status, details.Proposal.MergedRevisionId, details.Proposal.DecidedBy));
        Assert.NotNull(details.Proposal.DecidedAt);
        Assert.Equal(1, await testbed.Host.CountAsync($"SELECT count(*) FROM audit_log WHERE type = 'proposal-merged' AND revision_id = '{merge}'"));
        using var again = await testbed.PostAdminAsync($"/api/proposals/{proposal.Id}/approve");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private static async Task<string> FileAsync(ProposalTestbed testbed, string revision, string path) =>
        Encoding.UTF8.GetString(await testbed.Host.Client.GetByteArrayAsync(
            new Uri($"/api/revisions/{revision}/files/{path}", UriKind.Relative), TestContext.Current.CancellationToken));
}
