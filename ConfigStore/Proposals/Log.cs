namespace Evergreen.ConfigStore.Proposals;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Proposal {ProposalId} of {Agent} pushed on {Branch}.")]
    public static partial void ProposalCreated(ILogger logger, string proposalId, string agent, string branch);

    [LoggerMessage(2, LogLevel.Error, "Proposal branch {Branch} was pushed but its row could not be written; branch cleanup: {Cleanup}.")]
    public static partial void ProposalNotRecorded(ILogger logger, string branch, string cleanup, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Proposal {ProposalId} of {Agent} approved: {Kind} to {RevisionId}.")]
    public static partial void ProposalApproved(ILogger logger, string proposalId, string agent, string revisionId, string kind);

    [LoggerMessage(4, LogLevel.Information, "Proposal {ProposalId} of {Agent} rejected.")]
    public static partial void ProposalRejected(ILogger logger, string proposalId, string agent);

    [LoggerMessage(5, LogLevel.Information, "Proposal {ProposalId} of {Agent} was merged on the git host; first in revision {RevisionId}.")]
    public static partial void ProposalMergedOnHost(ILogger logger, string proposalId, string agent, string revisionId);

    [LoggerMessage(6, LogLevel.Warning, "Proposal {ProposalId} is merged, but the sync that follows failed; the next sync stores the revision.")]
    public static partial void SyncAfterApprovalFailed(ILogger logger, string proposalId, Exception exception);
}
