namespace Evergreen.Contracts.Revisions;

/// <summary>
/// The body of <c>PUT /api/revisions/{id}/status</c> (admin): withdraw a valid revision (<see cref="RevisionStatus.RolledBack"/>)
/// or reinstate a rolled-back one (<see cref="RevisionStatus.Valid"/>). An invalid revision's status never changes.
/// </summary>
public sealed record RevisionStatusChange
{
    /// <summary>Gets the new status: <see cref="RevisionStatus.RolledBack"/> or <see cref="RevisionStatus.Valid"/>.</summary>
    public string? Status { get; init; }

    /// <summary>Gets why, for the audit log (for example the rollout gate that failed); optional.</summary>
    public string? Reason { get; init; }
}
