namespace Evergreen.Contracts.Audit;

/// <summary>The values of <see cref="AuditEntry.Type"/>.</summary>
public static class AuditEntryTypes
{
    /// <summary>A sync stored a valid revision.</summary>
    public const string Sync = "sync";

    /// <summary>A sync stored a revision whose plugins failed validation (an invalid revision).</summary>
    public const string ValidationFailed = "validation-failed";

    /// <summary>An administrator changed a revision's status (rolled back or reinstated).</summary>
    public const string RevisionStatusChanged = "revision-status-changed";

    /// <summary>An agent's proposal was checked, committed on its branch and recorded.</summary>
    public const string ProposalCreated = "proposal-created";

    /// <summary>A reviewer approved a proposal.</summary>
    public const string ProposalApproved = "proposal-approved";

    /// <summary>A reviewer rejected a proposal.</summary>
    public const string ProposalRejected = "proposal-rejected";

    /// <summary>A proposal's branch reached the tracked branch.</summary>
    public const string ProposalMerged = "proposal-merged";
}
