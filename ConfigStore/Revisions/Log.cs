namespace Evergreen.ConfigStore.Revisions;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Stored revision {RevisionId} ({Status}, {PluginCount} plugin(s), {ErrorCount} error(s)).")]
    public static partial void RevisionStored(ILogger logger, string revisionId, string status, int pluginCount, int errorCount);

    [LoggerMessage(2, LogLevel.Warning, "Sync of the plugin repository failed: {Error}")]
    public static partial void SyncFailed(ILogger logger, string error, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "Published revision {RevisionId} ({Status}).")]
    public static partial void RevisionPublished(ILogger logger, string revisionId, string status);

    [LoggerMessage(4, LogLevel.Warning, "Revision events wait in the outbox (next attempt in {Delay}): {Error}")]
    public static partial void OutboxPublishDeferred(ILogger logger, TimeSpan delay, string error);

    [LoggerMessage(5, LogLevel.Debug, "Synced revision {RevisionId}: fetch {FetchMs:0} ms, build {BuildMs:0} ms ({Reused} plugin build(s) reused, {Built} run), store {StoreMs:0} ms.")]
    public static partial void RevisionTimed(ILogger logger, string revisionId, double fetchMs, double buildMs, int reused, int built, double storeMs);
}
