using Evergreen.ConfigStore.Revisions;

namespace Evergreen.ConfigStore.Extensions;

internal static class RevisionExtensions
{
    /// <summary>
    /// Registers the revision store, the sync of the tracked branch (on start, on a timer and on <c>POST /api/sync</c>),
    /// the outbox publisher of <c>evergreen.revisions</c> events,
    /// readiness that waits for the first sync, and response compression for the snapshots.
    /// Needs <c>AddPostgresDatabase</c>, <c>AddRedis</c> and <c>AddPluginRepository</c>.
    /// </summary>
    public static IHostApplicationBuilder AddRevisions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RevisionStore>();
        builder.Services.AddSingleton<RevisionOutboxPublisher>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<RevisionOutboxPublisher>());
        builder.Services.AddSingleton<SyncProgress>();
        builder.Services.AddSingleton<RevisionSyncService>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<RevisionSyncService>());
        builder.Services.AddHealthChecks().AddCheck<FirstSyncHealthCheck>(FirstSyncHealthCheck.Name, tags: ["ready"]);
        // Over HTTPS too: snapshots and files hold no secret next to reflected request input, so BREACH does not apply.
        builder.Services.AddResponseCompression(static options => options.EnableForHttps = true);
        // Snapshot bodies are compressed once per revision and encoding, not once per replica that fetches them.
        builder.Services.AddSingleton<CompressedSnapshotCache>();
        return builder;
    }
}
