using Evergreen.ServiceDefaults.Data;

namespace Evergreen.ConfigStore.Audit;

/// <summary>
/// Deletes audit entries older than <see cref="AuditOptions.Retention"/>: once the migrations are done, then every
/// <see cref="AuditOptions.PurgeInterval"/> on the injected <see cref="TimeProvider"/>. A failed purge is logged and
/// tried again at the next tick.
/// </summary>
internal sealed class AuditRetentionService(
    AuditLog auditLog,
    AuditOptions options,
    DatabaseMigrationState migrations,
    TimeProvider time,
    ILogger<AuditRetentionService> logger)
    : BackgroundService
{
    /// <summary>Deletes every entry older than the retention, measured from now; returns how many were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Retention;
        var purged = await auditLog.PurgeOlderThanAsync(cutoff, cancellationToken);
        if (purged > 0)
        {
            Log.Purged(logger, purged, cutoff, options.Retention);
        }

        return purged;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.WaitForCompletionAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.PurgeInterval, time);
            do
            {
                try
                {
                    await PurgeAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.PurgeFailed(logger, options.PurgeInterval, ex.Message, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (MigrationException)
        {
            // The migrator stops the application and says why.
        }
    }
}
