namespace Evergreen.Contracts.Proposals;

/// <summary>One proposal in <c>GET /api/proposals/{id}</c>: its summary and its change as a unified diff.</summary>
public sealed record ProposalDetails
{
    /// <summary>What <c>GET /api/proposals</c> shows for the proposal.</summary>
    public required ProposalSummary Proposal { get; init; }

    /// <summary>
    /// The change against <see cref="ProposalSummary.BaseRevisionId"/> as <c>git diff</c> prints it
    /// (<c>diff --git a/… b/…</c>, <c>---</c>/<c>+++</c> headers and <c>@@</c> hunks with three lines of context).
    /// </summary>
    public required string Diff { get; init; }
}
