using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Proposals;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Approves (merges into the tracked branch, pushes, syncs) and rejects pending proposals. Both run through the
/// <see cref="ProposalWorkspace"/>, so a proposal is never approved and rejected at once. A refused decision changes
/// nothing: a merge is made in memory and pushed only when it has no conflict and validates.
/// </summary>
internal sealed class ProposalDecisions(
    ProposalStore store,
    RevisionStore revisions,
    RevisionSyncService sync,
    ProposalWorkspace workspace,
    TimeProvider time,
    ILogger<ProposalDecisions> logger)
{
    private const string Admin = "admin";

    public async Task<(ProposalApproved? Approved, ProposalProblem? Problem)> ApproveAsync(string id, CancellationToken cancellationToken)
    {
        var (merged, problem) = await workspace.RunAsync(repository => MergeAsync(repository, id, cancellationToken), cancellationToken);
        if (merged is null)
        {
            return (null, problem);
        }

        string? status = null;
        try
        {
            await sync.RequestSyncAsync(cancellationToken);
            status = (await revisions.GetDetailsAsync(merged.RevisionId, cancellationToken))?.Revision.Status;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The merge is pushed and recorded; the next sync (timer or webhook) stores the revision.
            Log.SyncAfterApprovalFailed(logger, id, ex);
        }

        return (merged with { RevisionStatus = status }, null);
    }

    public Task<(ProposalSummary? Rejected, ProposalProblem? Problem)> RejectAsync(string id, string reason, CancellationToken cancellationToken) =>
        workspace.RunWithoutGitAsync<(ProposalSummary?, ProposalProblem?)>(async () =>
        {
            if (await store.GetAsync(id, cancellationToken) is not var (proposal, _))
            {
                return (null, NotFound(id));
            }

            if (!await store.RejectAsync(id, reason, Admin, cancellationToken))
            {
                return (null, NotPending(proposal));
            }

            Log.ProposalRejected(logger, id, proposal.Agent);
            return ((await store.GetAsync(id, cancellationToken))?.Proposal, null);
        }, cancellationToken);

    private async Task<(ProposalApproved?, ProposalProblem?)> MergeAsync(WorkRepository repository, string id, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not var (proposal, _))
        {
            return (null, NotFound(id));
        }

        if (proposal.Status != ProposalStatus.Pending)
        {
            return (null, NotPending(proposal));
        }

        var head = repository.FetchTracked();
        var change = repository.Find(proposal.CommitId) ?? (repository.Fetch(proposal.Branch) is not null ? repository.Find(proposal.CommitId) : null);
        if (head is null || change is null)
        {
            return (null, new ProposalProblem(StatusCodes.Status409Conflict, "The proposal cannot be merged.", head is null
                ? "The plugin repository has no tracked branch to merge into."
                : $"Commit {proposal.CommitId[..12]} of branch '{proposal.Branch}' is no longer in the plugin repository; reject the proposal."));
        }

        string kind;
        Commit target;
        if (repository.IsAncestor(change, head))
        {
            kind = "already-merged";
            target = head;
        }
        else if (repository.IsAncestor(head, change))
        {
            kind = "fast-forward";
            target = change;
        }
        else
        {
            var merge = repository.Merge(head, change);
            if (merge.Status == MergeTreeStatus.Conflicts)
            {
                var paths = merge.Conflicts.Select(static c => (c.Ours ?? c.Theirs ?? c.Ancestor).Path).Distinct().Order(StringComparer.Ordinal).ToList();
                return (null, new ProposalProblem(StatusCodes.Status409Conflict, "The proposal conflicts with the tracked branch.",
                    $"Merging '{proposal.Branch}' conflicts in {string.Join(", ", paths)}: the tracked branch changed them since the proposal. Nothing was changed; reject it, or merge it by hand.",
                    new Dictionary<string, object?> { ["paths"] = paths }));
            }

            if (ProposalChangeSet.Validate(GitCommitReader.ReadTree(merge.Tree), $"The merge of '{proposal.Branch}' into the tracked branch") is { } invalid)
            {
                return (null, invalid);
            }

            kind = "merge-commit";
            target = repository.CreateMergeCommit(head, change, merge.Tree,
                $"Merge proposal {proposal.Id} ({proposal.Branch})\n\nAgent: {proposal.Agent}\nProposal-Id: {proposal.Id}\n", time.GetUtcNow());
        }

        if (kind != "already-merged" && repository.PushTracked(target) is { } rejected)
        {
            return (null, new ProposalProblem(StatusCodes.Status409Conflict, "The tracked branch moved during the approval.",
                $"The plugin repository refused the merge ({rejected}). Nothing was changed; approve again."));
        }

        // Recorded before the sync, so the sync's merge tracker does not claim it as merged on the git host.
        var detail = new { ProposalId = proposal.Id, proposal.Branch, proposal.CommitId, MergeKind = kind };
        await store.MarkMergedAsync(proposal.Id, target.Sha, Admin, "proposal-approved", detail, CancellationToken.None);
        Log.ProposalApproved(logger, proposal.Id, proposal.Agent, target.Sha, kind);
        var approved = (await store.GetAsync(proposal.Id, CancellationToken.None))!.Value.Proposal;
        return (new ProposalApproved { Proposal = approved, RevisionId = target.Sha, MergeKind = kind }, null);
    }

    private static ProposalProblem NotFound(string id) =>
        new(StatusCodes.Status404NotFound, "Unknown proposal.", $"No proposal '{id}' is recorded.");

    private static ProposalProblem NotPending(ProposalSummary proposal) =>
        new(StatusCodes.Status409Conflict, "The proposal was already decided.",
            $"Proposal '{proposal.Id}' is {proposal.Status}; only a pending proposal can be approved or rejected.",
            new Dictionary<string, object?> { ["status"] = proposal.Status });
}
