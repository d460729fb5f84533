namespace Evergreen.Contracts.Proposals;

/// <summary>The states a proposal moves through; stored and returned as these lower-case strings.</summary>
public static class ProposalStatus
{
    /// <summary>Committed on its branch and waiting for a human.</summary>
    public const string Pending = "pending";

    /// <summary>Merged into the tracked branch (by ConfigStore's approve or on the git host).</summary>
    public const string Merged = "merged";

    /// <summary>Rejected by a human; the branch stays for reference.</summary>
    public const string Rejected = "rejected";
}
