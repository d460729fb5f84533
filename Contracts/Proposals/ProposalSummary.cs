namespace Evergreen.Contracts.Proposals;

/// <summary>A proposal as listed by <c>GET /api/proposals</c> and returned by <c>POST /api/proposals</c>.</summary>
public sealed record ProposalSummary
{
    /// <summary>The proposal's id.</summary>
    public required string Id { get; init; }

    /// <summary>The agent's qualified name (<c>plugin:agent</c>).</summary>
    public required string Agent { get; init; }

    /// <summary>
    /// The git branch holding the change: <c>improve/&lt;plugin&gt;-&lt;agent&gt;-&lt;UTC timestamp&gt;</c>, e.g.
    /// <c>improve/reviewer-checker-20261122T101500Z</c> (the <c>:</c> of a qualified name is not valid in a branch name).
    /// </summary>
    public required string Branch { get; init; }

    /// <summary>One of <see cref="ProposalStatus"/>'s values.</summary>
    public required string Status { get; init; }

    /// <summary>The commit on <see cref="Branch"/> that holds the change.</summary>
    public required string CommitId { get; init; }

    /// <summary>The tracked commit the change was made on top of.</summary>
    public required string BaseRevisionId { get; init; }

    /// <summary>The paths the proposal writes or deletes.</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>Why the agent proposed it.</summary>
    public string? Rationale { get; init; }

    /// <summary>The run that produced it, when a runtime submitted it.</summary>
    public string? RunId { get; init; }

    /// <summary>When it was recorded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was approved, rejected or noticed merged on the git host; null while pending.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The reason given with a rejection.</summary>
    public string? RejectionReason { get; init; }

    /// <summary>The revision the approval produced (or the first synced revision containing a merge made on the git host); null until merged.</summary>
    public string? MergedRevisionId { get; init; }

    /// <summary>Who submitted it: <c>runtime</c> (the runtime token) or <c>admin</c> (the admin token).</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>Who decided it: <c>admin</c>, or <c>git</c> for a merge noticed on the git host; null while pending.</summary>
    public string? DecidedBy { get; init; }
}
