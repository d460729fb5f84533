namespace Evergreen.Contracts.Proposals;

/// <summary>The body of <c>POST /api/proposals/{id}/reject</c>.</summary>
public sealed record ProposalRejection
{
    /// <summary>Why the proposal is rejected; required, and kept with the proposal and in the audit log.</summary>
    public string? Reason { get; init; }
}
