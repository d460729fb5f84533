namespace Evergreen.Contracts.Proposals;

/// <summary>A proposal as listed by <c>GET /api/proposals</c> and returned by <c>POST /api/proposals</c>.</summary>
public sealed record ProposalSummary
{
    /// <summary>The proposal's id.</summary>
    public required string Id { get; init; }

    /// <summary>The agent's qualified name (<c>plugin:agent</c>).</summary>
    public required string Agent { get; init; }

    /// <summary>The git branch holding the change, <c>improve/&lt;agent&gt;-&lt;UTC timestamp&gt;</c>.</summary>
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

    /// <summary>When it was approved or rejected; null while pending.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The reason given with a rejection.</summary>
    public string? RejectionReason { get; init; }

    /// <summary>The revision the approval produced; null until merged.</summary>
    public string? MergedRevisionId { get; init; }
}
