namespace Evergreen.AgentRuntime.Registry;

/// <summary>What one reconciliation did.</summary>
internal sealed record ReconcileOutcome(ReconcileStatus Status, string? Revision, LoadFailure? Failure = null);

internal enum ReconcileStatus
{
    /// <summary>The desired revision was already active.</summary>
    Unchanged,

    /// <summary>The desired revision is now active.</summary>
    Activated,

    /// <summary>ConfigStore has no valid revision yet.</summary>
    NothingToLoad,

    /// <summary>The desired revision could not be loaded; the old one stays active.</summary>
    Failed,
}
