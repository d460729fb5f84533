using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evergreen.ServiceDefaults.Redis;

/// <summary>Readiness check <c>redis</c>: healthy while the bus is connected.</summary>
internal sealed class RedisHealthCheck(RedisBus bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        bus.StartConnecting();
        return Task.FromResult(bus.IsConnected
            ? HealthCheckResult.Healthy("connected")
            : new HealthCheckResult(context.Registration.FailureStatus, "not connected to Redis"));
    }
}
