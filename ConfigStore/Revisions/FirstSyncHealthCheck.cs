using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Not ready until the first sync since start-up has completed: before that, <c>/api/revisions/latest</c> may still
/// answer with a revision older than the branch's head, and a runtime started against it would load stale plugins.
/// </summary>
internal sealed class FirstSyncHealthCheck(SyncProgress progress) : IHealthCheck
{
    public const string Name = "first-sync";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(progress.FirstCompletedAt is { } at
            ? HealthCheckResult.Healthy($"first sync completed at {at:O}")
            : HealthCheckResult.Unhealthy(progress.LastError is { } error
                ? $"The first sync of the plugin repository has not completed: the last attempt failed ({error}). It is retried every poll interval and on POST /api/sync."
                : "The first sync of the plugin repository has not completed yet."));
}
