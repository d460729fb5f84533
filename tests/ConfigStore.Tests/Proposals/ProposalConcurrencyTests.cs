using System.Net.Http.Json;
using Evergreen.Contracts.Proposals;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Proposals;

public sealed class ProposalConcurrencyTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task ApproveAndPropose_AtTheSameTime_RunOneAfterAnotherAndKeepEveryChange()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_concurrency");
        var proposals = await Task.WhenAll(
            testbed.ProposeOkAsync(ProposalTestbed.Change(ProposalTestbed.AgentFile, ProposalTestbed.BetterChecker())),
            testbed.ProposeOkAsync(ProposalTestbed.Change("reviewer/docs/guide.md", "# Guide, by the agent\n")),
            testbed.ProposeOkAsync(ProposalTestbed.Change("reviewer/docs/faq.md", "# FAQ\n")));
        Assert.Equal(3, proposals.Select(p => p.Branch).Distinct().Count());

        var approvals = await Task.WhenAll(proposals.Select(async p =>
        {
            using var response = await testbed.PostAdminAsync($"/api/proposals/{p.Id}/approve");
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            return (await response.Content.ReadFromJsonAsync<ProposalApproved>(ProposalTestbed.Json, TestContext.Current.CancellationToken))!;
        }));

        Assert.Single(approvals, a => a.MergeKind == "fast-forward");
        Assert.Equal(2, approvals.Count(a => a.MergeKind == "merge-commit"));
        var head = await testbed.RemoteHeadAsync();
        var files = await testbed.Repository.Remote.GitAsync(["ls-tree", "-r", "--name-only", head], TestContext.Current.CancellationToken);
        Assert.Contains("reviewer/docs/faq.md", files.Split('\n'));
        Assert.Equal(ProposalTestbed.BetterChecker(), await testbed.Repository.Remote.GitAsync(["show", $"{head}:{ProposalTestbed.AgentFile}"], TestContext.Current.CancellationToken) + "\n");
        Assert.Equal("# Guide, by the agent", await testbed.Repository.Remote.GitAsync(["show", $"{head}:reviewer/docs/guide.md"], TestContext.Current.CancellationToken));
        Assert.Empty(await testbed.Host.GetAsync<List<ProposalSummary>>("/api/proposals?status=pending"));
    }

    [Fact]
    public async Task Create_DeletingTheLastFileOfAFolder_CommitsATreeWithoutThatFolder()
    {
        await using var testbed = await ProposalTestbed.StartAsync(postgres, redis.ConnectionString, "proposal_delete");
        var request = ProposalTestbed.Change(ProposalTestbed.AgentFile, "unused") with
        {
            Files = [new ProposedFile { Path = ProposalTestbed.AgentFile, Delete = true }],
        };

        var proposal = await testbed.ProposeOkAsync(request);

        var tree = await testbed.Repository.Remote.GitAsync(["ls-tree", "-r", "-t", "--name-only", proposal.CommitId], TestContext.Current.CancellationToken);
        Assert.DoesNotContain("reviewer/agents", tree.Split('\n'));
        var details = await testbed.Host.GetAsync<ProposalDetails>($"/api/proposals/{proposal.Id}");
        Assert.Contains("deleted file mode 100644", details.Diff, StringComparison.Ordinal);
    }
}
