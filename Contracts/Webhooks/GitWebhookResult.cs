using Evergreen.Contracts.Revisions;

namespace Evergreen.Contracts.Webhooks;

/// <summary>The answer of <c>POST /api/webhooks/git</c> to a delivery whose signature is good.</summary>
public sealed record GitWebhookResult
{
    /// <summary>Gets the event as the git host named it (<c>X-GitHub-Event</c>): <c>push</c>, <c>ping</c>, …</summary>
    public required string Event { get; init; }

    /// <summary>Gets what ConfigStore did: one of <see cref="GitWebhookActions"/>' values.</summary>
    public required string Action { get; init; }

    /// <summary>Gets the pushed reference (<c>refs/heads/main</c>) for a push; null otherwise.</summary>
    public string? Ref { get; init; }

    /// <summary>Gets why the delivery was ignored, or that the sync is still running; null when synced.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the sync's result when it completed before the answer was sent; null otherwise.</summary>
    public SyncResult? Sync { get; init; }
}
