using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>Readiness waits for the first snapshot: a replica without one would answer every run with 503.</summary>
internal sealed class RegistryReadinessCheck(PluginRegistry registry, RevisionReconciler reconciler) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.Active is { } active
            ? HealthCheckResult.Healthy($"revision {active.Id}")
            : HealthCheckResult.Unhealthy(reconciler.LastFailure is { } failure
                ? $"no plugin revision loaded yet; last attempt failed: {failure.Message}"
                : "no plugin revision loaded yet"));
}
