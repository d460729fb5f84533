using Evergreen.ServiceDefaults.Hosting;
using Evergreen.ServiceDefaults.Lifetime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evergreen.ServiceDefaults.Health;

/// <summary><c>/health</c>, <c>/health/ready</c> and <c>/health/info</c>.</summary>
internal static class HealthEndpoints
{
    private const string Prefix = "/health";

    public static bool IsHealthPath(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).AllowAnonymous().ExcludeFromDescription();
        group.AddEndpointFilter(static async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });

        group.MapGet("", GetLivenessAsync);
        group.MapGet("/ready", GetReadinessAsync);
        group.MapGet("/info", GetInfo);
        return group;
    }

    private static async Task<JsonHttpResult<HealthResponse>> GetLivenessAsync(
        HealthCheckService healthChecks, CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(r => r.Tags.Contains(HealthRegistration.LiveTag), cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        return TypedResults.Json(
            ToResponse(report, healthy, healthy ? null : DescribeFailures(report)),
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<JsonHttpResult<HealthResponse>> GetReadinessAsync(
        HealthCheckService healthChecks, ServiceLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(r => r.Tags.Contains(HealthRegistration.ReadyTag), cancellationToken);

        // Read the lifecycle after the checks: a shutdown that began while they ran must still answer 503.
        var reason = lifecycle.NotReadyReason
            ?? (report.Entries.Values.All(e => e.Status == HealthStatus.Healthy) ? null : DescribeFailures(report));
        var ready = reason is null;
        return TypedResults.Json(
            ToResponse(report, ready, reason),
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static JsonHttpResult<Dictionary<string, object?>> GetInfo(
        ServiceIdentity identity,
        ServiceLifecycle lifecycle,
        InFlightRequests inFlight,
        TimeProvider timeProvider,
        IEnumerable<IHealthInfoContributor> contributors)
    {
        var info = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["service"] = identity.Name,
            ["version"] = identity.Version,
            ["replica"] = identity.Replica,
            ["state"] = lifecycle.State,
            ["startedAt"] = lifecycle.StartedAt,
            ["uptimeSeconds"] = Math.Round((timeProvider.GetUtcNow() - lifecycle.StartedAt).TotalSeconds, 3),
            ["inFlightRequests"] = inFlight.Count,
        };

        foreach (var contributor in contributors)
        {
            contributor.Contribute(info);
        }

        return TypedResults.Json(info);
    }

    private static HealthResponse ToResponse(HealthReport report, bool healthy, string? reason) => new()
    {
        Status = healthy ? nameof(HealthStatus.Healthy) : nameof(HealthStatus.Unhealthy),
        Reason = reason,
        Checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new HealthCheckResponse { Status = e.Value.Status.ToString(), Description = e.Value.Description },
            StringComparer.Ordinal),
    };

    private static string DescribeFailures(HealthReport report) => string.Join(
        "; ",
        report.Entries
            .Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Status.ToString()}"));
}
