namespace Evergreen.Contracts.Proposals;

/// <summary>The answer of <c>POST /api/proposals/{id}/approve</c>: the proposal merged, and the revision it produced.</summary>
public sealed record ProposalApproved
{
    /// <summary>The proposal, now <see cref="ProposalStatus.Merged"/>.</summary>
    public required ProposalSummary Proposal { get; init; }

    /// <summary>The tracked branch's new head: the revision the merge produced (the full commit id).</summary>
    public required string RevisionId { get; init; }

    /// <summary><c>fast-forward</c> when the branch was moved to the proposal's commit, <c>merge-commit</c> otherwise.</summary>
    public required string MergeKind { get; init; }

    /// <summary>The stored revision's status (<c>valid</c>/<c>invalid</c>) after the sync that followed the merge; null when that sync failed.</summary>
    public string? RevisionStatus { get; init; }
}
