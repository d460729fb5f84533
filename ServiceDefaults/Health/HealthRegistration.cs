using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evergreen.ServiceDefaults.Health;

/// <summary>Registers health checks and the request counter.</summary>
internal static class HealthRegistration
{
    /// <summary>Checks with this tag decide readiness (<c>/health/ready</c>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Checks with this tag decide liveness (<c>/health</c>).</summary>
    public const string LiveTag = "live";

    public static void AddHealthDefaults(this IServiceCollection services)
    {
        services.AddSingleton(new InFlightRequests());
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
    }
}
