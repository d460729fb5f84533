namespace Evergreen.Contracts.Webhooks;

/// <summary>The values of <see cref="GitWebhookResult.Action"/>.</summary>
public static class GitWebhookActions
{
    /// <summary>A push to the tracked branch was synced; <see cref="GitWebhookResult.Sync"/> holds the result.</summary>
    public const string Synced = "synced";

    /// <summary>A push to the tracked branch started a sync that was still running when the answer was sent.</summary>
    public const string SyncStarted = "sync-started";

    /// <summary>The delivery was understood and needs nothing (another branch, a tag, an unhandled event).</summary>
    public const string Ignored = "ignored";

    /// <summary>The answer to a <c>ping</c> event.</summary>
    public const string Pong = "pong";
}
