using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Proposals;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Notices proposals merged on the git host: after each sync, a pending proposal whose commit is reachable from the
/// tracked head is marked merged, with the revision that brought it into the branch and a <c>proposal-merged</c> audit row.
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

            var revision = FirstContaining(fetched.Mirror, change, head).Sha;
            var detail = new { ProposalId = proposal.Id, proposal.Branch, proposal.CommitId };
            if (await store.MarkMergedAsync(proposal.Id, revision, "git", "proposal-merged", detail, cancellationToken))
            {
                Log.ProposalMergedOnHost(logger, proposal.Id, proposal.Agent, revision);
            }
        }
    }

    // Along the tracked branch's first-parent line (its own history, not the merged branch's), the oldest commit that
    // contains the change: the merge commit for a merge, the proposal's own commit for a fast-forward.
    private static Commit FirstContaining(Repository repository, Commit change, Commit head)
    {
        var first = head;
        while (first.Parents.FirstOrDefault() is { } parent && IsAncestor(repository, change, parent))
        {
            first = parent;
        }

        return first;
    }

    private static bool IsAncestor(Repository repository, Commit ancestor, Commit descendant) =>
        ancestor.Sha == descendant.Sha || repository.ObjectDatabase.FindMergeBase(ancestor, descendant)?.Sha == ancestor.Sha;
}
