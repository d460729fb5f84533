using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Proposals;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Notices proposals merged on the git host: after each sync, a pending proposal whose commit is reachable from the
/// tracked head is marked merged, with the first synced revision that contains it and a <c>proposal-merged</c> audit row.
/// Runs on the sync's loop, so it may use the sync's mirror.
/// </summary>
internal sealed class ProposalMergeTracker(ProposalStore store, ILogger<ProposalMergeTracker> logger) : IRevisionSyncListener
{
    public async Task OnSyncedAsync(FetchedBranch fetched, CancellationToken cancellationToken)
    {
        if (fetched.Head is null || fetched.Mirror.Lookup<Commit>(fetched.Head) is not { } head)
        {
            return;
        }

        foreach (var proposal in await store.ListAsync(ProposalStatus.Pending, cancellationToken))
        {
            // The mirror fetches only the tracked branch: it holds the commit only once the branch contains it.
            if (fetched.Mirror.Lookup<Commit>(proposal.CommitId) is not { } change || !IsAncestor(fetched.Mirror, change, head))
            {
                continue;
            }

            var revision = fetched.NewCommits.FirstOrDefault(c => IsAncestor(fetched.Mirror, change, c))?.Sha ?? head.Sha;
            var detail = new { ProposalId = proposal.Id, proposal.Branch, proposal.CommitId };
            if (await store.MarkMergedAsync(proposal.Id, revision, "git", "proposal-merged", detail, cancellationToken))
            {
                Log.ProposalMergedOnHost(logger, proposal.Id, proposal.Agent, revision);
            }
        }
    }

    private static bool IsAncestor(Repository repository, Commit ancestor, Commit descendant) =>
        ancestor.Sha == descendant.Sha || repository.ObjectDatabase.FindMergeBase(ancestor, descendant)?.Sha == ancestor.Sha;
}
