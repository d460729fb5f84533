namespace Evergreen.AgentRuntime.Registry;

/// <summary>Which revision this replica should serve: the latest valid one, or one pinned (by the orchestrator or a rollback).</summary>
internal sealed record DesiredRevision(string Mode, string? Revision)
{
    public const string FollowLatestMode = "follow-latest";
    public const string PinnedMode = "pinned";

    public static readonly DesiredRevision FollowLatest = new(FollowLatestMode, null);

    public static DesiredRevision Pinned(string revision) => new(PinnedMode, revision);

    public bool IsPinned => Mode == PinnedMode;
}

/// <summary>The last load that failed: the old revision stayed active.</summary>
internal sealed record LoadFailure(string Revision, string Reason, string Message, DateTimeOffset At);
